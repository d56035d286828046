import { error, json } from '@sveltejs/kit';
import { actorId } from '$lib/server/auth/actor';
import { actorSchool, boardRole, canEdit, loadBoard } from '$lib/server/auth/permissions';
import { db } from '$lib/server/runtime';
import { sessionRecordData } from '$lib/board/verbeterbord';
import { storeSessionRecord, teamMemberNames } from '$lib/board/verbeterbord-records.server';
import type { RequestHandler } from './$types';

const headers = { 'cache-control': 'no-store' };

async function access(locals: App.Locals, boardId: string) {
	const database = db();
	const board = locals.actor && (await loadBoard(database, actorSchool(locals.actor), boardId));
	const role = board && locals.actor ? await boardRole(database, locals.actor, board) : null;
	// 404 for missing and forbidden alike: ids are not an oracle.
	if (!board || !role) error(404, 'Not found');
	return { database, board, role };
}

/** Team member names (for the rotating board leader). */
export const GET: RequestHandler = async ({ locals, params }) => {
	const { database, board } = await access(locals, params.boardId);
	return json({ members: await teamMemberNames(database, board.teamId) }, { headers });
};

/** Store the record of a finished bordsessie; its successes go to the team's archive. */
export const POST: RequestHandler = async ({ locals, params, request, url }) => {
	if (request.headers.get('origin') !== url.origin) error(403, 'Cross-origin request refused');
	const { database, board, role } = await access(locals, params.boardId);
	if (!canEdit(role)) error(403, 'Read-only');
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		error(400, 'Invalid JSON');
	}
	const parsed = sessionRecordData.safeParse(body);
	if (!parsed.success)
		return json({ errors: parsed.error.issues.length }, { status: 400, headers });
	const id = await storeSessionRecord(
		database,
		board,
		parsed.data,
		locals.actor ? actorId(locals.actor) : null
	);
	return json({ id }, { status: 201, headers });
};
