/**
 * Lets SvelteKit code (src/lib/server/board-edit.ts) reach the rooms of this process, so a
 * server-side edit of an open board lands in the live document: connected clients get it at
 * once and it is stored by the room's own group commit.
 */
import type { OpenBoards, Runtime } from '../src/lib/server/runtime';
import type { RedisFanout } from './fanout';
import type { Room } from './rooms';

/** Register `rooms` as the runtime's open boards; returns the function that unregisters. */
export function registerOpenBoards(
	runtime: Runtime,
	rooms: Map<string, Room | Promise<Room>>,
	fanout?: RedisFanout
): () => void {
	const registry: OpenBoards = {
		async get(boardId) {
			const entry = rooms.get(boardId);
			if (!entry) return null;
			try {
				const room = await entry;
				return room.destroyed ? null : room;
			} catch {
				// A room that failed to load is not open; the caller edits the stored board.
				return null;
			}
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
