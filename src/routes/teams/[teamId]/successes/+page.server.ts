import { error, redirect } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import { teamMember } from '$lib/server/db/schema';
import { actorSchool, isAdmin, loadTeam } from '$lib/server/auth/permissions';
import { db } from '$lib/server/runtime';
import { listTeamSuccesses } from '$lib/board/verbeterbord-records.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = locals.actor;
	if (!actor) redirect(303, '/login');
	const database = db();
	const row = await loadTeam(database, actorSchool(actor), params.teamId.slice(0, 40));
	let allowed = false;
	if (row && actor.kind === 'user' && row.schoolId === actor.user.schoolId) {
		if (isAdmin(actor)) allowed = true;
		else {
			const [member] = await database
				.select()
				.from(teamMember)
				.where(and(eq(teamMember.teamId, row.id), eq(teamMember.userId, actor.user.id)))
				.limit(1);
			allowed = !!member;
		}
	} else if (row && actor.kind === 'device') {
		allowed = actor.teamId === row.id && actor.schoolId === row.schoolId;
	}
	if (!row || !allowed) error(404, 'Not found');
	const q = (url.searchParams.get('q') ?? '').slice(0, 100);
	return {
		team: { id: row.id, name: row.name },
		q,
		successes: await listTeamSuccesses(database, row.id, q)
	};
};
