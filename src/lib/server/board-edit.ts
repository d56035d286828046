/**
 * Server-side edits of a board's document: the one way server code (ending a bordsessie,
 * erasure) changes a board. Browsers never write history; the server derives it from the
 * document it holds and changes the board itself.
 *
 * `editBoardDoc(boardId, fn, { commit })`:
 * - `fn(doc)` runs synchronously on a working copy of the board's *current* document: the live
 *   room's when the board is open in this process, else the stored one. Its changes become one
 *   Yjs update (origin `'server'`).
 * - `commit(tx, result)` (optional) writes what belongs with the change (a session record)
 *   inside a transaction *before* the change reaches the board. If it throws, nothing of the
 *   change is applied anywhere.
 * - Open board: the update is applied to the room document (broadcast at once, stored by the
 *   group commit with its saved-ack); the call resolves after that flush committed.
 *   Closed board: load, `fn`, `commit` and appending the update run in one transaction behind
 *   the board's exclusive advisory lock, the one compaction takes.
 *
 * Edits of one board are serialised within this process, so `fn` always sees the outcome of
 * the previous server edit (a double click ends a session once).
 */
import { sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { lockedStoredDoc, storedDocIn } from './board-store';
import type { Tx } from './db';
import { boardUpdate } from './db/schema';
import { getRuntime, type OpenBoard, type Runtime } from './runtime';

/** Transaction origin of server edits (observers tell them from connections and Redis). */
export const SERVER_ORIGIN = 'server';

export interface BoardEditOptions<T> {
	/** Runs in a transaction before the change is applied; throwing cancels the edit. */
	commit?: (tx: Tx, result: T) => Promise<void>;
}

export interface BoardEdit<T> {
	result: T;
	/** Whether `fn` changed the document. */
	changed: boolean;
	/** Whether the board was open in a room of this process. */
	live: boolean;
}

export async function editBoardDoc<T>(
	boardId: string,
	fn: (doc: Y.Doc) => T,
	options: BoardEditOptions<T> = {},
	runtime: Runtime = getRuntime()
): Promise<BoardEdit<T>> {
	return serialise(runtime, boardId, async () => {
		const open = await openBoard(runtime, boardId);
		const edit = open
			? await runOnCopy(runtime, open.doc, fn, options)
			: await editStored(runtime, boardId, fn, options);
		if (edit.update) await deliver(runtime, boardId, edit.update, open !== null);
		return { result: edit.result, changed: edit.update !== null, live: open !== null };
	});
}

/**
 * A copy of the board's current document, to read (an export, an erasure's preview): the live
 * room's when the board is open in this process, else the stored one. The caller destroys it.
 */
export async function currentBoardDoc(
	boardId: string,
	runtime: Runtime = getRuntime()
): Promise<Y.Doc> {
	const open = await openBoard(runtime, boardId);
	if (open) {
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(open.doc));
		return copy;
	}
	return runtime.database.db.transaction((tx) => storedDocIn(tx, boardId));
}

async function openBoard(runtime: Runtime, boardId: string): Promise<OpenBoard | null> {
	return (await runtime.openBoards?.get(boardId)) ?? null;
}

/** Run `fn` on `doc` in one transaction and return what it changed as one update. */
function capture<T>(doc: Y.Doc, fn: (doc: Y.Doc) => T): { result: T; update: Uint8Array | null } {
	const updates: Uint8Array[] = [];
	const collect = (update: Uint8Array) => updates.push(update);
	doc.on('update', collect);
	try {
		const result = doc.transact(() => fn(doc), SERVER_ORIGIN);
		return { result, update: updates.length > 0 ? Y.mergeUpdates(updates) : null };
	} finally {
		doc.off('update', collect);
	}
}

/**
 * Open board: `fn` runs on a copy so the change can wait for `commit` without touching the room;
 * the copy equals the room document at this moment, so a record built by `fn` is exactly what
 * the board said.
 */
async function runOnCopy<T>(
	runtime: Runtime,
	live: Y.Doc,
	fn: (doc: Y.Doc) => T,
	options: BoardEditOptions<T>
) {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(live));
	const edit = (() => {
		try {
			return capture(copy, fn);
		} finally {
			copy.destroy();
		}
	})();
	const commit = options.commit;
	if (commit) await runtime.database.db.transaction((tx) => commit(tx, edit.result));
	return edit;
}

async function editStored<T>(
	runtime: Runtime,
	boardId: string,
	fn: (doc: Y.Doc) => T,
	options: BoardEditOptions<T>
) {
	return runtime.database.db.transaction(async (tx) => {
		// Exclusive, like compaction: no fold or other server edit interleaves with ours, and a
		// room loading meanwhile (shared lock) reads the log only after we committed.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'board:' + boardId}))`);
		const doc = await lockedStoredDoc(tx, boardId);
		try {
			const edit = capture(doc, fn);
			if (options.commit) await options.commit(tx, edit.result);
			if (edit.update) await tx.insert(boardUpdate).values({ boardId, data: edit.update });
			return edit;
		} finally {
			doc.destroy();
		}
	});
}

/**
 * Make a computed update part of the board. Applying a Yjs update twice changes nothing, so when
 * in doubt (a room that opened or closed while we worked) it is given to both the room and the log.
 */
async function deliver(
	runtime: Runtime,
	boardId: string,
	update: Uint8Array,
	wasOpen: boolean
): Promise<void> {
	const room = await openBoard(runtime, boardId);
	if (room) {
		Y.applyUpdate(room.doc, update, SERVER_ORIGIN);
		await room.flush();
		return;
	}
	// The room unloaded while `commit` ran: store the change ourselves.
	if (wasOpen) await runtime.database.db.insert(boardUpdate).values({ boardId, data: update });
	// Another instance may have the board open.
	runtime.openBoards?.announceStored?.(boardId, update);
}

function serialise<T>(runtime: Runtime, boardId: string, task: () => Promise<T>): Promise<T> {
	// On the runtime, not in this module: dev and production load this file in several bundles.
	const queues = (runtime.services.boardEditQueues ??= new Map()) as Map<string, Promise<unknown>>;
	// The previous tail never rejects: one failed edit does not block the next.
	const run = (queues.get(boardId) ?? Promise.resolve()).then(task);
	const tail = run.then(
		() => undefined,
		() => undefined
	);
	queues.set(boardId, tail);
	void tail.then(() => {
		if (queues.get(boardId) === tail) queues.delete(boardId);
	});
	return run;
}
