/**
 * The audit log's one home: who did or read what, when, about which object. Never content,
 * never tokens (issue "privacy"): an entry names an action and ids, and `meta` holds only
 * small facts (a role, a count, a reason code), never text a person wrote.
 *
 * Every read of a child's file and every privacy-relevant change goes through `recordAudit`,
 * so the admin's audit page, the student's export and retention see one table.
 */
import { and, eq, gte, inArray, isNull } from 'drizzle-orm';
import type { Queryable } from '../db';
import type { BoardKind } from '../../board/kinds';
import { auditLog, type Board, type Student } from '../db/schema';
import type { Actor } from '../auth/actor';
import { boardChildIds } from '../auth/permissions';

/** What can be logged. New actions are added here, so the admin page can name them all. */
export const auditActions = [
	// reads of a child's file
	'student.view',
	'student.timeline.view',
	'student.particulars.view',
	'student.evidence.view',
	'student.review.view',
	'student.photo.view',
	'board.view',
	'board.record.view',
	'team.pass.view',
	// privacy operations
	'student.export',
	'student.erase',
	'student.left',
	'card.erase',
	'consent.change',
	'retention.run',
	'retention.settings',
	// access
	'role.change',
	'guest.invite',
	'guest.join',
	'board.sibling_add',
	'board.sibling_remove',
	'wall.pair',
	'login.success',
	'login.failure',
	'student_link.create',
	'student_link.revoke',
	'student_link.open',
	'student.family_share'
] as const;
export type AuditAction = (typeof auditActions)[number];

/**
 * Who did it: an actor of a request, the system (the retention job), nobody known (a failed
 * login for an address without an account), or a staff account outside a request's actor (a
 * login, or a function that is handed only the user's id).
 */
export type AuditWho =
	Actor | { kind: 'system' } | { kind: 'anonymous' } | { kind: 'account'; userId: string };

export interface AuditEntry {
	schoolId: string | null;
	who: AuditWho;
	action: AuditAction;
	subjectType?: string;
	subjectId?: string;
	/** The student the entry is about, when there is one: it goes into their export. */
	studentId?: string | null;
	/**
	 * Instead of `studentId`: every student the entry is about, one row each, so each one's
	 * export and audit filter hold it (a care meeting for several children: `boardStudents`).
	 * Empty: one row about no student.
	 */
	studentIds?: readonly string[];
	/** Small facts only (role, board id, counts, reason codes); never content or tokens. */
	meta?: Record<string, unknown>;
	/** When it happened; the retention job passes its own clock. */
	at?: Date;
}

/** The stored actor columns: a staff member's user id; for others their session id. */
export function auditActor(who: AuditWho): {
	actorKind: 'user' | 'device' | 'guest' | 'student' | 'system';
	actorId: string | null;
	meta: Record<string, string>;
} {
	switch (who.kind) {
		case 'user':
			return { actorKind: 'user', actorId: who.user.id, meta: {} };
		case 'account':
			return { actorKind: 'user', actorId: who.userId, meta: {} };
		case 'device':
			return { actorKind: 'device', actorId: who.wallPairingId, meta: { teamId: who.teamId } };
		case 'guest':
			// A guest has no account: the session names them, with the role and board they came in as.
			return {
				actorKind: 'guest',
				actorId: who.session.id,
				meta: { guestRole: who.role, guestBoardId: who.boardId }
			};
		case 'student':
			return { actorKind: 'student', actorId: `student:${who.studentId}`, meta: {} };
		case 'system':
		case 'anonymous':
			return { actorKind: 'system', actorId: null, meta: {} };
	}
}

export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
	const { actorKind, actorId, meta } = auditActor(entry.who);
	const students = entry.studentIds?.length ? entry.studentIds : [entry.studentId ?? null];
	const row = {
		schoolId: entry.schoolId,
		actorKind,
		actorId,
		action: entry.action,
		subjectType: entry.subjectType ?? null,
		subjectId: entry.subjectId ?? null,
		meta: { ...meta, ...(entry.meta ?? {}) },
		...(entry.at ? { createdAt: entry.at } : {})
	};
	await db.insert(auditLog).values(students.map((studentId) => ({ ...row, studentId })));
}

