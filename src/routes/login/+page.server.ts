import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { readDeviceCookie, setDeviceCookie } from '$lib/server/auth/known-device';
import { loginWithPassword } from '$lib/server/auth/login';
import { demoExists } from '$lib/server/demo';
import { db, getRuntime } from '$lib/server/runtime';
import { fieldErrors, type FieldErrors } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

const loginSchema = z.object({
	email: z.string().trim().min(1, 'required').max(320, 'too_long').email('invalid_email'),
	password: z.string().min(1, 'required').max(1024, 'too_long')
});

export const load: PageServerLoad = async ({ locals }) => {
	if (locals.actor?.kind === 'user') redirect(303, '/today');
	return { demo: await demoExists(db()) };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = Object.fromEntries(await request.formData());
		const parsed = loginSchema.safeParse(form);
		const email = typeof form.email === 'string' ? form.email.slice(0, 320) : '';
		if (!parsed.success) {
			return fail(400, {
				email,
				errors: fieldErrors(parsed.error),
				message: null,
				retryAfterSeconds: null
			});
		}
		const { config } = getRuntime();
		const result = await loginWithPassword(
			db(),
			parsed.data.email,
			parsed.data.password,
			{ idleMinutes: config.SESSION_IDLE_MINUTES, absoluteHours: config.SESSION_ABSOLUTE_HOURS },
			{ address: getClientAddress(), deviceToken: readDeviceCookie(cookies, url) }
		);
		if (!result.ok) {
			if (result.reason === 'throttled') {
				return fail(429, {
					email,
					errors: {} as FieldErrors,
					message: result.throttle.reason,
					retryAfterSeconds: result.throttle.retryAfterSeconds
				});
			}
			return fail(400, {
				email,
				errors: {} as FieldErrors,
				message: 'invalid',
				retryAfterSeconds: null
			});
		}
		setSessionCookie(cookies, url, result.session.token, result.session.session.expiresAt);
		if (result.deviceToken) setDeviceCookie(cookies, url, result.deviceToken);
		// Someone tried this account since the owner's last visit: show them on the account page.
		redirect(303, result.failedAttempts > 0 ? '/account' : '/today');
	}
};
