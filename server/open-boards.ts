/**
 * Lets SvelteKit code (src/lib/server/board-edit.ts) reach the rooms of this process, so a
 * server-side edit of an open board lands in the live document: connected clients get it at
 * once and it is stored by the room's own group commit.
 */
import type { OpenBoards, Runtime } from '../src/lib/server/runtime';
import type { RedisFanout } from './fanout';
import { encodeDropCache } from './protocol';
import { closeConnection, send, type Room } from './rooms';

/** Register `rooms` as the runtime's open boards; returns the function that unregisters. */
export function registerOpenBoards(
	runtime: Runtime,
	rooms: Map<string, Room | Promise<Room>>,
	fanout?: RedisFanout
): () => void {
	const roomOf = async (boardId: string): Promise<Room | null> => {
		const entry = rooms.get(boardId);
		if (!entry) return null;
		try {
			const room = await entry;
			return room.destroyed ? null : room;
		} catch {
			// A room that failed to load is not open; the caller edits the stored board.
			return null;
		}
	};
	const dropOfflineCopies = (room: Room) => {
		const message = encodeDropCache();
		// Only our own app asks for `saved`; a stock y-websocket client is not sent a type it
		// does not know (protocol.ts).
		for (const conn of room.connections) if (conn.wantsSaved) send(conn, message);
	};
	const registry: OpenBoards = {
		get: roomOf,
		async dropOfflineCopies(boardId) {
			const room = await roomOf(boardId);
			if (room) dropOfflineCopies(room);
		},
		async closeDeleted(boardId) {
			const room = await roomOf(boardId);
			if (!room) return;
			dropOfflineCopies(room);
			for (const conn of [...room.connections]) closeConnection(conn, 'forbidden', 'erased');
			// No flush: the board's rows are gone, and what the room held is what was erased.
			room.destroy();
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
