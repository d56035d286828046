import { error, redirect, type Handle, type HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { deleteSessionCookie, readSessionCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { guestMayOpen } from '$lib/server/auth/guest-scope';
import { validateSessionToken } from '$lib/server/auth/session';
import { db, getRuntime } from '$lib/server/runtime';

const handleLocale: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

const handleSession: Handle = async ({ event, resolve }) => {
	event.locals.actor = null;
	const token = readSessionCookie(event.cookies, event.url);
	if (token) {
		const { config } = getRuntime();
		const actor = await validateSessionToken(db(), token, {
			idleMinutes: config.SESSION_IDLE_MINUTES,
			absoluteHours: config.SESSION_ABSOLUTE_HOURS
		});
		if (actor) {
			event.locals.actor = actor;
			// Keep the cookie's lifetime in step with the sliding session.
			setSessionCookie(event.cookies, event.url, token, actor.session.expiresAt);
		} else {
			deleteSessionCookie(event.cookies, event.url);
		}
	}
	return resolve(event);
};

const handleGuestScope: Handle = ({ event, resolve }) => {
	const actor = event.locals.actor;
	if (actor?.kind === 'guest') {
		const { pathname } = event.url;
		if (pathname === '/') redirect(303, `/boards/${actor.boardId}`);
		if (!guestMayOpen(pathname, actor.boardId)) error(404, 'Not found');
	}
	return resolve(event);
};

const handleHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const headers = response.headers;
	headers.set('x-content-type-options', 'nosniff');
	headers.set('x-frame-options', 'DENY');
	if (!headers.has('referrer-policy')) headers.set('referrer-policy', 'same-origin');
	headers.set('permissions-policy', 'camera=(self), microphone=(), geolocation=()');
	// Pages and data are about children: nothing dynamic is cached by browsers or proxies.
	if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
	return response;
};

export const handle = sequence(handleHeaders, handleLocale, handleSession, handleGuestScope);

export const handleError: HandleServerError = ({ error, status }) => {
	if (status !== 404) console.error(error);
	return { message: status === 404 ? 'Not found' : 'Internal error' };
};
