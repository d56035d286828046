/**
 * A student's personal link: no account, the student's own conversation boards and preparation
 * pages on their own phone (issue 10). The mentor (or a school admin) makes it on the student's
 * page (`mayManageStudentLink`); it lives a year, a student has at most one live link (a new one
 * revokes the old one), and revoking it ends every session it opened and closes their sockets.
 *
 * Token: `id.secret` (2 × 120 bits) like every other token (tokens.ts); only SHA-256(secret)
 * is stored in `student_link.secretHash`. Redeeming it is a POST (a chat app's link preview
 * must not spend anything) that opens a `student` session (session.ts).
 */
import { and, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { accessChanged } from '../access-events';
import type { Database, Queryable } from '../db';
import { board, session, student, studentLink, type Student } from '../db/schema';
import { DAY_MS } from '../../board/dates';
import { personalBoardKinds } from '../../board/kinds';
import type { Actor } from './actor';
import { createStudentSession, type NewSession } from './session';
import { constantTimeEqual, generateToken, hashSecret, splitToken } from './tokens';
import { boardsAbout, mayChooseFamilyShare } from './permissions';
import { recordAudit, type AuditAction } from '../privacy/audit';

/** A school year and a bit: made at the start of the year, it lasts until the next one. */
export const STUDENT_LINK_DAYS = 365;

type UserActor = Extract<Actor, { kind: 'user' }>;
type StudentActor = Extract<Actor, { kind: 'student' }>;

/** Revoke the student's live links and end their sessions; returns the ended session ids. */
async function revokeLinks(tx: Queryable, s: Pick<Student, 'id' | 'schoolId'>, now: Date) {
	const revoked = await tx
		.update(studentLink)
		.set({ revokedAt: now })
		.where(
			and(
				eq(studentLink.studentId, s.id),
				eq(studentLink.schoolId, s.schoolId),
				isNull(studentLink.revokedAt)
			)
		)
		.returning({ id: studentLink.id });
	if (revoked.length === 0) return { links: [], sessions: [] };
	const ids = revoked.map((r) => r.id);
	const ended = await tx
		.delete(session)
		.where(and(eq(session.kind, 'student'), inArray(session.studentLinkId, ids)))
		.returning({ id: session.id });
	return { links: ids, sessions: ended.map((r) => r.id) };
}

/** Tell the sync server: these sessions are gone, close their sockets now. */
function sessionsEnded(ids: string[]) {
	for (const sessionId of ids) accessChanged({ kind: 'session', sessionId });
}

function audit(
	tx: Queryable,
	actor: UserActor | StudentActor,
	action: AuditAction,
	s: Pick<Student, 'id' | 'schoolId'>,
	meta: Record<string, unknown> = {}
) {
	return recordAudit(tx, {
		schoolId: s.schoolId,
		who: actor,
		action,
		subjectType: 'student',
		subjectId: s.id,
		studentId: s.id,
		meta
	});
}

/**
 * A new personal link; the old one (if any) stops working in the same transaction, so a student
 * never has two. The caller has asked `mayManageStudentLink`.
 */
export async function createStudentLink(
	db: Database,
	actor: UserActor,
	s: Pick<Student, 'id' | 'schoolId'>,
	now = new Date()
) {
	const { id, secret, token } = generateToken();
	const { link, ended } = await db.transaction(async (tx) => {
		const old = await revokeLinks(tx, s, now);
		const [row] = await tx
			.insert(studentLink)
			.values({
				id,
				schoolId: s.schoolId,
				studentId: s.id,
				secretHash: hashSecret(secret),
				createdById: actor.user.id,
				createdAt: now,
				expiresAt: new Date(now.getTime() + STUDENT_LINK_DAYS * DAY_MS)
			})
			.returning();
		await audit(tx, actor, 'student_link.create', s, { linkId: id, replaced: old.links });
		return { link: row!, ended: old.sessions };
	});
	sessionsEnded(ended);
	return { token, link };
}

/** Revoke the student's link: every session it opened ends and its sockets close at once. */
export async function revokeStudentLink(
	db: Database,
	actor: UserActor,
	s: Pick<Student, 'id' | 'schoolId'>,
	now = new Date()
): Promise<boolean> {
	const { links, sessions } = await db.transaction(async (tx) => {
		const old = await revokeLinks(tx, s, now);
		if (old.links.length > 0) {
			await audit(tx, actor, 'student_link.revoke', s, { linkIds: old.links });
		}
		return old;
	});
	sessionsEnded(sessions);
	return links.length > 0;
}

/** The student's live link as the mentor sees it (never its token: that was shown once). */
export async function liveStudentLink(
	db: Queryable,
	s: Pick<Student, 'id' | 'schoolId'>,
	now = new Date()
) {
	const [row] = await db
		.select({
			createdAt: studentLink.createdAt,
			expiresAt: studentLink.expiresAt,
			lastUsedAt: studentLink.lastUsedAt
		})
		.from(studentLink)
		.where(
			and(
				eq(studentLink.studentId, s.id),
				eq(studentLink.schoolId, s.schoolId),
				isNull(studentLink.revokedAt),
				gt(studentLink.expiresAt, now)
			)
		)
		.orderBy(desc(studentLink.createdAt))
		.limit(1);
	return row ?? null;
}

/** Bad, revoked, expired or of a student who left: one answer, so a token is no oracle. */
export type StudentLinkState =
	{ ok: true; link: typeof studentLink.$inferSelect; firstName: string } | { ok: false };

export async function checkStudentLink(
	db: Queryable,
	token: string,
	now = new Date()
): Promise<StudentLinkState> {
	const parts = splitToken(token);
	if (!parts) return { ok: false };
	const [row] = await db
		.select({ link: studentLink, firstName: student.firstName, leftAt: student.leftAt })
		.from(studentLink)
		// The student of the link's own school: a link never reaches across schools.
		.innerJoin(
			student,
			and(eq(student.id, studentLink.studentId), eq(student.schoolId, studentLink.schoolId))
		)
		.where(eq(studentLink.id, parts.id))
		.limit(1);
	if (!row || !constantTimeEqual(hashSecret(parts.secret), row.link.secretHash)) {
		return { ok: false };
	}
	if (row.link.revokedAt || row.link.expiresAt <= now || row.leftAt) return { ok: false };
	return { ok: true, link: row.link, firstName: row.firstName };
}

/** Open the student's own session through their link (one transaction: checked, used, made). */
export async function redeemStudentLink(
	db: Database,
	token: string,
	now = new Date()
): Promise<{ ok: true; session: NewSession } | { ok: false }> {
	return db.transaction(async (tx) => {
		const state = await checkStudentLink(tx, token, now);
		if (!state.ok) return state;
		await tx.update(studentLink).set({ lastUsedAt: now }).where(eq(studentLink.id, state.link.id));
		const made = await createStudentSession(tx, state.link, state.firstName, now);
		return { ok: true as const, session: made };
	});
}

/* ------------------------------------------------------------------ what my parents see */

export const familyShareSchema = z.object({ familyShare: z.enum(['family', 'none']) });

/**
 * The student (16+) decides what their parents see of their conversation boards. Switching to
 * `none` closes the parents' open sockets on those boards at once (their re-check finds no
 * role: `boardRole`). Under 16 the setting is not theirs to make: refused.
 */
export async function setFamilyShare(
	db: Database,
	actor: StudentActor,
	value: 'family' | 'none',
	now = new Date()
): Promise<boolean> {
	const boards = await db.transaction(async (tx) => {
		const [s] = await tx
			.select()
			.from(student)
			.where(and(eq(student.id, actor.studentId), eq(student.schoolId, actor.schoolId)))
			.limit(1);
		if (!s || !mayChooseFamilyShare(s, now)) return null;
		if (s.familyShare === value) return [];
		await tx
			.update(student)
			.set({ familyShare: value, familyShareSetAt: now, updatedAt: now })
			.where(and(eq(student.id, s.id), eq(student.schoolId, s.schoolId)));
		await audit(tx, actor, 'student.family_share', s, { from: s.familyShare, to: value });
		return tx
			.select({ id: board.id })
			.from(board)
			.where(
				and(
					boardsAbout(tx, s.id),
					eq(board.schoolId, s.schoolId),
					inArray(board.kind, personalBoardKinds)
				)
			);
	});
	if (boards === null) return false;
	for (const b of boards) accessChanged({ kind: 'board', boardId: b.id });
	return true;
}
