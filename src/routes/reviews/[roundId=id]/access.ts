import { error, redirect } from '@sveltejs/kit';
import { actorSchool } from '$lib/server/auth/permissions';
import { loadRound, roundAccess } from '$lib/server/review';
import { db } from '$lib/server/runtime';

/** The round, when this actor takes part in it (staff of the team, or the team's wall). */
export async function requireRound(locals: App.Locals, roundId: string, need: 'staff' | 'any') {
	if (!locals.actor) redirect(303, '/login');
	const database = db();
	const round = await loadRound(database, actorSchool(locals.actor), roundId);
	const access = await roundAccess(database, locals.actor, round);
	// Same answer for "no such round" and "not yours".
	if (!round || !access || (need === 'staff' && access !== 'staff')) error(404, 'Not found');
	return { round, access, database };
}
