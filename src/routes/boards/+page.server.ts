import { redirect } from '@sveltejs/kit';
import { listBoardsFor } from '$lib/server/boards';
import { db } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.actor) redirect(303, '/login');
	if (locals.actor.kind === 'guest') redirect(303, `/boards/${locals.actor.boardId}`);
	return { boards: await listBoardsFor(db(), locals.actor) };
};
