import { fail, redirect } from '@sveltejs/kit';
import { demoExists, hasRealSchool, seedDemo } from '$lib/server/demo';
import { db } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (locals.actor?.kind === 'user') redirect(303, '/today');
	// A guest's link opens one board: that board is their home.
	if (locals.actor?.kind === 'guest') redirect(303, `/boards/${locals.actor.boardId}`);
	const database = db();
	const [realSchool, demo] = await Promise.all([hasRealSchool(database), demoExists(database)]);
	return { canSetup: !realSchool, canDemo: !realSchool, demo };
};

export const actions: Actions = {
	demo: async () => {
		const database = db();
		// A real school's installation never gets fictional people mixed in.
		if (await hasRealSchool(database)) return fail(403, { demoUnavailable: true });
		await seedDemo(database);
		redirect(303, '/login?demo=1');
	}
};
