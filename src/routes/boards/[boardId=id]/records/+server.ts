import { error, json } from '@sveltejs/kit';
import type { z } from 'zod';
import { actorSchool, boardRole, loadBoard } from '$lib/server/auth/permissions';
import {
	endBoardSession,
	endSessionInput,
	mayEndSession,
	maySeeTeamNames,
	sessionBoardKinds
} from '$lib/server/bordsessie';
import { teamMemberNames } from '$lib/board/verbeterbord-records.server';
import { fieldErrors } from '$lib/server/validation';
import { endCareMeeting, endMeetingInput } from '$lib/server/zorgoverleg';
import { endThreeWayTalk, endTalkInput } from '$lib/server/driehoeksgesprek';
import { db } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

const headers = { 'cache-control': 'no-store' };
/** The extras are a few short texts; anything bigger is not an honest request. */
const MAX_BODY_CHARS = 16_384;

async function access(locals: App.Locals, boardId: string) {
	const database = db();
	const board = locals.actor && (await loadBoard(database, actorSchool(locals.actor), boardId));
	const role = board && locals.actor ? await boardRole(database, locals.actor, board) : null;
	// 404 for missing and forbidden alike: ids are not an oracle.
	if (!board || !role || !locals.actor) error(404, 'Not found');
	return { database, board, role, actor: locals.actor };
}

/** Team member names (for the rotating board leader), and whether the caller may end a session. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const { database, board, role, actor } = await access(locals, params.boardId);
	// Staff names are not for guests: to a guest this endpoint does not exist.
	if (!maySeeTeamNames(actor)) error(404, 'Not found');
	return json(
		{
			members: await teamMemberNames(database, board.teamId),
			mayEnd: mayEndSession(actor, role)
		},
		{ headers }
	);
};

/** Validate the body first; the ending itself runs later, inside the answer's error handling. */
function withInput<S extends z.ZodType, T>(
	schema: S,
	body: unknown,
	run: (input: z.output<S>) => Promise<T>
): { ok: true; run: () => Promise<T> } | { ok: false; error: z.ZodError } {
	const parsed = schema.safeParse(body);
	return parsed.success
		? { ok: true, run: () => run(parsed.data) }
		: { ok: false, error: parsed.error };
}

/**
 * End the running bordsessie or care meeting. The body carries only the session's start (which session) and the
 * extras; the record itself is built by the server from the board (see $lib/server/bordsessie).
 */
export const POST: RequestHandler = async ({ locals, params, request, url }) => {
	// JSON endpoints are not covered by SvelteKit's form CSRF check: compare the Origin ourselves.
	if (request.headers.get('origin') !== url.origin) error(403, 'Cross-origin request refused');
	const { board, role, actor } = await access(locals, params.boardId);
	if (!sessionBoardKinds.has(board.kind)) error(404, 'Not found');
	if (!mayEndSession(actor, role)) error(403, 'Only team members end a session');
	const raw = await request.text().catch(() => '');
	if (raw.length > MAX_BODY_CHARS) return json({ error: 'too_large' }, { status: 400, headers });
	let body: unknown;
	try {
		body = JSON.parse(raw);
	} catch {
		return json({ error: 'invalid_json' }, { status: 400, headers });
	}
	// A care meeting keeps its own record (zorgoverleg.ts); the bordsessie kinds theirs.
	const ending =
		board.kind === 'zorgoverleg'
			? withInput(endMeetingInput, body, (input) => endCareMeeting(board, actor, input))
			: board.kind === 'driehoeksgesprek'
				? withInput(endTalkInput, body, () => endThreeWayTalk(board, actor))
				: withInput(endSessionInput, body, (input) => endBoardSession(board, actor, input));
	if (!ending.ok) {
		return json({ error: 'invalid', errors: fieldErrors(ending.error) }, { status: 400, headers });
	}
	let outcome;
	try {
		outcome = await ending.run();
	} catch {
		// Nothing was kept and the board is unchanged (see board-edit.ts): the leader tries again.
		return json({ error: 'unavailable' }, { status: 503, headers });
	}
	switch (outcome.status) {
		case 'ended':
			return json({ id: outcome.recordId }, { status: 201, headers });
		case 'already_ended':
			return json({ id: outcome.recordId, already: true }, { status: 200, headers });
		case 'not_running':
			return json({ error: 'not_running' }, { status: 409, headers });
		case 'unrecordable':
			return json({ error: 'unrecordable' }, { status: 400, headers });
	}
};