/**
 * The students an entry about a board names: every child a conversation board is about (a care
 * meeting for several children names each, so a sibling's export holds who read, shared or
 * joined the meeting too), none for a team board. The one answer for every board's audit row.
 */
export async function boardStudents(
	db: Queryable,
	b: Pick<Board, 'id' | 'schoolId' | 'studentId'>
): Promise<{ studentIds: string[] }> {
	return { studentIds: await boardChildIds(db, b) };
}

/**
 * Board pages that are a read of a child's file: care boards and conversation boards, and the
 * progress wall (its cards hold the students' particulars). Team boards without a child's
 * details (verbeterbord, klassenbord, leerlingbespreking) are not logged.
 */
const boardReadActions: Partial<Record<BoardKind, AuditAction>> = {
	zorgbord: 'board.view',
	zorgoverleg: 'board.view',
	driehoeksgesprek: 'board.view',
	voortgangsbord: 'student.particulars.view'
};

/**
 * How long one view of a board counts as one read. The page load writes the row; the live
 * connection its page opens a moment later (and any reconnect of it) is the same read. A
 * connection with no read of the board by the same person this recently (a client that skipped
 * the page, a tab that reconnects after a long sleep) writes a row of its own. The same window
 * holds for a student's page reloaded by its live poll (`recordStudentRead`'s `rerun`).
 */
export const BOARD_READ_WINDOW_MS = 10 * 60_000;

/** Rows of this action by this actor in this school within the read window (before `now`). */
function readByWithinWindow(
	schoolId: string,
	actorId: string | null,
	action: AuditAction,
	now: Date
) {
	return and(
		eq(auditLog.schoolId, schoolId),
		actorId === null ? isNull(auditLog.actorId) : eq(auditLog.actorId, actorId),
		eq(auditLog.action, action),
		gte(auditLog.createdAt, new Date(now.getTime() - BOARD_READ_WINDOW_MS))
	);
}

/**
 * Whether `who`'s read of this subject (`action` on `subjectId`) is logged within the read window
 * before `now`: a connection or a rerun that is part of that read adds no row of its own.
 */
async function readLoggedRecently(
	db: Queryable,
	who: Actor,
	schoolId: string,
	action: AuditAction,
	subjectId: string,
	now: Date
): Promise<boolean> {
	const { actorId } = auditActor(who);
	const [recent] = await db
		.select({ id: auditLog.id })
		.from(auditLog)
		.where(
			and(readByWithinWindow(schoolId, actorId, action, now), eq(auditLog.subjectId, subjectId))
		)
		.limit(1);
	return recent !== undefined;
}

/**
 * One row per read of a board of an audited kind: its page load (`via: 'page'`) or a `/sync`
 * connection (`via: 'sync'`, server/sync.ts) unless that person's read of this board is already
 * logged within `BOARD_READ_WINDOW_MS`. The live board's content reaches a browser only over the
 * socket, so the socket is where a direct client (no page) is caught.
 */
export async function recordBoardRead(
	db: Queryable,
	who: Actor,
	b: Pick<Board, 'id' | 'schoolId' | 'kind' | 'studentId'>,
	options: { via?: 'page' | 'sync'; now?: Date } = {}
): Promise<void> {
	const action = boardReadActions[b.kind];
	if (!action) return;
	const now = options.now ?? new Date();
	if (
		options.via === 'sync' &&
		(await readLoggedRecently(db, who, b.schoolId, action, b.id, now))
	) {
		return;
	}
	await recordAudit(db, {
		schoolId: b.schoolId,
		who,
		action,
		subjectType: 'board',
		subjectId: b.id,
		...(await boardStudents(db, b)),
		meta: { boardKind: b.kind, ...(options.via === 'sync' ? { via: 'sync' } : {}) },
		at: now
	});
}

