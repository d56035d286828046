import { error } from '@sveltejs/kit';
import { requireBoard } from '$lib/server/access/guards';
import { getSessionRecord } from '$lib/board/verbeterbord-records.server';
import { getMeetingRecord, meetingSummaryFor } from '$lib/server/zorgoverleg';
import { getTalkRecord, talkSummaryForActor } from '$lib/server/driehoeksgesprek';
import { recordBoardRecordRead } from '$lib/server/privacy/audit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { database, actor, board } = await requireBoard(locals, params.boardId);
	const id = Number(params.recordId);
	const valid = Number.isSafeInteger(id) && id > 0;
	if (board.kind === 'zorgoverleg') {
		// The family takes this home: the child's words are filtered here, never in the browser.
		const meeting = valid ? await getMeetingRecord(database, board.id, id) : null;
		if (!meeting) error(404, 'Not found');
		await recordBoardRecordRead(database, actor, board, { page: 'summary', recordId: meeting.id });
		return {
			board: { id: board.id, title: board.title },
			record: null,
			meeting: { id: meeting.id, ...meetingSummaryFor(meeting.data, actor) },
			talk: null
		};
	}
	if (board.kind === 'driehoeksgesprek') {
		// The student keeps this, a parent reads it: filtered here, never in the browser.
		const talk = valid ? await getTalkRecord(database, board.id, id) : null;
		if (!talk) error(404, 'Not found');
		await recordBoardRecordRead(database, actor, board, { page: 'summary', recordId: talk.id });
		return {
			board: { id: board.id, title: board.title },
			record: null,
			meeting: null,
			talk: { id: talk.id, ...talkSummaryForActor(talk.data, actor) }
		};
	}
	const record = valid ? await getSessionRecord(database, board.id, id) : null;
	if (!record) error(404, 'Not found');
	// Logged for a care board (zorgbord); a team board's record is no read of a child's file.
	await recordBoardRecordRead(database, actor, board, { page: 'summary', recordId: record.id });
	return {
		board: { id: board.id, title: board.title },
		record: { id: record.id, data: record.data },
		meeting: null,
		talk: null
	};
};
