import { error, redirect } from '@sveltejs/kit';
import { actorSchool, boardRole, canEdit, loadBoard } from '$lib/server/auth/permissions';
import { mayCopy } from '$lib/server/board-copy';
import { db } from '$lib/server/runtime';
import { loadProgressWall } from '$lib/server/voortgang';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.actor) redirect(303, '/login');
	const database = db();
	const board = await loadBoard(database, actorSchool(locals.actor), params.boardId);
	// Same answer for "does not exist" and "not yours": ids are not an oracle.
	const role = board ? await boardRole(database, locals.actor, board) : null;
	if (!board || !role) error(404, 'Not found');
	// Progress wall: its relational side (students, photos, history, signals); see voortgang.ts.
	const voortgang =
		board.kind === 'voortgangsbord' ? await loadProgressWall(database, board, locals.actor) : null;
	return {
		voortgang,
		board: { id: board.id, kind: board.kind, title: board.title, teamId: board.teamId },
		role,
		canEdit: canEdit(role),
		isWall: locals.actor.kind === 'device',
		canCopy: await mayCopy(database, locals.actor, board)
	};
};