/**
 * One row per opened record of a board of an audited kind (a care meeting's or a talk's
 * summary, a zorgbord's session history): the record holds what the board held. Its own
 * action, so a `/sync` connection right after is not mistaken for part of this read.
 */
export async function recordBoardRecordRead(
	db: Queryable,
	who: Actor,
	b: Pick<Board, 'id' | 'schoolId' | 'kind' | 'studentId'>,
	view: { page: 'summary'; recordId: number } | { page: 'history' }
): Promise<void> {
	if (!boardReadActions[b.kind]) return;
	await recordAudit(db, {
		schoolId: b.schoolId,
		who,
		action: 'board.record.view',
		subjectType: 'board',
		subjectId: b.id,
		...(await boardStudents(db, b)),
		meta: { boardKind: b.kind, ...view }
	});
}

/**
 * One row per opened page that shows several of a team's students at once (the weekly pass on
 * a criterion), like the progress wall's: about the team, with how many students it showed.
 */
export async function recordTeamRead(
	db: Queryable,
	who: Actor,
	t: { id: string; schoolId: string },
	action: Extract<AuditAction, 'team.pass.view'>,
	meta: { students: number }
): Promise<void> {
	await recordAudit(db, {
		schoolId: t.schoolId,
		who,
		action,
		subjectType: 'team',
		subjectId: t.id,
		meta
	});
}

/**
 * One row per opened page of a student's file: the student page (also the student's own home,
 * `home`), the growth timeline, the evidence page, and their review advice (the mentor's
 * read-through, or the student's `preparation`). A `rerun` of the page's load that its live
 * poll asked for (growth-live.ts) is the same view: it adds no row while that person's read of
 * the page is logged within the read window (a tab left open longer counts again). A browser
 * can send the mark unasked, so it never drops a view that was not logged.
 */
export async function recordStudentRead(
	db: Queryable,
	who: Actor,
	s: Pick<Student, 'id' | 'schoolId'>,
	action: Extract<AuditAction, `student.${string}.view` | 'student.view'>,
	meta: Record<string, boolean> = {},
	options: { rerun?: boolean; now?: Date } = {}
): Promise<void> {
	const now = options.now ?? new Date();
	if (options.rerun && (await readLoggedRecently(db, who, s.schoolId, action, s.id, now))) return;
	await recordAudit(db, {
		schoolId: s.schoolId,
		who,
		action,
		subjectType: 'student',
		subjectId: s.id,
		studentId: s.id,
		meta,
		at: now
	});
}

/**
 * One row per student on a page that lists a team's students with their review (the review
 * round's overview: names, stoplights given, a decision's state), as the plenary page does per
 * child on its agenda, but in two queries whatever the number of students: a student whose
 * review this person read within the read window gets no second row, so reloading the list
 * while giving advice adds none.
 */
export async function recordStudentsRead(
	db: Queryable,
	who: Actor,
	schoolId: string,
	studentIds: readonly string[],
	action: Extract<AuditAction, 'student.review.view'>,
	meta: Record<string, boolean> = {},
	now = new Date()
): Promise<void> {
	if (studentIds.length === 0) return;
	const { actorKind, actorId, meta: whoMeta } = auditActor(who);
	const recent = await db
		.select({ subjectId: auditLog.subjectId })
		.from(auditLog)
		.where(
			and(
				readByWithinWindow(schoolId, actorId, action, now),
				inArray(auditLog.subjectId, [...studentIds])
			)
		);
	const logged = new Set(recent.map((r) => r.subjectId));
	const unread = [...new Set(studentIds)].filter((id) => !logged.has(id));
	// In slices, so a very large team stays far below a statement's parameter limit.
	for (let i = 0; i < unread.length; i += 500) {
		await db.insert(auditLog).values(
			unread.slice(i, i + 500).map((studentId) => ({
				schoolId,
				actorKind,
				actorId,
				action,
				subjectType: 'student',
				subjectId: studentId,
				studentId,
				meta: { ...whoMeta, ...meta },
				createdAt: now
			}))
		);
	}
}
