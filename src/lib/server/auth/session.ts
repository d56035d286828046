/**
 * Sessions, the Lucia way (own code on @oslojs, no `lucia` package).
 *
 * Token: `id.secret` (2 × 120 bits). Stored: the id and SHA-256(secret), compared in
 * constant time. Staff sessions slide: 30 min idle, 12 h absolute (OWASP ASVS L2), both
 * configurable. Device (wall) sessions end at the pairing's end (≤ 12 h); guest sessions at
 * the invite's expiry. A student's own session (opened through their personal link,
 * student-link.ts) slides 14 days idle within 90 days absolute, and ends with the link, when the
 * student leaves, or when the link is revoked. Invalid input gives `null`, never a throw.
 */
import { and, eq, inArray, lt, or } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	session,
	student,
	studentLink,
	user,
	wallPairing,
	boardInvite,
	type Session,
	type StudentLink
} from '../db/schema';
import { DAY_MS } from '../../board/dates';
import type { ParticipantLabel } from '../../board/participants';
import type { Actor, GuestRole } from './actor';
import { constantTimeEqual, generateToken, hashSecret, splitToken } from './tokens';

export interface SessionPolicy {
	idleMinutes: number;
	absoluteHours: number;
}

/** Only touch the row again when this much idle time has passed: one write per minute at most. */
const TOUCH_AFTER_MS = 60_000;

export interface NewSession {
	token: string;
	session: Session;
}

async function insertSession(
	db: Queryable,
	values: Omit<typeof session.$inferInsert, 'id' | 'secretHash'>
): Promise<NewSession> {
	const { id, secret, token } = generateToken();
	const [row] = await db
		.insert(session)
		.values({ ...values, id, secretHash: hashSecret(secret) })
		.returning();
	return { token, session: row! };
}

export function createUserSession(
	db: Queryable,
	u: { id: string; schoolId: string },
	policy: SessionPolicy,
	now = new Date()
): Promise<NewSession> {
	return insertSession(db, {
		kind: 'user',
		userId: u.id,
		schoolId: u.schoolId,
		createdAt: now,
		lastActiveAt: now,
		expiresAt: new Date(now.getTime() + policy.idleMinutes * 60_000),
		absoluteExpiresAt: new Date(now.getTime() + policy.absoluteHours * 3_600_000)
	});
}

export function createDeviceSession(
	db: Queryable,
	pairing: { id: string; schoolId: string; teamId: string; endsAt: Date },
	now = new Date()
): Promise<NewSession> {
	return insertSession(db, {
		kind: 'device',
		schoolId: pairing.schoolId,
		teamId: pairing.teamId,
		wallPairingId: pairing.id,
		createdAt: now,
		lastActiveAt: now,
		expiresAt: pairing.endsAt,
		absoluteExpiresAt: pairing.endsAt
	});
}

export function createGuestSession(
	db: Queryable,
	guest: {
		schoolId: string;
		boardId: string;
		inviteId: string;
		role: GuestRole;
		displayName: string;
		/** On a conversation board: as what the guest joined (participants.ts). */
		participantLabel?: ParticipantLabel | null;
		endsAt: Date;
	},
	now = new Date()
): Promise<NewSession> {
	return insertSession(db, {
		kind: 'guest',
		schoolId: guest.schoolId,
		boardId: guest.boardId,
		inviteId: guest.inviteId,
		guestRole: guest.role,
		displayName: guest.displayName,
		participantLabel: guest.participantLabel ?? null,
		createdAt: now,
		lastActiveAt: now,
		expiresAt: guest.endsAt,
		absoluteExpiresAt: guest.endsAt
	});
}

/**
 * A student's phone stays signed in for the school term: they open it a few times a month,
 * not daily, and re-asking the mentor for a link each fortnight would defeat "their own" page.
 */
export const STUDENT_SESSION_IDLE_DAYS = 14;
export const STUDENT_SESSION_ABSOLUTE_DAYS = 90;

