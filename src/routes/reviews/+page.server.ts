import { error, fail, redirect } from '@sveltejs/kit';
import { createRound, roundsFor, teamsFor } from '$lib/server/review';
import { db } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.actor) redirect(303, '/login');
	if (locals.actor.kind !== 'user') error(404, 'Not found');
	const database = db();
	const [rounds, teams] = await Promise.all([
		roundsFor(database, locals.actor),
		teamsFor(database, locals.actor)
	]);
	return {
		rounds: rounds.map((r) => ({ id: r.id, title: r.title, teamId: r.teamId })),
		teams
	};
};

export const actions: Actions = {
	create: async ({ locals, request }) => {
		if (locals.actor?.kind !== 'user') error(404, 'Not found');
		const form = Object.fromEntries(await request.formData());
		const result = await createRound(db(), locals.actor, form);
		if (!result.ok) {
			if (result.status === 404) error(404, 'Not found');
			return fail(result.status, {
				title: String(form.title ?? '').slice(0, 120),
				errors: result.errors
			});
		}
		redirect(303, `/reviews/${result.value}`);
	}
};
