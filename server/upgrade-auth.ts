/**
 * Authentication and authorisation of a /sync upgrade, decided from the HTTP request alone,
 * before `handleUpgrade` and before any board document is loaded:
 * no or invalid session -> 401; a foreign Origin -> 403; no role on the board -> 403.
 */
import type http from 'node:http';
import type { Actor } from '../src/lib/server/auth/actor';
import { readSessionFromHeader } from '../src/lib/server/auth/cookie';
import { boardAccessMany, canEdit, type BoardRole } from '../src/lib/server/auth/permissions';
import type { Board } from '../src/lib/server/db/schema';
import { validateSessionTokens } from '../src/lib/server/auth/session';
import type { Runtime } from '../src/lib/server/runtime';
import { batched } from './batch';

export type UpgradeDecision =
	| { ok: true; actor: Actor; role: BoardRole; board: Board; token: string; readOnly: boolean }
	| { ok: false; status: 401 | 403 };

/** The Origin check: absent is fine (non-browser clients), present must be our own. */
export function originAllowed(req: http.IncomingMessage, configuredOrigin?: string): boolean {
	const origin = req.headers.origin;
	if (origin === undefined) return true;
	let parsed: URL;
	try {
		parsed = new URL(origin);
	} catch {
		return false;
	}
	if (configuredOrigin) return parsed.origin === new URL(configuredOrigin).origin;
	// Without ORIGIN we cannot know the scheme behind a proxy; the host must match.
	return req.headers.host !== undefined && parsed.host === req.headers.host.toLowerCase();
}

export async function authorizeUpgrade(
	runtime: Runtime,
	req: http.IncomingMessage,
	boardId: string,
	wantsReadOnly = false
): Promise<UpgradeDecision> {
	const token = readSessionFromHeader(req.headers.cookie);
	if (!token) return { ok: false, status: 401 };
	if (!originAllowed(req, runtime.config.ORIGIN)) return { ok: false, status: 403 };
	const actor = await together(runtime, `session\n${token}`, () =>
		loadersOf(runtime).session(token)
	);
	if (!actor) return { ok: false, status: 401 };
	const access = await together(runtime, `access\n${actor.session.id}\n${boardId}`, () =>
		loadersOf(runtime).access({ actor, boardId })
	);
	if (!access?.role) return { ok: false, status: 403 };
	const { board, role } = access;
	return { ok: true, actor, role, board, token, readOnly: wantsReadOnly || !canEdit(role) };
}

/**
 * Re-check an open connection: still a valid session and still a role on the board. Never
 * extends the session: an open tab is not activity, so the idle timeout still ends it.
 */
export async function recheckAccess(
	runtime: Runtime,
	token: string,
	boardId: string
): Promise<
	{ actor: Actor; role: BoardRole; board: Board } | { reason: 'unauthorized' | 'forbidden' }
> {
	const actor = await loadersOf(runtime).recheckSession(token);
	if (!actor) return { reason: 'unauthorized' };
	const access = await loadersOf(runtime).access({ actor, boardId });
	if (!access?.role) return { reason: 'forbidden' };
	return { actor, role: access.role, board: access.board };
}

/** Lookups running now, per runtime (tests run several in one process). */
const inFlight = new WeakMap<Runtime, Map<string, Promise<unknown>>>();

/**
 * Run `load` unless the same lookup is already running, and then share its answer. After a
 * restart every tab of a login reconnects at once, and a board's clients arrive together: an
 * answer that was being computed while they asked is as fresh as one of their own. Nothing is
 * kept once it settles, so a revocation is seen by the next upgrade.
 */
function together<T>(runtime: Runtime, key: string, load: () => Promise<T>): Promise<T> {
	let running = inFlight.get(runtime);
	if (!running) inFlight.set(runtime, (running = new Map()));
	const existing = running.get(key);
	if (existing) return existing as Promise<T>;
	const started = load().finally(() => running.delete(key));
	running.set(key, started);
	return started;
}

type BoardAccess = Awaited<ReturnType<typeof boardAccessMany>>[number];
interface Loaders {
	/** An upgrade is a request: it slides a staff session, as a page load does. */
	session(token: string): Promise<Actor | null>;
	/** A re-check never extends a session (see `recheckAccess`). */
	recheckSession(token: string): Promise<Actor | null>;
	access(request: { actor: Actor; boardId: string }): Promise<BoardAccess>;
}
const loaders = new WeakMap<Runtime, Loaders>();

/**
 * Lookups made in the same turn (upgrades arriving together, a round of re-checks) go to the
 * database as one query per kind.
 */
function loadersOf(runtime: Runtime): Loaders {
	let found = loaders.get(runtime);
	if (!found) {
		const db = () => runtime.database.db;
		found = {
			session: batched((tokens: string[]) =>
				validateSessionTokens(db(), tokens, sessionPolicy(runtime))
			),
			recheckSession: batched((tokens: string[]) =>
				validateSessionTokens(db(), tokens, sessionPolicy(runtime), new Date(), { extend: false })
			),
			access: batched((requests: Array<{ actor: Actor; boardId: string }>) =>
				boardAccessMany(db(), requests)
			)
		};
		loaders.set(runtime, found);
	}
	return found;
}

function sessionPolicy(runtime: Runtime) {
	return {
		idleMinutes: runtime.config.SESSION_IDLE_MINUTES,
		absoluteHours: runtime.config.SESSION_ABSOLUTE_HOURS
	};
}
