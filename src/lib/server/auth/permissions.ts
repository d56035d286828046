/**
 * Who may do what: the one policy of Groeibord. Routes (through the guards in
 * ../access/guards.ts), the /sync upgrade and the photo route all ask this module; no other
 * file decides access to a board, a student, a team or a review round.
 *
 * Every lookup by id is scoped to the actor's school in the query itself
 * (`where id = ? and school_id = ?`): ids leak (a team id is on every team board), so an id
 * must never be enough to reach another school's rows, whatever check comes after.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { personalBoardKinds } from '../../board/kinds';
import type { Queryable } from '../db';
import {
	board,
	boardMember,
	reviewRound,
	student,
	team,
	teamMember,
	type Board,
	type ReviewRound,
	type Student,
	type Team
} from '../db/schema';
import type { Actor } from './actor';
import { canWrite, capabilitiesOf, type BoardRole } from '../../board/capabilities';

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

/** A live board of this school, or null (another school's board does not exist for you). */
export async function loadBoard(
	db: Queryable,
	schoolId: string,
	boardId: string
): Promise<Board | null> {
	const [row] = await db
		.select()
		.from(board)
		.where(and(eq(board.id, boardId), eq(board.schoolId, schoolId), isNull(board.archivedAt)))
		.limit(1);
	return row ?? null;
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

/* ------------------------------------------------------------------ boards */

/** May write something to the board (what exactly: src/lib/board/capabilities.ts). */
export function canEdit(role: BoardRole | null): boolean {
	return canWrite(role);
}

/** May share the board (invite and revoke guests, copy it with its content). */
export function canManage(role: BoardRole | null): boolean {
	return capabilitiesOf(role).share;
}

/** The actor's role on a board, or null when they may not open it at all. */
export async function boardRole(
	db: Queryable,
	actor: Actor | null,
	target: Board | string
): Promise<BoardRole | null> {
	if (!actor) return null;
	const schoolId = actorSchool(actor);
	const b = typeof target === 'string' ? await loadBoard(db, schoolId, target) : target;
	if (!b || b.archivedAt || b.schoolId !== schoolId) return null;

	if (actor.kind === 'guest') return actor.boardId === b.id ? actor.role : null;
	if (actor.kind === 'device') {
		return b.teamId === actor.teamId && !personalKinds.has(b.kind) ? 'editor' : null;
	}

	if (actor.user.role === 'admin') return 'owner';
	const [member] = await db
		.select({ role: boardMember.role })
		.from(boardMember)
		.where(and(eq(boardMember.boardId, b.id), eq(boardMember.userId, actor.user.id)))
		.limit(1);
	if (member) return member.role;
	if (b.createdById === actor.user.id) return 'owner';
	if (personalKinds.has(b.kind)) {
		// The child's mentor is always part of the child's own conversations.
		if (b.studentId) {
			const s = await loadStudent(db, schoolId, b.studentId);
			if (s?.mentorId === actor.user.id) return 'editor';
		}
		return null;
	}
	if (b.teamId && (await isTeamMember(db, schoolId, b.teamId, actor.user.id))) return 'editor';
	return null;
}
