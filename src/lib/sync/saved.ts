/**
 * The `saved` message (type 100, see server/protocol.ts): the server's durably stored state
 * vector. Our edits are saved when it covers every clock of our own document.
 */
import * as Y from 'yjs';

export const MESSAGE_SAVED = 100;

export function coveredBy(doc: Y.Doc, stored: Map<number, number>): boolean {
	for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
		if ((stored.get(client) ?? 0) < clock) return false;
	}
	return true;
}
