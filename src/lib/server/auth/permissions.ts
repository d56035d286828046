/**
 * Who may do what with a board. Pages, form actions, photo routes and the /sync upgrade all
 * ask `boardRole`; nothing else decides access to a board.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { personalBoardKinds } from '../../board/kinds';
import type { Queryable } from '../db';
import { board, boardMember, student, teamMember, type Board } from '../db/schema';
import type { Actor } from './actor';
import { canWrite, capabilitiesOf, type BoardRole } from '../../board/capabilities';

export type { BoardRole } from '../../board/capabilities';

const personalKinds = new Set<Board['kind']>(personalBoardKinds);

/** May write something to the board (what exactly: src/lib/board/capabilities.ts). */
export function canEdit(role: BoardRole | null): boolean {
	return canWrite(role);
}

/** May share the board (invite and revoke guests). */
export function canManage(role: BoardRole | null): boolean {
	return capabilitiesOf(role).share;
}

export async function loadBoard(db: Queryable, boardId: string): Promise<Board | null> {
	const [row] = await db
		.select()
		.from(board)
		.where(and(eq(board.id, boardId), isNull(board.archivedAt)))
		.limit(1);
	return row ?? null;
}

/** The actor's role on a board, or null when they may not open it at all. */
export async function boardRole(
	db: Queryable,
	actor: Actor | null,
	target: Board | string
): Promise<BoardRole | null> {
	if (!actor) return null;
	const b = typeof target === 'string' ? await loadBoard(db, target) : target;
	if (!b || b.archivedAt || b.schoolId !== actorSchool(actor)) return null;

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
			const [s] = await db
				.select({ mentorId: student.mentorId })
				.from(student)
				.where(eq(student.id, b.studentId))
				.limit(1);
			if (s?.mentorId === actor.user.id) return 'editor';
		}
		return null;
	}
	if (b.teamId && (await isTeamMember(db, b.teamId, actor.user.id))) return 'editor';
	return null;
}

export async function isTeamMember(db: Queryable, teamId: string, userId: string) {
	const [row] = await db
		.select({ userId: teamMember.userId })
		.from(teamMember)
		.where(and(eq(teamMember.teamId, teamId), eq(teamMember.userId, userId)))
		.limit(1);
	return row !== undefined;
}

export function actorSchool(actor: Actor): string {
	return actor.kind === 'user' ? actor.user.schoolId : actor.schoolId;
}

export function isAdmin(actor: Actor | null): boolean {
	return actor?.kind === 'user' && actor.user.role === 'admin';
}
