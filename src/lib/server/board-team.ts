/**
 * The faces on a wall's check-in: the names of the board's team, nothing else (no ids, no
 * e-mail addresses), and only people of the board's own school who can still log in.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { teamBoardKinds } from '../board/kinds';
import type { Queryable } from './db';
import { teamMember, user, type Board } from './db/schema';

/** Enough for any teacher team; a wall has room for about this many faces. */
const MAX_FACES = 40;

export async function teamNames(
	db: Queryable,
	b: Pick<Board, 'kind' | 'teamId' | 'schoolId'>
): Promise<string[]> {
	if (!b.teamId || !teamBoardKinds.includes(b.kind)) return [];
	const rows = await db
		.select({ name: user.name })
		.from(teamMember)
		.innerJoin(user, eq(user.id, teamMember.userId))
		.where(
			and(
				eq(teamMember.teamId, b.teamId),
				eq(user.schoolId, b.schoolId),
				isNull(user.deactivatedAt)
			)
		)
		.orderBy(asc(user.name))
		.limit(MAX_FACES);
	return rows.map((r) => r.name);
}
