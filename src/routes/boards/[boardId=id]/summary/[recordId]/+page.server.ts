import { error } from '@sveltejs/kit';
import { requireBoard } from '$lib/server/access/guards';
import { getSessionRecord } from '$lib/board/verbeterbord-records.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { database, board } = await requireBoard(locals, params.boardId);
	const id = Number(params.recordId);
	const record =
		Number.isSafeInteger(id) && id > 0 ? await getSessionRecord(database, board.id, id) : null;
	if (!record) error(404, 'Not found');
	return {
		board: { id: board.id, title: board.title },
		record: { id: record.id, data: record.data }
	};
};
