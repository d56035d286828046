/** Board queries that respect access: only boards the actor may open are ever listed. */
import { and, asc, desc, eq, inArray, isNull, max, or, type SQL } from 'drizzle-orm';
import { personalBoardKinds, teamBoardKinds } from '../board/kinds';
import { cardsMap } from '../board/verbeterbord';
import type { Actor } from './auth/actor';
import { actorSchool, boardRole, boardsAbout } from './auth/permissions';
import { loadBoardDoc } from './board-store';
import type { Database, Queryable } from './db';
import type { OpenBoards } from './runtime';
import {
	board,
	boardMember,
	boardRecord,
	boardStudent,
	student,
	team,
	teamMember,
	type Student
} from './db/schema';

export interface BoardListItem {
	id: string;
	kind: (typeof board.$inferSelect)['kind'];
	title: string;
	teamId: string | null;
	teamName: string | null;
}

export async function listBoardsFor(db: Queryable, actor: Actor): Promise<BoardListItem[]> {
	// A conversation board's family part (partOf set) is storage, never listed as a board.
	const live = and(
		isNull(board.archivedAt),
		isNull(board.partOf),
		eq(board.schoolId, actorSchool(actor))
	);
	return db
		.select({
			id: board.id,
			kind: board.kind,
			title: board.title,
			teamId: board.teamId,
			teamName: team.name
		})
		.from(board)
		.leftJoin(team, eq(team.id, board.teamId))
		.where(and(live, listedFor(db, actor)))
		.orderBy(asc(board.title));
}

/** Which boards of the actor's school an actor finds listed (opening one asks `boardRole`). */
function listedFor(db: Queryable, actor: Actor): SQL | undefined {
	switch (actor.kind) {
		case 'guest':
			return eq(board.id, actor.boardId);
		case 'student':
			return and(boardsAbout(db, actor.studentId), inArray(board.kind, personalBoardKinds));
		case 'device':
			return and(eq(board.teamId, actor.teamId), inArray(board.kind, teamBoardKinds));
		case 'user': {
			const u = actor.user;
			if (u.role === 'admin') return undefined;
			const myTeams = db
				.select({ id: teamMember.teamId })
				.from(teamMember)
				.where(eq(teamMember.userId, u.id));
			const myBoards = db
				.select({ id: boardMember.boardId })
				.from(boardMember)
				.where(eq(boardMember.userId, u.id));
			const myStudents = db
				.select({ id: student.id })
				.from(student)
				.where(eq(student.mentorId, u.id));
			return or(
				inArray(board.id, myBoards),
				eq(board.createdById, u.id),
				and(inArray(board.teamId, myTeams), inArray(board.kind, teamBoardKinds)),
				inArray(board.studentId, myStudents),
				// A care meeting where a mentee of theirs is a sibling (boardRole: they own it).
				inArray(
					board.id,
					db
						.select({ id: boardStudent.boardId })
						.from(boardStudent)
						.where(inArray(boardStudent.studentId, myStudents))
				)
			);
		}
	}
}

export interface ConversationListItem {
	id: string;
	kind: (typeof board.$inferSelect)['kind'];
	title: string;
	createdAt: Date;
	/** When its last record (an ended session) was kept, if ever. */
	lastRecordAt: Date | null;
}

/**
 * A student's conversation boards (zorgoverleg, driehoeksgesprek), newest first: only those
 * the actor may open (boardRole), so a colleague of the team sees none of them, a guest only
 * their own. A conversation's family part is storage, never listed.
 */
export async function listConversationsFor(
	db: Queryable,
	actor: Actor,
	s: Pick<Student, 'id' | 'schoolId'>
): Promise<ConversationListItem[]> {
	const rows = await db
		.select()
		.from(board)
		.where(
			and(
				eq(board.schoolId, s.schoolId),
				boardsAbout(db, s.id),
				inArray(board.kind, [...personalBoardKinds]),
				isNull(board.archivedAt),
				isNull(board.partOf)
			)
		)
		.orderBy(desc(board.createdAt), desc(board.id));
	const open: typeof rows = [];
	for (const b of rows) if (await boardRole(db, actor, b)) open.push(b);
	if (open.length === 0) return [];
	const records = await db
		.select({ boardId: boardRecord.boardId, at: max(boardRecord.createdAt) })
		.from(boardRecord)
		.where(
			inArray(
				boardRecord.boardId,
				open.map((b) => b.id)
			)
		)
		.groupBy(boardRecord.boardId);
	const last = new Map(records.map((r) => [r.boardId, r.at]));
	return open.map((b) => {
		const at = last.get(b.id);
		return {
			id: b.id,
			kind: b.kind,
			title: b.title,
			createdAt: b.createdAt,
			lastRecordAt: at ? new Date(at) : null
		};
	});
}

/**
 * No cards on the board yet (a new board opens with "Zo werkt dit bord"). The live room's
 * document when the board is open in this process: a card added a moment ago may not be stored
 * yet, and a reload right after it must not put the intro back above that card.
 */
export async function boardIsEmpty(
	db: Database,
	boardId: string,
	openBoards?: OpenBoards
): Promise<boolean> {
	const open = await openBoards?.get(boardId);
	if (open && !open.destroyed) return cardsMap(open.doc).size === 0;
	const { doc } = await loadBoardDoc(db, boardId);
	const empty = cardsMap(doc).size === 0;
	doc.destroy();
	return empty;
}
