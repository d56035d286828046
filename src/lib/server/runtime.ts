/**
 * The process-wide services (config, database, sync rooms) in one registry on `globalThis`.
 *
 * Why global: in production the Node entry (server/) and the SvelteKit handler (build/) are
 * two bundles, and in development Vite loads SvelteKit modules in its own module graph. Both
 * must share one database connection; PGlite in particular must never be opened twice.
 */
import type * as Y from 'yjs';
import type { Config } from './config';
import type { DatabaseHandle } from './db';

/** A board that is open (live) in this process: its room's document. */
export interface OpenBoard {
	readonly doc: Y.Doc;
	readonly destroyed: boolean;
	/** Resolves once every change applied to `doc` so far is durably stored. */
	flush(): Promise<void>;
}

/** How SvelteKit code reaches the sync server's rooms (set by server/sync.ts). */
export interface OpenBoards {
	/** The board's open room (waiting for one still loading), or null when it is not open. */
	get(boardId: string): Promise<OpenBoard | null>;
	/**
	 * After an erasure: tell this board's app clients to delete their offline copy and open the
	 * board again from the server (message `dropCache`, server/protocol.ts).
	 */
	dropOfflineCopies?(boardId: string): Promise<void>;
	/**
	 * A board that is being deleted (erasure): its app clients drop their offline copy, every
	 * connection closes as forbidden, and the room goes without storing what it still held.
	 */
	closeDeleted?(boardId: string): Promise<void>;
	/**
	 * A change was stored without going through a room of this process: tell the instances
	 * that may have the board open (server/fanout.ts). Absent without Redis.
	 */
	announceStored?(boardId: string, update: Uint8Array): void;
}

export interface Runtime {
	config: Config;
	database: DatabaseHandle;
	/** Extra services registered by the sync server (rooms, fan-out); see server/. */
	services: Record<string, unknown>;
	/** Run in order at shutdown, before the database closes (e.g. Redis). */
	closers: Array<() => Promise<void>>;
	/** The open rooms, when a sync server runs in this process. */
	openBoards?: OpenBoards;
}

const KEY = Symbol.for('groeibord.runtime');
type WithRuntime = typeof globalThis & { [KEY]?: Runtime };

export function setRuntime(runtime: Runtime | undefined): void {
	(globalThis as WithRuntime)[KEY] = runtime;
}

export function getRuntime(): Runtime {
	const runtime = (globalThis as WithRuntime)[KEY];
	if (!runtime)
		throw new Error('Groeibord runtime not started (start via server/ or the Vite plugin)');
	return runtime;
}

export function hasRuntime(): boolean {
	return (globalThis as WithRuntime)[KEY] !== undefined;
}

/** The drizzle database of this process. */
export function db() {
	return getRuntime().database.db;
}
