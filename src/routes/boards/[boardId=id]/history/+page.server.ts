import { requireBoard } from '$lib/server/access/guards';
import { boardForViewer } from '$lib/server/auth/permissions';
import { listSessionRecords } from '$lib/board/verbeterbord-records.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { database, actor, board } = await requireBoard(locals, params.boardId);
	const records = await listSessionRecords(database, board.id);
	return {
		board: boardForViewer(board, actor),
		records: records.map((r) => ({ id: r.id, createdAt: r.createdAt.toISOString(), data: r.data }))
	};
};
