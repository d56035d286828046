import { requireBoard } from '$lib/board/verbeterbord-access.server';
import { listSessionRecords } from '$lib/board/verbeterbord-records.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { database, board } = await requireBoard(locals, params.boardId);
	const records = await listSessionRecords(database, board.id);
	return {
		board: { id: board.id, title: board.title, kind: board.kind, teamId: board.teamId },
		records: records.map((r) => ({ id: r.id, createdAt: r.createdAt.toISOString(), data: r.data }))
	};
};
