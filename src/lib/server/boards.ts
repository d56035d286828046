/** Board queries that respect access: only boards the actor may open are ever listed. */
import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import { teamBoardKinds } from '../board/kinds';
import type { Actor } from './auth/actor';
import type { Queryable } from './db';
import { board, boardMember, student, team, teamMember } from './db/schema';

export interface BoardListItem {
	id: string;
	kind: (typeof board.$inferSelect)['kind'];
	title: string;
	teamName: string | null;
}

export async function listBoardsFor(db: Queryable, actor: Actor): Promise<BoardListItem[]> {
	const columns = { id: board.id, kind: board.kind, title: board.title, teamName: team.name };
	// A conversation board's family part (partOf set) is storage, never listed as a board.
	const live = and(isNull(board.archivedAt), isNull(board.partOf));
	if (actor.kind === 'guest') {
		return db
			.select(columns)
			.from(board)
			.leftJoin(team, eq(team.id, board.teamId))
			.where(and(live, eq(board.id, actor.boardId), eq(board.schoolId, actor.schoolId)));
	}
	if (actor.kind === 'device') {
		return db
			.select(columns)
			.from(board)
			.leftJoin(team, eq(team.id, board.teamId))
			.where(
				and(
					live,
					eq(board.schoolId, actor.schoolId),
					eq(board.teamId, actor.teamId),
					inArray(board.kind, teamBoardKinds)
				)
			)
			.orderBy(asc(board.title));
	}
	const u = actor.user;
	if (u.role === 'admin') {
		return db
			.select(columns)
			.from(board)
			.leftJoin(team, eq(team.id, board.teamId))
			.where(and(live, eq(board.schoolId, u.schoolId)))
			.orderBy(asc(board.title));
	}
	const myTeams = db
		.select({ id: teamMember.teamId })
		.from(teamMember)
		.where(eq(teamMember.userId, u.id));
	const myBoards = db
		.select({ id: boardMember.boardId })
		.from(boardMember)
		.where(eq(boardMember.userId, u.id));
	const myStudents = db.select({ id: student.id }).from(student).where(eq(student.mentorId, u.id));
	return db
		.select(columns)
		.from(board)
		.leftJoin(team, eq(team.id, board.teamId))
		.where(
			and(
				live,
				eq(board.schoolId, u.schoolId),
				or(
					inArray(board.id, myBoards),
					eq(board.createdById, u.id),
					and(inArray(board.teamId, myTeams), inArray(board.kind, teamBoardKinds)),
					inArray(board.studentId, myStudents)
				)
			)
		)
		.orderBy(asc(board.title));
}
