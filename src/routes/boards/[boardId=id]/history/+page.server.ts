import { requireBoard } from '$lib/server/access/guards';
import { boardForViewer } from '$lib/server/auth/permissions';
import { listSessionRecords } from '$lib/board/verbeterbord-records.server';
import { recordBoardRecordRead } from '$lib/server/privacy/audit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { database, actor, board } = await requireBoard(locals, params.boardId);
	const records = await listSessionRecords(database, board.id);
	// A zorgbord's sessions are care notes about a class: a read, as opening the board is.
	await recordBoardRecordRead(database, actor, board, { page: 'history' });
	return {
		board: boardForViewer(board, actor),
		records: records.map((r) => ({ id: r.id, createdAt: r.createdAt.toISOString(), data: r.data }))
	};
};
