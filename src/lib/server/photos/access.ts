/**
 * Who may see a student (their photo, their card, their history). Kept next to the photo
 * route because a photo is the most sensitive thing we show, and every other student view
 * asks the same question.
 */
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../auth/actor';
import { isTeamMember } from '../auth/permissions';

export { loadStudent } from '../auth/permissions';
import type { Queryable } from '../db';
import { board, type Student } from '../db/schema';

/**
 * Staff of the student's school who are admin, the mentor, or a member of the student's team;
 * a wall of the student's team; a guest only on a board about that very student.
 */
export async function canSeeStudent(db: Queryable, actor: Actor | null, s: Student) {
	if (!actor) return false;
	switch (actor.kind) {
		case 'user':
			if (actor.user.schoolId !== s.schoolId) return false;
			if (actor.user.role === 'admin' || s.mentorId === actor.user.id) return true;
			return s.teamId !== null && isTeamMember(db, s.schoolId, s.teamId, actor.user.id);
		case 'device':
			return actor.schoolId === s.schoolId && s.teamId !== null && actor.teamId === s.teamId;
		case 'guest': {
			if (actor.schoolId !== s.schoolId) return false;
			const [row] = await db
				.select({ id: board.id })
				.from(board)
				.where(
					and(
						eq(board.id, actor.boardId),
						eq(board.schoolId, actor.schoolId),
						eq(board.studentId, s.id)
					)
				)
				.limit(1);
			return row !== undefined;
		}
	}
}

/** Uploading a photo and recording consent: staff who may see the student, never a wall or guest. */
export async function canManageStudent(db: Queryable, actor: Actor | null, s: Student) {
	return actor?.kind === 'user' && (await canSeeStudent(db, actor, s));
}
