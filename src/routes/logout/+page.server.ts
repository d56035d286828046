import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { accessChanged } from '$lib/server/access-events';
import { deleteSessionCookie } from '$lib/server/auth/cookie';
import { invalidateSession } from '$lib/server/auth/session';
import { db } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

/** Who was signed out: a student or guest has no login page to go back to. */
const linkHolder = z.enum(['student', 'guest']);

export const load: PageServerLoad = ({ url }) => {
	const who = linkHolder.safeParse(url.searchParams.get('done'));
	if (!who.success) redirect(303, '/');
	return { who: who.data };
};

export const actions: Actions = {
	default: async ({ locals, cookies, url, setHeaders }) => {
		const kind = locals.actor?.kind;
		if (locals.actor) {
			await invalidateSession(db(), locals.actor.session.id);
			// Close this session's live board connections now, not at the next re-check.
			accessChanged({ kind: 'session', sessionId: locals.actor.session.id });
		}
		deleteSessionCookie(cookies, url);
		// Shared devices: ask the browser to drop what it kept for this site.
		setHeaders({ 'clear-site-data': '"cache", "storage"' });
		// Students and guests came in through a link, not an account: the staff login page would
		// only confuse them.
		redirect(303, kind === 'student' || kind === 'guest' ? `/logout?done=${kind}` : '/login');
	}
};
