import { error, fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/access/guards';
import { teamsForUser } from '$lib/server/access/teams';
import { teamCreateKinds } from '$lib/server/auth/permissions';
import { createBoard } from '$lib/server/board-create';
import { listBoardsFor } from '$lib/server/boards';
import { db } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.actor) redirect(303, '/login');
	if (locals.actor.kind === 'guest') redirect(303, `/boards/${locals.actor.boardId}`);
	const database = db();
	// The teams this person may create a board in (mayCreateBoard: their own; an admin's: all).
	const teams = locals.actor.kind === 'user' ? await teamsForUser(database, locals.actor.user) : [];
	return {
		boards: await listBoardsFor(database, locals.actor),
		create: teams.length > 0 ? { kinds: teamCreateKinds, teams } : null
	};
};

export const actions: Actions = {
	create: async ({ locals, request }) => {
		const actor = requireUser(locals.actor);
		const form = Object.fromEntries(await request.formData());
		const values = {
			kind: String(form.kind ?? '').slice(0, 40),
			teamId: String(form.teamId ?? '').slice(0, 40),
			title: String(form.title ?? '').slice(0, 120)
		};
		// Only team boards here; conversations are started on the student's page.
		const result = await createBoard(db(), actor, { ...form, studentId: undefined });
		if (result.ok) redirect(303, `/boards/${result.id}`);
		if (result.status === 400) return fail(400, { values, errors: result.errors });
		if (result.status === 403) return fail(403, { values, problem: 'forbidden' as const });
		error(404, 'Not found');
	}
};
