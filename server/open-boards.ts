/**
 * Lets SvelteKit code (src/lib/server/board-edit.ts) reach the rooms of this process, so a
 * server-side edit of an open board lands in the live document: connected clients get it at
 * once and it is stored by the room's own group commit.
 *
 * With Redis, an erasure's follow-up (drop offline copies, close a deleted board) is also
 * published on the board's stream, and `applyRemoteErasure` does the same for the rooms of
 * this process when another instance erased.
 */
import * as Y from 'yjs';
import { loadBoardDoc, reencodeBoard } from '../src/lib/server/board-store';
import type { OpenBoards, Runtime } from '../src/lib/server/runtime';
import type { RedisFanout } from './fanout';
import type { ErasureMode } from './fanout-entry';
import { log } from './log';
import { encodeDropCache } from './protocol';
import { closeConnection, send, type Room } from './rooms';

type RoomMap = Map<string, Room | Promise<Room>>;

async function roomOf(rooms: RoomMap, boardId: string): Promise<Room | null> {
	const entry = rooms.get(boardId);
	if (!entry) return null;
	try {
		const room = await entry;
		return room.destroyed ? null : room;
	} catch {
		// A room that failed to load is not open; the caller edits the stored board.
		return null;
	}
}

function dropOfflineCopies(room: Room): void {
	const message = encodeDropCache();
	// Only our own app asks for `saved`; a stock y-websocket client is not sent a type it
	// does not know (protocol.ts).
	for (const conn of room.connections) if (conn.wantsSaved) send(conn, message);
}

function closeDeleted(room: Room): void {
	dropOfflineCopies(room);
	for (const conn of [...room.connections]) closeConnection(conn, 'forbidden', 'erased');
	// No flush: the board's rows are gone, and what the room held is what was erased.
	room.destroy();
}

/**
 * Another instance erased content from `boardId` (fanout.ts, entry `e`). `close`: the board is
 * being deleted, as `closeDeleted`. `reload`: that instance re-encoded the store after its
 * deleting update, which reached this room first (same stream). This room stores what it still
 * held unstored (its own clients' edits and unconfirmed remote ones, which may be the erased
 * content's own insert) and, if that wrote rows, re-encodes again so no row holds the erased
 * bytes; it merges the re-encoded store, and its app clients drop their offline copies.
 */
export async function applyRemoteErasure(
	runtime: Runtime,
	rooms: RoomMap,
	boardId: string,
	mode: ErasureMode
): Promise<void> {
	const room = await roomOf(rooms, boardId);
	if (!room) return;
	if (mode === 'close') return closeDeleted(room);
	try {
		const db = runtime.database.db;
		if (await room.storeAll()) await reencodeBoard(db, boardId);
		const { doc } = await loadBoardDoc(db, boardId);
		const stored = Y.encodeStateAsUpdate(doc);
		doc.destroy();
		if (!room.destroyed) room.mergeStored(stored);
	} catch (error) {
		log.warn(`sync: following an erasure on board ${boardId} failed: ${(error as Error).message}`);
	}
	if (!room.destroyed) dropOfflineCopies(room);
}

/** Register `rooms` as the runtime's open boards; returns the function that unregisters. */
export function registerOpenBoards(
	runtime: Runtime,
	rooms: RoomMap,
	fanout?: RedisFanout
): () => void {
	const registry: OpenBoards = {
		get: (boardId) => roomOf(rooms, boardId),
		async dropOfflineCopies(boardId) {
			await fanout?.publishErased(boardId, 'reload');
			const room = await roomOf(rooms, boardId);
			if (room) dropOfflineCopies(room);
		},
		async closeDeleted(boardId) {
			await fanout?.publishErased(boardId, 'close');
			const room = await roomOf(rooms, boardId);
			if (room) closeDeleted(room);
		},
		...(fanout
			? { announceStored: (boardId, update) => fanout.publishStoredUpdate(boardId, update) }
			: {})
	};
	runtime.openBoards = registry;
	return () => {
		if (runtime.openBoards === registry) runtime.openBoards = undefined;
	};
}
