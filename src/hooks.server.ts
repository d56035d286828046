import { error, redirect, type Handle, type HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { m } from '$lib/paraglide/messages';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { deleteSessionCookie, readSessionCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { guestMayOpen } from '$lib/server/auth/guest-scope';
import { boardRole } from '$lib/server/auth/permissions';
import { studentHomeRedirect, studentPathScope } from '$lib/server/auth/student-scope';
import { validateSessionToken } from '$lib/server/auth/session';
import { db, getRuntime } from '$lib/server/runtime';
import { containsNul, isInvalidInputError } from '$lib/server/validation';

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

const handleGuestScope: Handle = async ({ event, resolve }) => {
	const actor = event.locals.actor;
	if (actor?.kind === 'guest') {
		const { pathname } = event.url;
		if (pathname === '/') redirect(303, `/boards/${actor.boardId}`);
		if (!guestMayOpen(pathname, actor.boardId)) error(404, 'Not found');
	}
	if (actor?.kind === 'student') {
		const { pathname } = event.url;
		// Their home for a visit; a form post to `/` or `/boards` is refused like any other.
		const home = event.request.method === 'GET' ? studentHomeRedirect(pathname) : null;
		if (home) redirect(303, home);
		const scope = studentPathScope(pathname, actor.studentId);
		if (scope.kind === 'closed') error(404, 'Not found');
		// Only their own conversation boards: the board itself decides, not its path.
		if (scope.kind === 'board' && !(await boardRole(db(), actor, scope.boardId))) {
			error(404, 'Not found');
		}
	}
	return resolve(event);
};

/**
 * Bad input never becomes a 500. First, a NUL character anywhere in a form or JSON body is
 * refused before any action or endpoint sees it (PostgreSQL refuses NUL in text; no person
 * types one), and a JSON body that does not parse is refused too. Second, as the last line
 * of defence, a database "invalid input" error (SQLSTATE class 22, e.g. a date that does not
 * exist) that an action, endpoint or load let through is answered with 400: handleError
 * marks the request, and the 500 it produced is replaced here, where the status can still
 * change. Either way the answer is 400 with a message in the visitor's language (JSON for
 * fetch and use:enhance, the error page otherwise).
 */
const handleBadInput: Handle = async ({ event, resolve }) => {
	const problem = await bodyProblem(event.request);
	if (problem === 'nul') error(400, m.bad_input_nul());
	if (problem === 'json') error(400, m.bad_input_json());
	const response = await resolve(event);
	if (response.status === 500 && badInputRequests.has(event.locals)) {
		error(400, m.bad_input_value());
	}
	return response;
};

/** Requests whose handling failed on a database invalid-input error (set by handleError). */
const badInputRequests = new WeakSet<App.Locals>();

const MAX_INSPECTED_BYTES = 2 * 1024 * 1024;

async function bodyProblem(request: Request): Promise<'nul' | 'json' | null> {
	if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return null;
	const type = (request.headers.get('content-type') ?? '').toLowerCase();
	const length = Number(request.headers.get('content-length') ?? 0);
	try {
		if (type.startsWith('application/x-www-form-urlencoded')) {
			if (length > MAX_INSPECTED_BYTES) return null;
			const form = await request.clone().formData();
			return containsNul([...form.entries()].flat()) ? 'nul' : null;
		}
		if (type.startsWith('multipart/form-data')) {
			// Photos ride in multipart too; only the text fields matter here.
			const form = await request.clone().formData();
			const texts = [...form.entries()].flatMap(([k, v]) => (typeof v === 'string' ? [k, v] : [k]));
			return containsNul(texts) ? 'nul' : null;
		}
		if (type.startsWith('application/json')) {
			if (length > MAX_INSPECTED_BYTES) return null;
			const body = await request.clone().text();
			let parsed: unknown;
			try {
				parsed = JSON.parse(body);
			} catch {
				return 'json';
			}
			return containsNul(parsed) ? 'nul' : null;
		}
	} catch {
		// A body that does not parse as its type: the action's own parsing answers it.
	}
	return null;
}

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

export const handle = sequence(
	handleHeaders,
	handleLocale,
	handleBadInput,
	handleSession,
	handleGuestScope
);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (isInvalidInputError(error)) {
		badInputRequests.add(event.locals);
		return { message: m.bad_input_value() };
	}
	if (status !== 404) console.error(error);
	return { message: status === 404 ? 'Not found' : 'Internal error' };
};
