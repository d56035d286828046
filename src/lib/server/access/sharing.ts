/**
 * Sharing one board: staff members with a role, and guest invite links.
 * Invite token: `id.secret` (2 × 120 bits), only SHA-256(secret) stored in
 * board_invite.secretHash; expiry enforced here, on every join and on every guest request
 * (see validateSessionToken). Revoking ends the guests' sessions and tells the sync server.
 */
import { and, asc, desc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { guestRoles } from '../../board/capabilities';
import { hasFamilyPart } from '../../board/family-view';
import { parseJoinLabel } from '../../board/participants';
import { boardChildIds, guestShareable } from '../auth/permissions';
import { accessChanged } from '../access-events';
import { text } from '../validation';
import { boardStudents, recordAudit, type AuditWho } from '../privacy/audit';
import { createGuestSession, invalidateInviteSessions, type NewSession } from '../auth/session';
import { constantTimeEqual, generateToken, hashSecret, splitToken } from '../auth/tokens';
import type { Database, Queryable } from '../db';
import {
	board,
	boardInvite,
	boardMember,
	student,
	user,
	type Board,
	type BoardMember
} from '../db/schema';

export const INVITE_DEFAULT_HOURS = 24;
export const INVITE_MAX_HOURS = 30 * 24;

export const inviteSchema = z.object({
	role: z.enum(guestRoles, { error: 'required' }),
	expiresHours: z.coerce
		.number({ error: 'invalid_number' })
		.int('invalid_number')
		.min(1, 'expiry_range')
		.max(INVITE_MAX_HOURS, 'expiry_range')
		.default(INVITE_DEFAULT_HOURS),
	singleUse: z
		.string()
		.optional()
		.transform((v) => v === 'on' || v === 'true'),
	label: z.string().trim().max(60, 'too_long').default(''),
	/**
	 * A `child` link's own child, one of the board's children (on a board with one child, that
	 * child; on a care meeting for several, it must be chosen: `inviteSchemaFor`). A form sends an
	 * empty field for none.
	 */
	studentId: z.preprocess(
		(v) => (v === '' ? undefined : v),
		z.string().trim().min(1).max(40, 'too_long').optional()
	)
});
export type InviteInput = z.infer<typeof inviteSchema>;

/**
 * The share form's schema for one board: a child chosen must be one of `childIds`, the board's
 * own children read in its school (`listBoardChildren`), or the form is a 400 naming the field.
 * The form sends its choice whatever the role; the route keeps it for a `child` link only.
 */
export function inviteSchemaFor(childIds: readonly string[]) {
	return inviteSchema
		.extend({
			studentId: inviteSchema.shape.studentId.refine(
				(id) => id === undefined || childIds.includes(id),
				'not_a_child'
			)
		})
		.superRefine((input, ctx) => {
			// Siblings: a device is one child's, and nobody is that child by default (a link left on
			// the first child would let a sibling's phone read and write as her).
			if (input.role === 'child' && childIds.length > 1 && input.studentId === undefined) {
				ctx.addIssue({ code: 'custom', path: ['studentId'], message: 'choose_child' });
			}
		});
}

/**
 * The children a child link can be for, with their names, first child first (`boardChildIds`,
 * read in the board's school): none on a team board, one on a talk, several on a care meeting
 * for siblings.
 */
export async function listBoardChildren(
	db: Queryable,
	b: Pick<Board, 'id' | 'schoolId' | 'studentId'>
): Promise<Array<{ id: string; name: string }>> {
	const ids = await boardChildIds(db, b);
	if (ids.length === 0) return [];
	const rows = await db
		.select({ id: student.id, firstName: student.firstName, lastName: student.lastName })
		.from(student)
		.where(and(inArray(student.id, ids), eq(student.schoolId, b.schoolId)));
	return ids.flatMap((id) => {
		const s = rows.find((r) => r.id === id);
		return s ? [{ id, name: `${s.firstName} ${s.lastName}`.trim() }] : [];
	});
}

export const displayNameSchema = text().trim().min(1, 'required').max(60, 'too_long');

export async function listBoardMembers(db: Queryable, boardId: string) {
	return db
		.select({ userId: user.id, name: user.name, email: user.email, role: boardMember.role })
		.from(boardMember)
		.innerJoin(user, eq(user.id, boardMember.userId))
		.where(eq(boardMember.boardId, boardId))
		.orderBy(asc(user.name));
}

/** Active colleagues of the school who could be added to the board. */
export async function listColleagues(db: Queryable, schoolId: string) {
	return db
		.select({ id: user.id, name: user.name })
		.from(user)
		.where(and(eq(user.schoolId, schoolId), isNull(user.deactivatedAt)))
		.orderBy(asc(user.name));
}

type StaffBoardRole = BoardMember['role'];

/**
 * A colleague's role on the board changed (`to: null`: taken away), written in the change's own
 * transaction. The row names every child of a conversation board (`boardStudents`): who may now
 * read it is in each of its children's file, as a guest invite's row is.
 */
async function recordBoardRoleChange(
	tx: Queryable,
	b: Pick<Board, 'id' | 'schoolId' | 'studentId'>,
	userId: string,
	who: AuditWho,
	from: StaffBoardRole | null,
	to: StaffBoardRole | null
): Promise<void> {
	await recordAudit(tx, {
		schoolId: b.schoolId,
		who,
		action: 'role.change',
		subjectType: 'user',
		subjectId: userId,
		...(await boardStudents(tx, b)),
		meta: { boardId: b.id, from, to }
	});
}

/** Give a colleague a role on the board; the change and its audit row commit together. */
export async function setBoardMember(
	db: Database,
	b: Pick<Board, 'id' | 'schoolId' | 'studentId'>,
	userId: string,
	role: StaffBoardRole,
	who: AuditWho
): Promise<boolean> {
	const changed = await db.transaction(async (tx) => {
		const [u] = await tx
			.select({ id: user.id })
			.from(user)
			.where(and(eq(user.id, userId), eq(user.schoolId, b.schoolId), isNull(user.deactivatedAt)))
			.limit(1);
		if (!u) return null;
		const [existing] = await tx
			.select({ role: boardMember.role })
			.from(boardMember)
			.where(and(eq(boardMember.boardId, b.id), eq(boardMember.userId, userId)))
			.for('update');
		await tx
			.insert(boardMember)
			.values({ boardId: b.id, userId, role })
			.onConflictDoUpdate({ target: [boardMember.boardId, boardMember.userId], set: { role } });
		if (existing?.role === role) return { replaced: false };
		await recordBoardRoleChange(tx, b, userId, who, existing?.role ?? null, role);
		return { replaced: existing !== undefined };
	});
	if (!changed) return false;
	// A changed role (editor -> viewer is a partial revocation): open connections re-check,
	// after the commit, so they read the new role.
	if (changed.replaced) accessChanged({ kind: 'board', boardId: b.id });
	return true;
}

/**
 * Take a colleague's role on the board away; the removal and its `role.change` row (`to: null`)
 * commit together. Removing someone who holds no role is no change and writes nothing.
 */
export async function removeBoardMember(
	db: Database,
	b: Pick<Board, 'id' | 'schoolId' | 'studentId'>,
	userId: string,
	who: AuditWho
): Promise<boolean> {
	const removed = await db.transaction(async (tx) => {
		const [gone] = await tx
			.delete(boardMember)
			.where(and(eq(boardMember.boardId, b.id), eq(boardMember.userId, userId)))
			.returning({ role: boardMember.role });
		if (!gone) return false;
		await recordBoardRoleChange(tx, b, userId, who, gone.role, null);
		return true;
	});
	// After the commit: open connections re-check and read that the role is gone.
	if (removed) {
		accessChanged({ kind: 'board', boardId: b.id });
		accessChanged({ kind: 'user', userId });
	}
	return removed;
}

/** A child link was asked for a student who is not one of the board's children. */
export class NotAChildOfBoardError extends Error {
	constructor() {
		super('A child link is for one of the board’s own children');
	}
}

/** A guest link was asked for a board kind that guests may never open (see permissions.ts). */
export class UnshareableBoardError extends Error {
	constructor() {
		super('This kind of board is never shared with guests');
	}
}

export async function createBoardInvite(
	db: Queryable,
	boardId: string,
	input: InviteInput,
	createdById: string,
	now = new Date()
) {
	// The route asks first (mayInviteGuests); this is the last line, whoever calls.
	const [target] = await db
		.select({ kind: board.kind, schoolId: board.schoolId, studentId: board.studentId })
		.from(board)
		// A family part is storage, never a board anyone is invited to.
		.where(and(eq(board.id, boardId), isNull(board.partOf)))
		.limit(1);
	if (!target || !guestShareable(target.kind)) throw new UnshareableBoardError();
	const { id, secret, token } = generateToken();
	// The link and its audit row together, or neither.
	return (db as Database).transaction(async (tx) => {
		// A child link is one child's device: bound to that child, read in the board's school.
		let childId: string | null = null;
		if (input.role === 'child') {
			const children = await boardChildIds(tx, { id: boardId, ...target });
			childId = input.studentId ?? children[0] ?? null;
			if (childId !== null && !children.includes(childId)) throw new NotAChildOfBoardError();
		} else if (input.studentId !== undefined) {
			throw new NotAChildOfBoardError();
		}
		const [invite] = await tx
			.insert(boardInvite)
			.values({
				id,
				boardId,
				secretHash: hashSecret(secret),
				role: input.role,
				studentId: childId,
				label: input.label,
				singleUse: input.singleUse,
				expiresAt: new Date(now.getTime() + input.expiresHours * 3_600_000),
				createdById,
				createdAt: now
			})
			.returning();
		await recordAudit(tx, {
			schoolId: target.schoolId,
			who: { kind: 'account', userId: createdById },
			action: 'guest.invite',
			subjectType: 'board_invite',
			subjectId: id,
			...(await boardStudents(tx, { id: boardId, ...target })),
			meta: { boardId, guestRole: input.role }
		});
		return { token, invite: invite! };
	});
}

/** Invites that still work (not revoked, not expired, not used up). */
export async function listActiveInvites(db: Queryable, boardId: string, now = new Date()) {
	const rows = await db
		.select({
			id: boardInvite.id,
			role: boardInvite.role,
			studentId: boardInvite.studentId,
			label: boardInvite.label,
			singleUse: boardInvite.singleUse,
			usedCount: boardInvite.usedCount,
			expiresAt: boardInvite.expiresAt
		})
		.from(boardInvite)
		.where(
			and(
				eq(boardInvite.boardId, boardId),
				isNull(boardInvite.revokedAt),
				gt(boardInvite.expiresAt, now)
			)
		)
		.orderBy(desc(boardInvite.createdAt));
	return rows.filter((r) => !(r.singleUse && r.usedCount > 0));
}

export async function revokeBoardInvite(
	db: Queryable,
	boardId: string,
	inviteId: string,
	now = new Date()
): Promise<boolean> {
	const rows = await db
		.update(boardInvite)
		.set({ revokedAt: now })
		.where(and(eq(boardInvite.id, inviteId), eq(boardInvite.boardId, boardId)))
		.returning({ id: boardInvite.id });
	if (rows.length === 0) return false;
	await invalidateInviteSessions(db, inviteId);
	accessChanged({ kind: 'invite', inviteId, boardId });
	return true;
}

export type InviteState =
	| { ok: true; invite: typeof boardInvite.$inferSelect; board: Board }
	| { ok: false; reason: 'invalid' | 'expired' | 'revoked' | 'used' };

export async function checkBoardInvite(
	db: Queryable,
	token: string,
	now = new Date()
): Promise<InviteState> {
	const parts = splitToken(token);
	if (!parts) return { ok: false, reason: 'invalid' };
	const [row] = await db
		.select({ invite: boardInvite, board })
		.from(boardInvite)
		.innerJoin(board, eq(board.id, boardInvite.boardId))
		.where(eq(boardInvite.id, parts.id))
		.limit(1);
	if (!row || !constantTimeEqual(hashSecret(parts.secret), row.invite.secretHash)) {
		return { ok: false, reason: 'invalid' };
	}
	// An old link to a board kind that is never shared opens nothing.
	if (row.board.archivedAt || row.board.partOf || !guestShareable(row.board.kind))
		return { ok: false, reason: 'invalid' };
	if (row.invite.revokedAt) return { ok: false, reason: 'revoked' };
	if (row.invite.expiresAt <= now) return { ok: false, reason: 'expired' };
	if (row.invite.singleUse && row.invite.usedCount > 0) return { ok: false, reason: 'used' };
	return { ok: true, invite: row.invite, board: row.board };
}

export type JoinResult =
	| { ok: true; session: NewSession; boardId: string }
	| { ok: false; reason: 'invalid' | 'expired' | 'revoked' | 'used' }
	/** The label chosen is not one this link joins as (participants.ts `joinLabelsFor`). */
	| { ok: false; reason: 'label' };

/**
 * A guest joins: the invite is counted (a single-use one only once) and a session made. On a
 * conversation board the guest joins as a role (`label`, checked against the link's role).
 */
export async function joinWithInvite(
	db: Queryable,
	token: string,
	displayName: string,
	now = new Date(),
	label?: unknown
): Promise<JoinResult> {
	// One transaction: a join that fails half-way (a session that cannot be written) must not
	// have used up a single-use link.
	return (db as Database).transaction(async (tx): Promise<JoinResult> => {
		const state = await checkBoardInvite(tx, token, now);
		if (!state.ok) return state;
		const { invite } = state;
		// In a conversation (care meeting, three-way talk) everyone joins as a role; other boards
		// keep no label.
		const participantLabel = hasFamilyPart(state.board.kind)
			? parseJoinLabel(invite.role, label)
			: null;
		if (participantLabel === 'invalid') return { ok: false, reason: 'label' };
		const counted = await tx
			.update(boardInvite)
			.set({ usedCount: sql`${boardInvite.usedCount} + 1` })
			.where(
				invite.singleUse
					? and(eq(boardInvite.id, invite.id), eq(boardInvite.usedCount, 0))
					: and(eq(boardInvite.id, invite.id), ne(boardInvite.usedCount, -1))
			)
			.returning({ id: boardInvite.id });
		if (counted.length === 0) return { ok: false, reason: 'used' };
		const session = await createGuestSession(
			tx,
			{
				schoolId: state.board.schoolId,
				boardId: state.board.id,
				inviteId: invite.id,
				role: invite.role,
				displayName,
				participantLabel,
				endsAt: invite.expiresAt
			},
			now
		);
		await recordAudit(tx, {
			schoolId: state.board.schoolId,
			who: {
				kind: 'guest',
				session: session.session,
				schoolId: state.board.schoolId,
				boardId: state.board.id,
				role: invite.role,
				displayName
			},
			action: 'guest.join',
			subjectType: 'board',
			subjectId: state.board.id,
			...(await boardStudents(tx, state.board))
		});
		return { ok: true, session, boardId: state.board.id };
	});
}
