import { error, json } from '@sveltejs/kit';
import { actorSchool, boardRole, loadBoard } from '$lib/server/auth/permissions';
import { db } from '$lib/server/runtime';
import { visibleWallPhotos } from '$lib/server/voortgang';
import type { RequestHandler } from './$types';

/**
 * Which photos a wall may show right now. The wall polls this every few seconds, so a
 * withdrawn consent takes the photo off every open screen without a reload.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.actor) error(404, 'Not found');
	const database = db();
	const board = await loadBoard(database, actorSchool(locals.actor), params.boardId);
	const role = board ? await boardRole(database, locals.actor, board) : null;
	if (!board || !role || !locals.actor || board.kind !== 'voortgangsbord') error(404, 'Not found');
	const photos = await visibleWallPhotos(database, board, locals.actor);
	return json({ photos }, { headers: { 'cache-control': 'private, no-store' } });
};
