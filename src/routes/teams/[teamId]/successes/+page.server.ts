import { listTeamSuccesses } from '$lib/board/verbeterbord-records.server';
import { requireTeam } from '$lib/server/access/guards';
import type { PageServerLoad } from './$types';

/** The team's kwaliteitskaart: its members, the school's admins and the team's wall. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { database, team, access } = await requireTeam(locals, params.teamId.slice(0, 40));
	const q = (url.searchParams.get('q') ?? '').slice(0, 100);
	return {
		team: { id: team.id, name: team.name },
		// The criteria page is for staff; a wall shows the successes only.
		criteriaLink: access === 'staff',
		q,
		successes: await listTeamSuccesses(database, team.id, q)
	};
};
