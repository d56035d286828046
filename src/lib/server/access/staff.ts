/**
 * Staff accounts of a school: invite by link, accept, deactivate, change role.
 * Invite token: `id.secret` (120 + 120 bits), only SHA-256(secret) stored; valid 7 days.
 * Deactivation and removal of the admin role end every session of that person at once.
 */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { DAY_MS } from '../../board/dates';
import { accessChanged } from '../access-events';
import { invalidateUserSessions } from '../auth/session';
import { constantTimeEqual, generateToken, hashSecret, newId, splitToken } from '../auth/tokens';
import type { Database, Queryable } from '../db';
import { staffInvite, user } from '../db/schema';
import { recordAudit } from '../privacy/audit';

export const STAFF_INVITE_DAYS = 7;
export type StaffRole = 'admin' | 'staff';

export async function listStaff(db: Queryable, schoolId: string) {
	return db
		.select({
			id: user.id,
			name: user.name,
			email: user.email,
			role: user.role,
			deactivatedAt: user.deactivatedAt
		})
		.from(user)
		.where(eq(user.schoolId, schoolId))
		.orderBy(asc(user.name));
}

export async function listOpenStaffInvites(db: Queryable, schoolId: string, now = new Date()) {
	const rows = await db
		.select({
			id: staffInvite.id,
			name: staffInvite.name,
			email: staffInvite.email,
			role: staffInvite.role,
			expiresAt: staffInvite.expiresAt
		})
		.from(staffInvite)
		.where(
			and(
				eq(staffInvite.schoolId, schoolId),
				isNull(staffInvite.usedAt),
				isNull(staffInvite.revokedAt)
			)
		)
		.orderBy(desc(staffInvite.createdAt));
	return rows.filter((r) => r.expiresAt > now);
}

export async function emailInUse(db: Queryable, email: string): Promise<boolean> {
	const [row] = await db
		.select({ id: user.id })
		.from(user)
		.where(sql`lower(${user.email}) = ${email.trim().toLowerCase()}`)
		.limit(1);
	return row !== undefined;
}

export async function createStaffInvite(
	db: Queryable,
	input: { schoolId: string; email: string; name: string; role: StaffRole; createdById: string },
	now = new Date()
) {
	const { id, secret, token } = generateToken();
	const [invite] = await db
		.insert(staffInvite)
		.values({
			id,
			schoolId: input.schoolId,
			email: input.email.trim(),
			name: input.name.trim(),
			role: input.role,
			secretHash: hashSecret(secret),
			createdById: input.createdById,
			expiresAt: new Date(now.getTime() + STAFF_INVITE_DAYS * DAY_MS),
			createdAt: now
		})
		.returning();
	return { token, invite: invite! };
}

export type StaffInviteState =
	| { ok: true; invite: typeof staffInvite.$inferSelect }
	| { ok: false; reason: 'invalid' | 'expired' | 'used' };

export async function findStaffInvite(
	db: Queryable,
	token: string,
	now = new Date()
): Promise<StaffInviteState> {
	const parts = splitToken(token);
	if (!parts) return { ok: false, reason: 'invalid' };
	const [row] = await db.select().from(staffInvite).where(eq(staffInvite.id, parts.id)).limit(1);
	if (!row || !constantTimeEqual(hashSecret(parts.secret), row.secretHash)) {
		return { ok: false, reason: 'invalid' };
	}
	if (row.revokedAt) return { ok: false, reason: 'invalid' };
	if (row.usedAt) return { ok: false, reason: 'used' };
	if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
	return { ok: true, invite: row };
}

/** Turns a valid invite into an account; the invite is used up in the same transaction. */
export async function acceptStaffInvite(
	db: Queryable,
	inviteId: string,
	input: { name: string; passwordHash: string },
	now = new Date()
) {
	const [invite] = await db.select().from(staffInvite).where(eq(staffInvite.id, inviteId));
	// Someone took the address meanwhile: leave the invite unused so the admin sees it.
	if (!invite || (await emailInUse(db, invite.email))) return null;
	const [used] = await db
		.update(staffInvite)
		.set({ usedAt: now })
		.where(and(eq(staffInvite.id, inviteId), isNull(staffInvite.usedAt)))
		.returning();
	if (!used) return null;
	const [created] = await db
		.insert(user)
		.values({
			id: newId(),
			schoolId: used.schoolId,
			email: used.email,
			name: input.name.trim(),
			role: used.role,
			passwordHash: input.passwordHash,
			passwordChangedAt: now
		})
		.returning();
	return created!;
}

export async function revokeStaffInvite(
	db: Queryable,
	schoolId: string,
	inviteId: string,
	now = new Date()
) {
	await db
		.update(staffInvite)
		.set({ revokedAt: now })
		.where(and(eq(staffInvite.id, inviteId), eq(staffInvite.schoolId, schoolId)));
}

async function findColleague(db: Queryable, schoolId: string, userId: string) {
	const [row] = await db
		.select()
		.from(user)
		.where(and(eq(user.id, userId), eq(user.schoolId, schoolId)))
		.limit(1);
	return row ?? null;
}

export type StaffChangeResult = { ok: true } | { ok: false; reason: 'not_found' | 'self' };

/** Deactivate (or reactivate) a colleague. Deactivation ends all of their sessions. */
export async function setStaffActive(
	db: Queryable,
	schoolId: string,
	actorId: string,
	userId: string,
	active: boolean,
	now = new Date()
): Promise<StaffChangeResult> {
	if (userId === actorId) return { ok: false, reason: 'self' };
	const target = await findColleague(db, schoolId, userId);
	if (!target) return { ok: false, reason: 'not_found' };
	await db
		.update(user)
		.set({ deactivatedAt: active ? null : now })
		.where(eq(user.id, userId));
	if (!active) {
		await invalidateUserSessions(db, userId);
		accessChanged({ kind: 'user', userId });
	}
	return { ok: true };
}

/** Change a colleague's school role; taking the admin role away ends their sessions. */
export async function setStaffRole(
	db: Queryable,
	schoolId: string,
	actorId: string,
	userId: string,
	role: StaffRole
): Promise<StaffChangeResult> {
	if (userId === actorId) return { ok: false, reason: 'self' };
	const target = await findColleague(db, schoolId, userId);
	if (!target) return { ok: false, reason: 'not_found' };
	if (target.role === role) return { ok: true };
	// The change and its audit row together, or neither.
	await (db as Database).transaction(async (tx) => {
		await tx.update(user).set({ role }).where(eq(user.id, userId));
		await recordAudit(tx, {
			schoolId,
			who: { kind: 'account', userId: actorId },
			action: 'role.change',
			subjectType: 'user',
			subjectId: userId,
			meta: { from: target.role, to: role }
		});
	});
	if (target.role === 'admin' && role === 'staff') {
		await invalidateUserSessions(db, userId);
		accessChanged({ kind: 'user', userId });
	}
	return { ok: true };
}
