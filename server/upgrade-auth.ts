/**
 * Authentication and authorisation of a /sync upgrade, decided from the HTTP request alone,
 * before `handleUpgrade` and before any board document is loaded:
 * no or invalid session -> 401; a foreign Origin -> 403; no role on the board -> 403.
 */
import type http from 'node:http';
import type { Actor } from '../src/lib/server/auth/actor';
import { readSessionFromHeader } from '../src/lib/server/auth/cookie';
import {
	actorSchool,
	boardRole,
	canEdit,
	loadBoard,
	type BoardRole
} from '../src/lib/server/auth/permissions';
import type { Board } from '../src/lib/server/db/schema';
import { validateSessionToken } from '../src/lib/server/auth/session';
import type { Runtime } from '../src/lib/server/runtime';

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
	const actor = await validateSessionToken(db, token, sessionPolicy(runtime));
	if (!actor) return { ok: false, status: 401 };
	const board = await loadBoard(db, actorSchool(actor), boardId);
	const role = board ? await boardRole(db, actor, board) : null;
	if (!board || !role) return { ok: false, status: 403 };
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
	const board = await loadBoard(db, actorSchool(actor), boardId);
	const role = board ? await boardRole(db, actor, board) : null;
	if (!board || !role) return { reason: 'forbidden' };
	return { actor, role, board };
}

function sessionPolicy(runtime: Runtime) {
	return {
		idleMinutes: runtime.config.SESSION_IDLE_MINUTES,
		absoluteHours: runtime.config.SESSION_ABSOLUTE_HOURS
	};
}
