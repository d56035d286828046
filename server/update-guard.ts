/**
 * The update guard: every Yjs update from a connection is checked against the board kind's
 * schema and the connection's capabilities before anything is relayed or stored.
 *
 * Mechanism. Yjs cannot test an update without integrating it, so the guard integrates it into
 * the room document and takes it back when it is refused:
 *
 * 1. A `Y.UndoManager` scoped to the whole document, tracking only this connection as origin,
 *    is created, then the update is applied in one transaction whose origin is the connection.
 * 2. In `afterTransaction` (Yjs emits it after integration, before garbage collection and
 *    before the doc's `update` event; see `cleanupTransactions` in yjs) the guard lists the
 *    entries the transaction changed (src/lib/board/doc-changes.ts) and checks them
 *    (src/lib/board/update-rules.ts). Accepted: the undo manager lets go of the deleted items
 *    at once, so garbage collection runs as for any update. Refused: the transaction is marked,
 *    and the room's `update` listener skips it, so it is neither relayed nor queued.
 * 3. When refused, `undo()` reverts it (deleted cards come back as copies, inserted values are
 *    deleted), its transaction is marked too, and the deleted items of both are garbage
 *    collected, so no refused content stays in memory.
 * 4. The integrated structs cannot be taken out of a Yjs document: they stay as tombstones. So
 *    that every replica keeps the same struct store (later updates may point at those structs),
 *    the room relays and stores one repair update, `encodeStateAsUpdate(doc, stateBefore)`: the
 *    tombstones without content plus the restored copies. Other clients see no change beyond
 *    restored cards being new Y.Maps with the same id and fields; the refused connection is
 *    closed with 4400 and one log line.
 *
 * Updates with missing dependencies leave structs pending in `doc.store`; a later update from
 * anyone would integrate them inside *its* transaction and they would be judged as that
 * connection's change. So pending state never stays in the room document: it is moved to the
 * connection that sent it and merged into that connection's next update, and it counts against
 * the board's byte limit (see `pendingBytes`).
 */
import * as Y from 'yjs';
import { changedEntries } from '../src/lib/board/doc-changes';
import { checkChanges, type RuleContext, type Verdict } from '../src/lib/board/update-rules';

/** Updates of one origin whose dependencies have not arrived yet (Yjs V2 encoding). */
export interface PendingState {
	updates: Uint8Array[];
	bytes: number;
}

export function emptyPending(): PendingState {
	return { updates: [], bytes: 0 };
}

export type GuardResult =
	| { ok: true }
	| {
			ok: false;
			problem: string;
			/** Relay and store this instead (may be empty). */ repair: Uint8Array | null;
	  };

export class UpdateGuard {
	readonly #doc: Y.Doc;
	/** Transactions whose `update` event must not leave the room. */
	readonly #suppressed = new WeakSet<Y.Transaction>();

	constructor(doc: Y.Doc) {
		this.#doc = doc;
	}

	/** Whether the room's `update` listener must drop this transaction's update. */
	suppresses(transaction: Y.Transaction): boolean {
		return this.#suppressed.has(transaction);
	}

	/**
	 * Apply `update` (V1, as the y-websocket protocol sends it) from `origin`, checked with
	 * `rules`. On refusal the document is as before (up to tombstones, see the header).
	 */
	apply(
		update: Uint8Array,
		origin: object,
		rules: RuleContext,
		pending: PendingState
	): GuardResult {
		const doc = this.#doc;
		const before = Y.encodeStateVector(doc);
		const undo = new Y.UndoManager(doc, {
			trackedOrigins: new Set([origin]),
			captureTimeout: 0,
			// Never track the undo itself: what it deletes must be collected, not kept.
			captureTransaction: (tr) => tr.origin === origin
		});
		let verdict: Verdict = { ok: true };
		let refused: Y.Transaction | null = null;
		const judge = (tr: Y.Transaction) => {
			if (tr.origin === undo) {
				this.#suppressed.add(tr);
				return;
			}
			if (tr.origin !== origin) return;
			verdict = checkChanges(changedEntries(tr), rules);
			if (verdict.ok) {
				// Release the items the undo manager kept, before garbage collection runs.
				undo.clear();
			} else {
				refused = tr;
				this.#suppressed.add(tr);
			}
		};
		// Registered after the undo manager's own listener, so `clear()` runs after it kept.
		doc.on('afterTransaction', judge);
		let thrown: Error | null = null;
		try {
			if (pending.updates.length > 0) {
				const merged = Y.mergeUpdatesV2([...pending.updates, Y.convertUpdateFormatV1ToV2(update)]);
				pending.updates = [];
				pending.bytes = 0;
				Y.applyUpdateV2(doc, merged, origin);
			} else {
				Y.applyUpdate(doc, update, origin);
			}
		} catch (error) {
			thrown = error as Error;
			if (verdict.ok) verdict = { ok: false, problem: `malformed update: ${thrown.message}` };
		}
		try {
			this.#stashPending(pending);
			if (verdict.ok) return { ok: true };
			if (!refused) {
				// Threw before its transaction ended (nothing judged): treat what landed as refused.
				return { ok: false, problem: verdict.problem, repair: null };
			}
			const refusedTr: Y.Transaction = refused;
			undo.undo();
			undo.clear();
			// The kept items are released now; collect them so their content leaves memory.
			Y.tryGc(refusedTr.deleteSet, doc.store, () => true);
			// Whatever the refused update left pending is dropped with it.
			pending.updates = [];
			pending.bytes = 0;
			const repair = Y.encodeStateAsUpdate(doc, before);
			return { ok: false, problem: verdict.problem, repair };
		} finally {
			doc.off('afterTransaction', judge);
			undo.destroy();
		}
	}

	/** Move structs and deletes waiting for missing dependencies from the doc to their origin. */
	#stashPending(pending: PendingState): void {
		const store = this.#doc.store;
		if (store.pendingStructs) {
			pending.updates.push(store.pendingStructs.update);
			pending.bytes += store.pendingStructs.update.byteLength;
			store.pendingStructs = null;
		}
		if (store.pendingDs) {
			pending.updates.push(store.pendingDs);
			pending.bytes += store.pendingDs.byteLength;
			store.pendingDs = null;
		}
	}
}
