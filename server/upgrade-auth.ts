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
import { validateSessionToken } from '../src/lib/server/auth/session';
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
	const db = runtime.database.db;
	const actor = await together(runtime, `session\n${token}`, () =>
		validateSessionToken(db, token, sessionPolicy(runtime))
	);
	if (!actor) return { ok: false, status: 401 };
	const access = await together(runtime, `access\n${actor.session.id}\n${boardId}`, () =>
		accessOf(runtime)({ actor, boardId })
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
	const db = runtime.database.db;
	const actor = await validateSessionToken(db, token, sessionPolicy(runtime), new Date(), {
		extend: false
	});
	if (!actor) return { reason: 'unauthorized' };
	const access = await accessOf(runtime)({ actor, boardId });
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
const accessLoaders = new WeakMap<
	Runtime,
	(request: { actor: Actor; boardId: string }) => Promise<BoardAccess>
>();

/** Board lookups of upgrades and re-checks made in the same turn go to the database as one. */
function accessOf(runtime: Runtime) {
	let load = accessLoaders.get(runtime);
	if (!load) {
		load = batched((requests: Array<{ actor: Actor; boardId: string }>) =>
			boardAccessMany(runtime.database.db, requests)
		);
		accessLoaders.set(runtime, load);
	}
	return load;
}

function sessionPolicy(runtime: Runtime) {
	return {
		idleMinutes: runtime.config.SESSION_IDLE_MINUTES,
		absoluteHours: runtime.config.SESSION_ABSOLUTE_HOURS
	};
}
