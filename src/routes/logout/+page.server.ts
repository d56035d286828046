import { redirect } from '@sveltejs/kit';
import { accessChanged } from '$lib/server/access-events';
import { deleteSessionCookie } from '$lib/server/auth/cookie';
import { invalidateSession } from '$lib/server/auth/session';
import { db } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ locals, cookies, url, setHeaders }) => {
		if (locals.actor) {
			await invalidateSession(db(), locals.actor.session.id);
			// Close this session's live board connections now, not at the next re-check.
			accessChanged({ kind: 'session', sessionId: locals.actor.session.id });
		}
		deleteSessionCookie(cookies, url);
		// Shared devices: ask the browser to drop what it kept for this site.
		setHeaders({ 'clear-site-data': '"cache", "storage"' });
		redirect(303, '/login');
	}
};
