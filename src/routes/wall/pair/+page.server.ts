import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireUser } from '$lib/server/access/guards';
import { listActivePairings, pairWithCode, revokePairing } from '$lib/server/access/pairing';
import { teamsForUser } from '$lib/server/access/teams';
import { db, getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

const pairSchema = z.object({
	code: z.string().trim().min(1, 'required').max(20, 'code'),
	teamId: z.string().min(1, 'team').max(40, 'team')
});

export const load: PageServerLoad = async ({ locals }) => {
	const me = requireUser(locals.actor);
	const database = db();
	const teams = await teamsForUser(database, me.user);
	const pairings = await listActivePairings(
		database,
		teams.map((t) => t.id)
	);
	return { teams, pairings };
};

export const actions: Actions = {
	pair: async ({ locals, request }) => {
		const me = requireUser(locals.actor);
		const form = Object.fromEntries(await request.formData());
		const values = {
			code: String(form.code ?? '').slice(0, 20),
			teamId: String(form.teamId ?? '')
		};
		const parsed = pairSchema.safeParse(form);
		if (!parsed.success) {
			return fail(400, { values, error: parsed.error.issues[0]?.message ?? 'code' });
		}
		const database = db();
		const teams = await teamsForUser(database, me.user);
		const result = await pairWithCode(
			database,
			me.user,
			parsed.data.code,
			parsed.data.teamId,
			teams.map((t) => t.id),
			{ absoluteHours: getRuntime().config.SESSION_ABSOLUTE_HOURS }
		);
		if (!result.ok) return fail(400, { values, error: result.reason });
		return { paired: true };
	},
	revoke: async ({ locals, request }) => {
		const me = requireUser(locals.actor);
		const pairingId = String((await request.formData()).get('pairingId') ?? '').slice(0, 40);
		const database = db();
		const teams = await teamsForUser(database, me.user);
		const ok = await revokePairing(
			database,
			pairingId,
			teams.map((t) => t.id)
		);
		return ok ? { revoked: true } : fail(404, { error: 'not_found' });
	}
};
