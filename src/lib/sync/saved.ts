/**
 * The `saved` message (type 100, see server/protocol.ts): the server's durably stored state
 * vector. Our edits are saved when it covers every clock of our own document.
 */
import * as Y from 'yjs';

export const MESSAGE_SAVED = 100;

/**
 * The `dropCache` message (type 101, server/protocol.ts): content was erased from this board
 * (AVG), so the offline copy must go and the board opens again from the server's document.
 */
export const MESSAGE_DROP_CACHE = 101;

export function coveredBy(doc: Y.Doc, stored: Map<number, number>): boolean {
	for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
		if ((stored.get(client) ?? 0) < clock) return false;
	}
	return true;
}
