import { error, json } from '@sveltejs/kit';
import { requireBoard } from '$lib/server/access/guards';
import { visibleWallPhotos } from '$lib/server/voortgang';
import type { RequestHandler } from './$types';

/**
 * Which photos a wall may show right now. The wall polls this every few seconds, so a
 * withdrawn consent takes the photo off every open screen without a reload.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	// A JSON endpoint: no session is a 404 too, not a redirect to a login page.
	if (!locals.actor) error(404, 'Not found');
	const { database, actor, board } = await requireBoard(locals, params.boardId);
	if (board.kind !== 'voortgangsbord') error(404, 'Not found');
	const photos = await visibleWallPhotos(database, board, actor);
	return json({ photos }, { headers: { 'cache-control': 'private, no-store' } });
};