export function createStudentSession(
	db: Queryable,
	link: { id: string; schoolId: string; studentId: string; expiresAt: Date },
	displayName: string,
	now = new Date()
): Promise<NewSession> {
	// Never past the link's own end: an expired link opens nothing, however it is held.
	const absolute = Math.min(
		now.getTime() + STUDENT_SESSION_ABSOLUTE_DAYS * DAY_MS,
		link.expiresAt.getTime()
	);
	return insertSession(db, {
		kind: 'student',
		schoolId: link.schoolId,
		studentId: link.studentId,
		studentLinkId: link.id,
		displayName,
		createdAt: now,
		lastActiveAt: now,
		expiresAt: new Date(Math.min(now.getTime() + STUDENT_SESSION_IDLE_DAYS * DAY_MS, absolute)),
		absoluteExpiresAt: new Date(absolute)
	});
}

export interface ValidateOptions {
	/**
	 * Slide a staff session's idle expiry forward (default true). A person's request does;
	 * the sync server's periodic re-check of an open socket must not, or an unattended board
	 * tab would keep a session alive past its idle timeout forever.
	 */
	extend?: boolean;
}

/**
 * Resolve a token to an actor, sliding a staff session's idle expiry forward unless told not
 * to. Returns null for missing, malformed, tampered, expired or revoked tokens.
 */
/** The session with whatever its kind hangs on, in one query (`where` names the sessions). */
function sessionRows(db: Queryable) {
	return db
		.select({
			row: session,
			userId: user.id,
			userSchoolId: user.schoolId,
			email: user.email,
			name: user.name,
			userRole: user.role,
			locale: user.locale,
			deactivatedAt: user.deactivatedAt,
			pairingStatus: wallPairing.status,
			inviteId: boardInvite.id,
			inviteRevokedAt: boardInvite.revokedAt,
			inviteExpiresAt: boardInvite.expiresAt,
			inviteStudentId: boardInvite.studentId,
			link: studentLink,
			studentId: student.id,
			firstName: student.firstName,
			leftAt: student.leftAt
		})
		.from(session)
		.leftJoin(user, eq(user.id, session.userId))
		.leftJoin(wallPairing, eq(wallPairing.id, session.wallPairingId))
		.leftJoin(boardInvite, eq(boardInvite.id, session.inviteId))
		.leftJoin(
			studentLink,
			and(
				eq(studentLink.id, session.studentLinkId),
				eq(studentLink.studentId, session.studentId),
				eq(studentLink.schoolId, session.schoolId)
			)
		)
		.leftJoin(
			student,
			and(eq(student.id, studentLink.studentId), eq(student.schoolId, studentLink.schoolId))
		);
}

type SessionFound = Awaited<ReturnType<ReturnType<typeof sessionRows>['where']>>[number];

export async function validateSessionToken(
	db: Queryable,
	token: string | undefined | null,
	policy: SessionPolicy,
	now = new Date(),
	options: ValidateOptions = {}
): Promise<Actor | null> {
	const parts = splitToken(token);
	if (!parts) return null;
	// One round trip for every kind: every page load and every sync upgrade asks this.
	const [found] = await sessionRows(db).where(eq(session.id, parts.id)).limit(1);
	return judgeSession(db, parts.secret, found, policy, now, options);
}

/**
 * `validateSessionToken` for many tokens with one query: after a restart a school's sockets
 * all upgrade within seconds (the sync server batches them). Answers in the order asked.
 */
export async function validateSessionTokens(
	db: Queryable,
	tokens: ReadonlyArray<string | undefined | null>,
	policy: SessionPolicy,
	now = new Date(),
	options: ValidateOptions = {}
): Promise<Array<Actor | null>> {
	const parts = tokens.map(splitToken);
	const ids = [...new Set(parts.flatMap((p) => (p ? [p.id] : [])))];
	const rows = ids.length > 0 ? await sessionRows(db).where(inArray(session.id, ids)) : [];
	const byId = new Map(rows.map((found) => [found.row.id, found]));
	const answers: Array<Actor | null> = [];
	// One after the other: a session asked twice is touched (or deleted) once.
	for (const p of parts) {
		answers.push(p ? await judgeSession(db, p.secret, byId.get(p.id), policy, now, options) : null);
	}
	return answers;
}

