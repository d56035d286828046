import { redirect } from '@sveltejs/kit';
import { db } from '$lib/server/runtime';
import { todayFor } from '$lib/server/today';
import type { PageServerLoad } from './$types';

/** The staff member's first screen; anyone else has their own home (a board, /me, a wall). */
export const load: PageServerLoad = async ({ locals }) => {
	const actor = locals.actor;
	if (!actor) redirect(303, '/login');
	if (actor.kind === 'guest') redirect(303, `/boards/${actor.boardId}`);
	if (actor.kind === 'student') redirect(303, '/me');
	if (actor.kind === 'device') redirect(303, '/boards');
	return {
		name: actor.user.name,
		isAdmin: actor.user.role === 'admin',
		today: await todayFor(db(), actor)
	};
};
