import { fail, redirect } from '@sveltejs/kit';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { checkStudentLink, redeemStudentLink } from '$lib/server/auth/student-link';
import { db } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

/**
 * A student's personal link. Opening it only says whose link it is (first name); the button
 * (a POST) opens the student's own session, so a chat app's link preview spends nothing. A bad,
 * revoked or expired token, or one of a student who left, gets one friendly answer.
 */
export const load: PageServerLoad = async ({ params }) => {
	// The token is in this URL: the app's `same-origin` Referrer-Policy (hooks.server.ts) keeps
	// it from other sites. Not `no-referrer`: a browser then sends `Origin: null` with the plain
	// form post below, which the CSRF check rightly refuses.
	const state = await checkStudentLink(db(), params.token);
	return state.ok ? { ok: true as const, name: state.firstName } : { ok: false as const, name: '' };
};

export const actions: Actions = {
	default: async ({ params, cookies, url }) => {
		const result = await redeemStudentLink(db(), params.token);
		if (!result.ok) return fail(410, { invalid: true });
		setSessionCookie(cookies, url, result.session.token, result.session.session.expiresAt);
		redirect(303, '/me');
	}
};