/** The verdict on a session row read by `sessionRows`: writes only to slide or end it. */
async function judgeSession(
	db: Queryable,
	secret: string,
	found: SessionFound | undefined,
	policy: SessionPolicy,
	now: Date,
	options: ValidateOptions
): Promise<Actor | null> {
	if (!found) return null;
	const row = found.row;
	if (!constantTimeEqual(hashSecret(secret), row.secretHash)) return null;
	if (row.expiresAt <= now || row.absoluteExpiresAt <= now) {
		await db.delete(session).where(eq(session.id, row.id));
		return null;
	}

	if (row.kind === 'user') {
		if (!row.userId || !found.userId || found.deactivatedAt) return null;
		if (options.extend !== false && now.getTime() - row.lastActiveAt.getTime() > TOUCH_AFTER_MS) {
			const expiresAt = new Date(
				Math.min(now.getTime() + policy.idleMinutes * 60_000, row.absoluteExpiresAt.getTime())
			);
			await db.update(session).set({ lastActiveAt: now, expiresAt }).where(eq(session.id, row.id));
			row.lastActiveAt = now;
			row.expiresAt = expiresAt;
		}
		return {
			kind: 'user',
			session: row,
			user: {
				id: found.userId,
				schoolId: found.userSchoolId!,
				email: found.email!,
				name: found.name!,
				role: found.userRole!,
				locale: found.locale
			}
		};
	}

	if (row.kind === 'device') {
		if (!row.teamId || !row.wallPairingId) return null;
		if (!found.pairingStatus || found.pairingStatus === 'revoked') return null;
		return {
			kind: 'device',
			session: row,
			schoolId: row.schoolId,
			teamId: row.teamId,
			wallPairingId: row.wallPairingId
		};
	}

	if (row.kind === 'student') {
		if (!row.studentId || !row.studentLinkId || !found.link || !found.studentId) return null;
		return validateStudentSession(
			db,
			row,
			{ link: found.link, firstName: found.firstName!, leftAt: found.leftAt },
			now,
			options
		);
	}

	if (!row.boardId || !row.guestRole || !row.inviteId || !found.inviteId) return null;
	if (found.inviteRevokedAt || found.inviteExpiresAt! <= now) return null;
	return {
		kind: 'guest',
		session: row,
		schoolId: row.schoolId,
		boardId: row.boardId,
		role: row.guestRole,
		displayName: row.displayName ?? '',
		childId: row.guestRole === 'child' ? (found.inviteStudentId ?? null) : null
	};
}

/**
 * A student's session holds while its link is live (not revoked, not expired) and the student
 * is still at the school the session was made for.
 */
async function validateStudentSession(
	db: Queryable,
	row: Session,
	found: { link: StudentLink; firstName: string; leftAt: Date | null },
	now: Date,
	options: ValidateOptions
): Promise<Actor | null> {
	if (found.leftAt || found.link.revokedAt || found.link.expiresAt <= now) return null;
	if (options.extend !== false && now.getTime() - row.lastActiveAt.getTime() > TOUCH_AFTER_MS) {
		const expiresAt = new Date(
			Math.min(now.getTime() + STUDENT_SESSION_IDLE_DAYS * DAY_MS, row.absoluteExpiresAt.getTime())
		);
		await db.update(session).set({ lastActiveAt: now, expiresAt }).where(eq(session.id, row.id));
		// "Last used" on the mentor's page: the student's own activity, not only the first open.
		await db.update(studentLink).set({ lastUsedAt: now }).where(eq(studentLink.id, found.link.id));
		row.lastActiveAt = now;
		row.expiresAt = expiresAt;
	}
	return {
		kind: 'student',
		session: row,
		schoolId: row.schoolId,
		studentId: row.studentId!,
		displayName: found.firstName
	};
}

export async function invalidateSession(db: Queryable, sessionId: string): Promise<void> {
	await db.delete(session).where(eq(session.id, sessionId));
}

/** Password change, role removal, deactivation: every session of that user ends. */
export async function invalidateUserSessions(db: Queryable, userId: string): Promise<void> {
	await db.delete(session).where(eq(session.userId, userId));
}

export async function deleteExpiredSessions(db: Queryable, now = new Date()): Promise<void> {
	await db
		.delete(session)
		.where(or(lt(session.expiresAt, now), lt(session.absoluteExpiresAt, now)));
}

export async function invalidateInviteSessions(db: Queryable, inviteId: string): Promise<void> {
	await db.delete(session).where(and(eq(session.inviteId, inviteId), eq(session.kind, 'guest')));
}
