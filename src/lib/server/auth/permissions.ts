/**
 * Who may do what: the one policy of Groeibord. Routes (through the guards in
 * ../access/guards.ts), the /sync upgrade and the photo route all ask this module; no other
 * file decides access to a board, a student, a team or a review round.
 *
 * Every lookup by id is scoped to the actor's school in the query itself
 * (`where id = ? and school_id = ?`): ids leak (a team id is on every team board), so an id
 * must never be enough to reach another school's rows, whatever check comes after.
 */
import { and, asc, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import { hasFamilyPart } from '../../board/family-view';
import { personalBoardKinds, type BoardKind } from '../../board/kinds';
import type { Queryable } from '../db';
import { ageOn } from '../photos/consent';
import {
	board,
	boardMember,
	boardStudent,
	reviewRound,
	student,
	team,
	teamMember,
	type Board,
	type CriteriaSet,
	type Evidence,
	type ReviewRound,
	type Student,
	type Team
} from '../db/schema';
import type { Actor } from './actor';
import {
	canWrite,
	capabilitiesOf,
	scopeAllowsErase,
	type BoardRole,
	type EraseScope
} from '../../board/capabilities';

export type { BoardRole } from '../../board/capabilities';

const personalKinds = new Set<Board['kind']>(personalBoardKinds);

/* ------------------------------------------------------------------ the actor */

export function actorSchool(actor: Actor): string {
	return actor.kind === 'user' ? actor.user.schoolId : actor.schoolId;
}

export function isAdmin(actor: Actor | null): boolean {
	return actor?.kind === 'user' && actor.user.role === 'admin';
}

/* ------------------------------------------------------------------ scoped loaders */

/**
 * A `where` on `board`: this board of this school, if it is live (not archived, and not the
 * family part of a conversation board). `loadBoard`, `boardAccess` and `boardAccessMany`
 * all look boards up with it, so "live" means the same to each of them.
 */
export function liveBoard(schoolId: string, boardId: string): SQL {
	return and(
		eq(board.id, boardId),
		eq(board.schoolId, schoolId),
		isNull(board.archivedAt),
		isNull(board.partOf)
	)!;
}

/**
 * A live board of this school, or null (another school's board does not exist for you). The
 * family part of a conversation board (`partOf` set) is storage, never a board: not found.
 */
export async function loadBoard(
	db: Queryable,
	schoolId: string,
	boardId: string
): Promise<Board | null> {
	const [row] = await db.select().from(board).where(liveBoard(schoolId, boardId)).limit(1);
	return row ?? null;
}

/**
 * `loadBoard` and `boardRole` in one: for staff the membership row comes in the same query
 * (the sync server asks this for every upgrade and every re-check). Null: no such board here.
 */
export async function boardAccess(
	db: Queryable,
	actor: Actor,
	boardId: string
): Promise<{ board: Board; role: BoardRole | null } | null> {
	const schoolId = actorSchool(actor);
	if (actor.kind !== 'user' || actor.user.role === 'admin') {
		const b = await loadBoard(db, schoolId, boardId);
		return b ? { board: b, role: await boardRole(db, actor, b) } : null;
	}
	const [row] = await db
		.select({ board, memberRole: boardMember.role })
		.from(board)
		.leftJoin(
			boardMember,
			and(eq(boardMember.boardId, board.id), eq(boardMember.userId, actor.user.id))
		)
		.where(liveBoard(schoolId, boardId))
		.limit(1);
	if (!row) return null;
	return {
		board: row.board,
		role: await boardRole(db, actor, row.board, { memberRole: row.memberRole })
	};
}

/**
 * `boardAccess` for many (actor, board) pairs at once: the boards and the staff members'
 * membership rows in one query, each pair scoped to its actor's school in the query itself.
 * After a restart a school's thousands of sockets ask this within seconds (sync.ts batches them).
 */
export async function boardAccessMany(
	db: Queryable,
	requests: ReadonlyArray<{ actor: Actor; boardId: string }>
): Promise<Array<{ board: Board; role: BoardRole | null } | null>> {
	const staff = requests.filter(
		(r): r is { actor: Actor & { kind: 'user' }; boardId: string } =>
			r.actor.kind === 'user' && r.actor.user.role !== 'admin'
	);
	const found = new Map<string, { board: Board; members: Map<string, BoardRole> }>();
	if (staff.length > 0) {
		const rows = await db
			.select({ board, memberUserId: boardMember.userId, memberRole: boardMember.role })
			.from(board)
			.leftJoin(
				boardMember,
				and(
					eq(boardMember.boardId, board.id),
					inArray(boardMember.userId, [...new Set(staff.map((r) => r.actor.user.id))])
				)
			)
			.where(or(...staff.map((r) => liveBoard(r.actor.user.schoolId, r.boardId))));
		for (const row of rows) {
			let entry = found.get(row.board.id);
			if (!entry) found.set(row.board.id, (entry = { board: row.board, members: new Map() }));
			if (row.memberUserId && row.memberRole) entry.members.set(row.memberUserId, row.memberRole);
		}
	}
	return Promise.all(
		requests.map(async ({ actor, boardId }) => {
			if (actor.kind !== 'user' || actor.user.role === 'admin') {
				return boardAccess(db, actor, boardId);
			}
			const entry = found.get(boardId);
			// Found for another school's staff member in the same batch: not this actor's board.
			if (!entry || entry.board.schoolId !== actor.user.schoolId) return null;
			const memberRole = entry.members.get(actor.user.id) ?? null;
			return { board: entry.board, role: await boardRole(db, actor, entry.board, { memberRole }) };
		})
	);
}

export async function loadStudent(
	db: Queryable,
	schoolId: string,
	studentId: string
): Promise<Student | null> {
	const [row] = await db
		.select()
		.from(student)
		.where(and(eq(student.id, studentId), eq(student.schoolId, schoolId)))
		.limit(1);
	return row ?? null;
}

/** A team of this school (archived ones too: their archive stays readable). */
export async function loadTeam(
	db: Queryable,
	schoolId: string,
	teamId: string
): Promise<Team | null> {
	const [row] = await db
		.select()
		.from(team)
		.where(and(eq(team.id, teamId), eq(team.schoolId, schoolId)))
		.limit(1);
	return row ?? null;
}

export async function loadRound(
	db: Queryable,
	schoolId: string,
	roundId: string
): Promise<ReviewRound | null> {
	const [row] = await db
		.select()
		.from(reviewRound)
		.where(and(eq(reviewRound.id, roundId), eq(reviewRound.schoolId, schoolId)))
		.limit(1);
	return row ?? null;
}

/** Membership of a team of this school: a team id of another school is never a match. */
export async function isTeamMember(
	db: Queryable,
	schoolId: string,
	teamId: string,
	userId: string
): Promise<boolean> {
	const [row] = await db
		.select({ userId: teamMember.userId })
		.from(teamMember)
		.innerJoin(team, eq(team.id, teamMember.teamId))
		.where(
			and(eq(teamMember.teamId, teamId), eq(teamMember.userId, userId), eq(team.schoolId, schoolId))
		)
		.limit(1);
	return row !== undefined;
}

/* ------------------------------------------------------------------ the children of a board */

/**
 * The students a conversation board is about, as ids, its first child (`board.student_id`)
 * first, then the siblings added to a care meeting (`board_student`) in the order they came.
 */
export async function boardChildIds(
	db: Queryable,
	b: Pick<Board, 'id' | 'schoolId' | 'studentId'>
): Promise<string[]> {
	if (!b.studentId) return [];
	const siblings = await db
		.select({ id: boardStudent.studentId })
		.from(boardStudent)
		.where(and(eq(boardStudent.boardId, b.id), eq(boardStudent.schoolId, b.schoolId)))
		.orderBy(asc(boardStudent.createdAt), asc(boardStudent.studentId));
	return [b.studentId, ...siblings.map((r) => r.id)];
}

/**
 * A `where` on `board`: the boards about this student, as first child or as a sibling. The
 * caller scopes it to the school (`board.school_id`), as every board query is.
 */
export function boardsAbout(db: Queryable, studentId: string): SQL {
	const asSibling = db
		.select({ id: boardStudent.boardId })
		.from(boardStudent)
		.where(eq(boardStudent.studentId, studentId));
	return or(eq(board.studentId, studentId), inArray(board.id, asSibling))!;
}

/**
 * Does a child link (bound to `childId` when it was made, board_invite.student_id) still fit
 * this board: its child is one of the board's children, or, bound to no child, the board is
 * about no child at all (a team board). Never "the first child" by default: a link bound to
 * nobody on a care meeting, or to a child taken off it (revoked then, but a link made while
 * that ran is not), opens nothing, so a device given to one child never reads as a sibling.
 */
export async function childLinkFits(
	db: Queryable,
	b: Pick<Board, 'id' | 'schoolId' | 'studentId'>,
	childId: string | null
): Promise<boolean> {
	if (childId === null) return !b.studentId;
	return isChildOfBoard(db, b, childId);
}

/** Is the student one of the children this board is about (its first child or a sibling)? */
export async function isChildOfBoard(
	db: Queryable,
	b: Pick<Board, 'id' | 'schoolId' | 'studentId'>,
	studentId: string
): Promise<boolean> {
	if (b.studentId === studentId) return true;
	if (!b.studentId) return false;
	const [row] = await db
		.select({ id: boardStudent.studentId })
		.from(boardStudent)
		.where(
			and(
				eq(boardStudent.boardId, b.id),
				eq(boardStudent.studentId, studentId),
				eq(boardStudent.schoolId, b.schoolId)
			)
		)
		.limit(1);
	return row !== undefined;
}

/* ------------------------------------------------------------------ boards */

/** May write something to the board (what exactly: src/lib/board/capabilities.ts). */
export function canEdit(role: BoardRole | null): boolean {
	return canWrite(role);
}

/** May share the board (invite and revoke guests, copy it with its content). */
export function canManage(role: BoardRole | null): boolean {
	return capabilitiesOf(role).share;
}

/**
 * Board kinds a guest link may open. Team progress walls, the student review, class boards and
 * the zorgbord (a whole class's concerns) show many children at once: families are involved
 * through per-student conversation boards instead (domain.md). A verbeterbord may have a care
 * partner as guest, invited by its owner (who alone may share it, and whose sharing a copy
 * keeps: board-copy.ts).
 */
const guestKinds = new Set<BoardKind>(['verbeterbord', 'zorgoverleg', 'driehoeksgesprek']);

export function guestShareable(kind: BoardKind): boolean {
	return guestKinds.has(kind);
}

/** The actor's role on a board, or null when they may not open it at all. */
export async function boardRole(
	db: Queryable,
	actor: Actor | null,
	target: Board | string,
	/** A staff member's membership row of this board, when already read (`boardAccess`). */
	known?: { memberRole: BoardRole | null }
): Promise<BoardRole | null> {
	if (!actor) return null;
	const schoolId = actorSchool(actor);
	const b = typeof target === 'string' ? await loadBoard(db, schoolId, target) : target;
	if (!b || b.archivedAt || b.partOf || b.schoolId !== schoolId) return null;

	if (actor.kind === 'guest') {
		// A link made before a kind became unshareable opens nothing either.
		if (actor.boardId !== b.id || !guestShareable(b.kind)) return null;
		// A student of 16+ who chose that parents see nothing: a parent link opens nothing.
		if (actor.role === 'parent' && (await familyShutOut(db, b))) return null;
		if (actor.role === 'child' && !(await childLinkFits(db, b, actor.childId ?? null))) return null;
		return actor.role;
	}
	if (actor.kind === 'device') {
		return b.teamId === actor.teamId && !personalKinds.has(b.kind) ? 'editor' : null;
	}
	if (actor.kind === 'student') {
		// Through their own link a student is the child of their own conversations, and only those
		// (a care meeting held for them and their siblings included).
		if (!personalKinds.has(b.kind)) return null;
		return (await isChildOfBoard(db, b, actor.studentId)) ? 'child' : null;
	}

	if (actor.user.role === 'admin') return 'owner';
	const memberRole = known
		? known.memberRole
		: ((
				await db
					.select({ role: boardMember.role })
					.from(boardMember)
					.where(and(eq(boardMember.boardId, b.id), eq(boardMember.userId, actor.user.id)))
					.limit(1)
			)[0]?.role ?? null);
	if (memberRole) return memberRole;
	if (b.createdById === actor.user.id) return 'owner';
	if (personalKinds.has(b.kind)) {
		// The child's mentor owns the child's own conversations: they invite the family to them.
		// On a care meeting for several children, the mentor of each.
		for (const id of await boardChildIds(db, b)) {
			const s = await loadStudent(db, schoolId, id);
			if (s?.mentorId === actor.user.id) return 'owner';
		}
		return null;
	}
	if (b.teamId && (await isTeamMember(db, schoolId, b.teamId, actor.user.id))) return 'editor';
	return null;
}

/**
 * From 16 a student decides what their parents see (domain.md). `none` counts only while the
 * student is 16 or older by their birth date: under 16 (or without a known birth date) the
 * setting is neither offered nor applied.
 */
export function familySharesNothing(
	s: Pick<Student, 'familyShare' | 'birthDate'>,
	now = new Date()
): boolean {
	return s.familyShare === 'none' && mayChooseFamilyShare(s, now);
}

/** The student is old enough to decide what their parents see. */
export function mayChooseFamilyShare(s: Pick<Student, 'birthDate'>, now = new Date()): boolean {
	return s.birthDate !== null && ageOn(s.birthDate, now) >= 16;
}

/**
 * A conversation board whose student chose that their parents see nothing of it. On a care
 * meeting for several children, one such child is enough: the family part holds every child's
 * family cards, so it stays closed rather than show that child's words.
 */
async function familyShutOut(db: Queryable, b: Board): Promise<boolean> {
	if (!personalKinds.has(b.kind) || !b.studentId) return false;
	for (const id of await boardChildIds(db, b)) {
		const s = await loadStudent(db, b.schoolId, id);
		if (s !== null && familySharesNothing(s)) return true;
	}
	return false;
}

/** A new parent link to this board would open nothing: refuse to make one. */
export async function parentInviteRefused(db: Queryable, b: Board): Promise<boolean> {
	return familyShutOut(db, b);
}

/**
 * Whether this role sees only the family part of the board: a parent on a conversation board
 * never receives the cards the child kept for the care team (server/family-mirror.ts).
 */
export function seesFamilyPartOnly(role: BoardRole | null, b: Pick<Board, 'kind'>): boolean {
	return role === 'parent' && hasFamilyPart(b.kind);
}

/**
 * The board itself as a page may show it. A guest holds a key to this one board: it gets no
 * team id (ids open other pages, and say which team a child belongs to), only what the board
 * shows on screen.
 */
export function boardForViewer(b: Board, actor: Actor) {
	const base = { id: b.id, kind: b.kind, title: b.title };
	return actor.kind === 'guest' || actor.kind === 'student'
		? { ...base, teamId: null }
		: { ...base, teamId: b.teamId };
}

/** Invite guests to this board: its owners, and only on a kind that guests may ever open. */
export function mayInviteGuests(role: BoardRole | null, b: Pick<Board, 'kind'>): boolean {
	return canManage(role) && guestShareable(b.kind);
}

/** Board kinds that can be copied as a template (settings and, optionally, cards). */
export const copyableKinds = new Set<BoardKind>(['verbeterbord', 'zorgbord', 'klassenbord']);

/** Staff who may edit the board and work in its team (admins anywhere in their school). */
export async function mayCopyBoard(db: Queryable, actor: Actor | null, source: Board) {
	if (actor?.kind !== 'user' || !copyableKinds.has(source.kind)) return false;
	if (!canEdit(await boardRole(db, actor, source))) return false;
	if (actor.user.role === 'admin' || !source.teamId) return true;
	return isTeamMember(db, source.schoolId, source.teamId, actor.user.id);
}

/**
 * Confidential cards (a zorgbord's concerns) travel into a copy only with someone who may
 * share the original: a copy is a new board, and its owner decides who else reads it.
 */
export async function mayCopyConfidential(db: Queryable, actor: Actor, source: Board) {
	return canManage(await boardRole(db, actor, source));
}

/** Boards staff create on a team. A leerlingbespreking is started from /reviews instead. */
export const teamCreateKinds = [
	'verbeterbord',
	'zorgbord',
	'klassenbord',
	'voortgangsbord'
] as const satisfies readonly BoardKind[];
export type TeamCreateKind = (typeof teamCreateKinds)[number];

/** The conversation boards about one student (personalBoardKinds), created on the student. */
export const conversationKinds = [
	'zorgoverleg',
	'driehoeksgesprek'
] as const satisfies readonly BoardKind[];
export type ConversationKind = (typeof conversationKinds)[number];

export type CreateTarget =
	{ kind: TeamCreateKind; team: Team } | { kind: ConversationKind; student: Student };

/**
 * Creating a board: on a live team, its members and the school's admins; on a student (a
 * zorgoverleg or driehoeksgesprek), the student's mentor and the school's admins (the care
 * coordinator is an admin). Never a wall or a guest: a board is created by a person who then
 * owns it and answers for who else is invited.
 */
export async function mayCreateBoard(
	db: Queryable,
	actor: Actor | null,
	target: CreateTarget
): Promise<boolean> {
	if (actor?.kind !== 'user') return false;
	const u = actor.user;
	if ('team' in target) {
		const t = target.team;
		if (!(teamCreateKinds as readonly string[]).includes(target.kind)) return false;
		if (t.schoolId !== u.schoolId || t.archivedAt) return false;
		return u.role === 'admin' || isTeamMember(db, t.schoolId, t.id, u.id);
	}
	const s = target.student;
	if (!personalKinds.has(target.kind) || s.schoolId !== u.schoolId || s.leftAt) return false;
	return u.role === 'admin' || s.mentorId === u.id;
}

/**
 * Adding a sibling to a care meeting, so one family holds one meeting for several children:
 * staff who own the board (the first child's mentor, an admin) and who may also start the
 * sibling's own conversations (mayCreateBoard: the sibling's mentor or an admin), for a
 * student of the board's school who has not left and is not on the board yet.
 */
export async function mayAddSibling(
	db: Queryable,
	actor: Actor | null,
	b: Board,
	sibling: Student
): Promise<boolean> {
	if (actor?.kind !== 'user' || b.kind !== 'zorgoverleg' || !b.studentId) return false;
	if (sibling.schoolId !== b.schoolId || (await isChildOfBoard(db, b, sibling.id))) return false;
	if (!canManage(await boardRole(db, actor, b))) return false;
	return mayCreateBoard(db, actor, { kind: 'zorgoverleg', student: sibling });
}

/**
 * Taking a sibling off a care meeting again (privacy/erase.ts `removeSibling`): staff who
 * own the board and are the child's mentor or an admin (who could have put the child on it),
 * for a child on the board who is not its only one. Also the first child: the next one then
 * takes the first place. A child who has left may still be taken off.
 */
export async function mayRemoveSibling(
	db: Queryable,
	actor: Actor | null,
	b: Board,
	child: Student
): Promise<boolean> {
	if (actor?.kind !== 'user' || b.kind !== 'zorgoverleg' || !b.studentId) return false;
	if (child.schoolId !== b.schoolId || actor.user.schoolId !== b.schoolId) return false;
	const children = await boardChildIds(db, b);
	if (children.length < 2 || !children.includes(child.id)) return false;
	if (!canManage(await boardRole(db, actor, b))) return false;
	return actor.user.role === 'admin' || child.mentorId === actor.user.id;
}

/* ------------------------------------------------------------------ students */

/**
 * Who may see a student (their photo, their card, their history): staff of the student's
 * school who are admin, the mentor, or a member of the student's team; a wall of the
 * student's team; a guest only on a board about that very student.
 */
export async function canSeeStudent(db: Queryable, actor: Actor | null, s: Student) {
	if (!actor || actorSchool(actor) !== s.schoolId) return false;
	switch (actor.kind) {
		case 'user':
			if (actor.user.role === 'admin' || s.mentorId === actor.user.id) return true;
			return s.teamId !== null && isTeamMember(db, s.schoolId, s.teamId, actor.user.id);
		case 'device':
			return s.teamId !== null && actor.teamId === s.teamId;
		case 'guest': {
			// A parent of a 16+ student who chose `none` sees nothing of them, photo included.
			if (actor.role === 'parent' && familySharesNothing(s)) return false;
			const [row] = await db
				.select()
				.from(board)
				.where(
					and(
						eq(board.id, actor.boardId),
						eq(board.schoolId, actor.schoolId),
						isNull(board.archivedAt)
					)
				)
				.limit(1);
			return row !== undefined && (await isChildOfBoard(db, row, s.id));
		}
		case 'student':
			return actor.studentId === s.id;
	}
}

/**
 * The students a staff member may see (canSeeStudent, as one query): an admin every student of
 * the school; others the students they mentor and those of their teams. Students who left are
 * not listed. `mine` marks the actor's own mentees.
 */
export async function studentsVisibleTo(db: Queryable, actor: Actor & { kind: 'user' }) {
	const u = actor.user;
	const myTeams = db
		.select({ id: teamMember.teamId })
		.from(teamMember)
		.where(eq(teamMember.userId, u.id));
	const visible =
		u.role === 'admin'
			? undefined
			: or(eq(student.mentorId, u.id), inArray(student.teamId, myTeams));
	const rows = await db
		.select({
			id: student.id,
			firstName: student.firstName,
			lastName: student.lastName,
			groupName: student.groupName,
			mentorId: student.mentorId,
			teamId: student.teamId,
			teamName: team.name,
			birthDate: student.birthDate
		})
		.from(student)
		.leftJoin(team, and(eq(team.id, student.teamId), eq(team.schoolId, u.schoolId)))
		.where(and(eq(student.schoolId, u.schoolId), isNull(student.leftAt), visible))
		.orderBy(
			asc(team.name),
			asc(student.groupName),
			asc(student.firstName),
			asc(student.lastName),
			asc(student.id)
		);
	return rows.map((r) => ({ ...r, mine: r.mentorId === u.id }));
}

/** Uploading a photo and recording consent: staff who may see the student, never a wall or guest. */
export async function canManageStudent(db: Queryable, actor: Actor | null, s: Student) {
	return actor?.kind === 'user' && (await canSeeStudent(db, actor, s));
}

/**
 * The student's personal link (student-link.ts): made and revoked by the student's mentor or a
 * school admin, for a student who has not left. Never by a guest, a wall or the student.
 */
export function mayManageStudentLink(actor: Actor | null, s: Student): boolean {
	if (actor?.kind !== 'user' || actor.user.schoolId !== s.schoolId || s.leftAt) return false;
	return actor.user.role === 'admin' || s.mentorId === actor.user.id;
}

/**
 * Writing a student's own goals: staff who see the student, and the child (their own link, or a
 * child link); never a wall, a parent or a care partner.
 */
export function mayWriteStudentGoals(actor: Actor): boolean {
	return (
		actor.kind === 'user' ||
		actor.kind === 'student' ||
		(actor.kind === 'guest' && actor.role === 'child')
	);
}

/* ------------------------------------------------------------------ teams */

/** A team's own pages (its successes archive): its members, the school's admins, its wall. */
export async function teamAccess(
	db: Queryable,
	actor: Actor | null,
	t: Team
): Promise<'staff' | 'wall' | null> {
	if (!actor || actorSchool(actor) !== t.schoolId) return null;
	if (actor.kind === 'device') return actor.teamId === t.id ? 'wall' : null;
	if (actor.kind !== 'user') return null;
	if (actor.user.role === 'admin') return 'staff';
	return (await isTeamMember(db, t.schoolId, t.id, actor.user.id)) ? 'staff' : null;
}

/** The team's wall shows its students' photos; a guest never sees faces on a team board. */
export async function mayViewTeamPhotos(db: Queryable, actor: Actor, b: Board) {
	if (!b.teamId || actorSchool(actor) !== b.schoolId) return false;
	switch (actor.kind) {
		case 'device':
			return actor.teamId === b.teamId;
		case 'guest':
		case 'student':
			return false;
		case 'user':
			return actor.user.role === 'admin' || isTeamMember(db, b.schoolId, b.teamId, actor.user.id);
	}
}

/* ------------------------------------------------------------------ review rounds */

/** Staff of the round's team (or an admin of its school) take part; a wall of the team may show it. */
export async function roundAccess(
	db: Queryable,
	actor: Actor | null,
	round: Pick<ReviewRound, 'schoolId' | 'teamId'> | null
): Promise<'staff' | 'wall' | null> {
	if (!actor || !round || actorSchool(actor) !== round.schoolId) return null;
	if (actor.kind === 'device') return actor.teamId === round.teamId ? 'wall' : null;
	if (actor.kind !== 'user') return null;
	if (actor.user.role === 'admin') return 'staff';
	return (await isTeamMember(db, round.schoolId, round.teamId, actor.user.id)) ? 'staff' : null;
}

/** Only the student's mentor (or an admin) decides "clear" or "big question". */
export function canDecide(actor: Actor, s: Student): boolean {
	return actor.kind === 'user' && (actor.user.role === 'admin' || s.mentorId === actor.user.id);
}

/* ------------------------------------------------------------------ growth */

/** A criteria set's levels are the team's words: every staff member of the school reads them. */
export function mayReadCriteria(actor: Actor | null, set: Pick<CriteriaSet, 'schoolId'>): boolean {
	return actor?.kind === 'user' && actor.user.schoolId === set.schoolId;
}

/**
 * Editing a criteria set (a new version, its name, archiving it): a team's set by the team's
 * members and the school's admins; a school-wide set (`teamId` null) by admins only.
 */
export async function mayEditCriteria(
	db: Queryable,
	actor: Actor | null,
	set: Pick<CriteriaSet, 'schoolId' | 'teamId'>
): Promise<boolean> {
	if (actor?.kind !== 'user' || actor.user.schoolId !== set.schoolId) return false;
	if (actor.user.role === 'admin') return true;
	return set.teamId !== null && isTeamMember(db, set.schoolId, set.teamId, actor.user.id);
}

/**
 * A student's evidence and growth views (assessments, agreed goals): staff who may see the
 * student, and the student themself through their own link. Not a wall (a public place) and,
 * for now, no guest: a parent will see evidence only as it is shown on their own child's talk.
 */
export async function maySeeGrowth(db: Queryable, actor: Actor | null, s: Student) {
	if (actor?.kind === 'student') return actor.studentId === s.id && actor.schoolId === s.schoolId;
	return actor?.kind === 'user' && (await canSeeStudent(db, actor, s));
}

/** Adding evidence, or marking an agreed goal done: the same people who see it. */
export const mayAddEvidence = maySeeGrowth;

/**
 * Recording a level outside a talk and planning this week's steps towards a goal: the student
 * (self-evaluation, their own plan) and the staff who see the student. A parent gives the home
 * view in a talk, not here.
 */
export const mayRecordLevel = maySeeGrowth;
export const mayPlanWeek = maySeeGrowth;

/**
 * Removing evidence: the student removes anything about themselves (it is theirs); its author
 * removes their own; staff who may see the student remove what staff added.
 */
export async function mayRemoveEvidence(
	db: Queryable,
	actor: Actor | null,
	ev: Pick<Evidence, 'studentId' | 'addedBy' | 'authorUserId'>,
	s: Student
): Promise<boolean> {
	if (ev.studentId !== s.id || !(await maySeeGrowth(db, actor, s))) return false;
	if (actor?.kind === 'student') return true;
	if (actor?.kind !== 'user') return false;
	return ev.authorUserId === actor.user.id || ev.addedBy === 'mentor';
}

/* ------------------------------------------------------------------ erasure */

/**
 * Erasing an entry from a board *and its history* (privacy/erase.ts) cannot be undone and
 * reaches past what a board's own delete does, so it is a privacy officer's act: a school admin.
 * One exception, for the child's ownership of their words: the mentor of the child concerned
 * may erase a card in that child's own words (`wishes`) on the child's own care meeting (also
 * one held for several children: each child's mentor for that child's words) or three-way
 * talk, when the child regrets what they wrote (it is the mentor the child turns to). Never a
 * guest, a wall or the student's link: they delete their own cards on the board as usual.
 * `student`: the child concerned, one of the board's children (the caller reads them).
 */
export function eraseScopeOf(
	actor: Actor | null,
	b: Pick<Board, 'schoolId' | 'kind'>,
	student: { id: string; mentorId: string | null } | null
): EraseScope {
	if (actor?.kind !== 'user' || actor.user.schoolId !== b.schoolId) return 'none';
	if (actor.user.role === 'admin') return 'any';
	const mentorOfChild =
		personalKinds.has(b.kind) && student !== null && student.mentorId === actor.user.id;
	return mentorOfChild ? 'own-words' : 'none';
}

/** May `actor` erase this entry (a card of `type`, or a wall `note`) from the board? */
export function mayEraseCard(
	actor: Actor | null,
	b: Pick<Board, 'schoolId' | 'kind' | 'studentId'>,
	entry: { type: string; student: { id: string; mentorId: string | null } | null }
): boolean {
	return scopeAllowsErase(eraseScopeOf(actor, b, entry.student), entry.type);
}
