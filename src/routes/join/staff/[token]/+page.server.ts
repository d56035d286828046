import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { checkPasswordStrength, hashPassword } from '$lib/server/auth/password';
import { createUserSession } from '$lib/server/auth/session';
import { acceptStaffInvite, findStaffInvite } from '$lib/server/access/staff';
import { db, getRuntime } from '$lib/server/runtime';
import { fieldErrors, type FieldErrors } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

const acceptSchema = z.object({
	name: z.string().trim().min(1, 'required').max(200, 'too_long'),
	password: z.string().min(1, 'required')
});

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	setHeaders({ 'referrer-policy': 'no-referrer' });
	const state = await findStaffInvite(db(), params.token);
	if (!state.ok) return { state: state.reason, name: '', email: '' };
	return { state: 'ok' as const, name: state.invite.name, email: state.invite.email };
};

export const actions: Actions = {
	default: async ({ params, request, cookies, url }) => {
		const database = db();
		const state = await findStaffInvite(database, params.token);
		if (!state.ok) return fail(410, { state: state.reason });
		const form = Object.fromEntries(await request.formData());
		const values = { name: String(form.name ?? '').slice(0, 200) };
		const parsed = acceptSchema.safeParse(form);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		const problem = checkPasswordStrength(parsed.data.password);
		if (problem) {
			return fail(400, { values, errors: { password: `password_${problem}` } as FieldErrors });
		}
		const passwordHash = await hashPassword(parsed.data.password);
		const { config } = getRuntime();
		const result = await database.transaction(async (tx) => {
			const created = await acceptStaffInvite(tx, state.invite.id, {
				name: parsed.data.name,
				passwordHash
			});
			if (!created) return null;
			return createUserSession(tx, created, {
				idleMinutes: config.SESSION_IDLE_MINUTES,
				absoluteHours: config.SESSION_ABSOLUTE_HOURS
			});
		});
		if (!result) return fail(410, { state: 'used' as const });
		setSessionCookie(cookies, url, result.token, result.session.expiresAt);
		redirect(303, '/today');
	}
};
