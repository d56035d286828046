import { error, fail, redirect } from '@sveltejs/kit';
import { readWallSettings, thresholdsSchema } from '$lib/board/voortgang';
import { requireBoard, requireUser } from '$lib/server/access/guards';
import { loadTeam } from '$lib/server/auth/permissions';
import { fieldErrors } from '$lib/server/validation';
import { saveThresholds } from '$lib/server/voortgang';
import type { Actions, PageServerLoad } from './$types';

/** The team tunes when the wall asks its questions (thresholds live in team.settings). */
async function wallBoard(locals: App.Locals, boardId: string) {
	const actor = requireUser(locals.actor);
	const { board, database } = await requireBoard(locals, boardId);
	if (board.kind !== 'voortgangsbord' || !board.teamId) error(404, 'Not found');
	return { board, teamId: board.teamId, actor, database };
}

export const load: PageServerLoad = async ({ locals, params }) => {
	const { board, teamId, database } = await wallBoard(locals, params.boardId);
	const row = await loadTeam(database, board.schoolId, teamId);
	return {
		board: { id: board.id, title: board.title },
		thresholds: readWallSettings(row?.settings).thresholds
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const { board, teamId, actor, database } = await wallBoard(locals, params.boardId);
		const form = Object.fromEntries(await request.formData());
		const parsed = thresholdsSchema.safeParse(form);
		if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.error) });
		if (!(await saveThresholds(database, actor, teamId, parsed.data))) error(404, 'Not found');
		redirect(303, `/boards/${board.id}`);
	}
};
