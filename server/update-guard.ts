/**
 * The update guard: every Yjs update from a connection is checked against the board kind's
 * schema and the connection's capabilities before anything is relayed or stored.
 *
 * Mechanism. Yjs cannot test an update without integrating it, so the guard integrates it into
 * the room document and takes it back when it is refused:
 *
 * 1. The update is applied in one transaction whose origin is the connection.
 * 2. In `afterTransaction` (Yjs emits it after integration, before garbage collection and
 *    before the doc's `update` event; see `cleanupTransactions` in yjs) the guard lists the
 *    entries the transaction changed (src/lib/board/doc-changes.ts) and checks them
 *    (src/lib/board/update-rules.ts). Accepted: nothing more happens, and garbage collection
 *    runs as for any update. Refused: the transaction is marked, and the room's `update`
 *    listener skips it, so it is neither relayed nor queued; and the guard's one
 *    `Y.UndoManager` is handed that transaction, which it captures as an undo step and whose
 *    deleted items it keeps from garbage collection. The undo manager does not listen to the
 *    document itself: capturing every accepted update, only to let go of it at once, cost as
 *    much CPU as the rest of the guard (tests/bench/guard.ts).
 * 3. When refused, `undo()` reverts it (deleted cards come back as copies, inserted values are
 *    deleted), its transaction is marked too, and the kept items are let go and garbage
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

/** One captured undo step (Yjs does not export its class). */
type UndoStep = Y.UndoManager['undoStack'][number];

export class UpdateGuard {
	readonly #doc: Y.Doc;
	/** Transactions whose `update` event must not leave the room. */
	readonly #suppressed = new WeakSet<Y.Transaction>();
	/** Reverts a refused transaction; fed by `apply` only, never by the document (see header). */
	readonly #undo: Y.UndoManager;

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		this.#undo = new Y.UndoManager(doc, { captureTimeout: 0, trackedOrigins: new Set() });
		doc.off('afterTransaction', this.#undo.afterTransactionHandler);
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
		const undo = this.#undo;
		let verdict: Verdict = { ok: true };
		let refused: Y.Transaction | null = null;
		let reverted: Y.Transaction | null = null;
		const judge = (tr: Y.Transaction) => {
			if (tr.origin === undo) {
				this.#suppressed.add(tr);
				reverted ??= tr;
				return;
			}
			if (tr.origin !== origin) return;
			verdict = checkChanges(changedEntries(tr), rules);
			if (verdict.ok) return;
			refused = tr;
			this.#suppressed.add(tr);
			// Capture it as an undo step now, before garbage collection drops what it deleted.
			undo.trackedOrigins = new Set([origin]);
			undo.afterTransactionHandler(tr);
		};
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
			const step = undo.undoStack[undo.undoStack.length - 1];
			undo.undo();
			// Yjs keeps both the deleted originals and their restored copies for a later redo; there
			// is none here, and a kept item is never collected, even once deleted for good.
			if (step) releaseKept(doc, step.deletions, undo);
			if (reverted) releaseInserted(doc, reverted);
			// The kept items are released now; collect them so their content leaves memory.
			Y.tryGc(refusedTr.deleteSet, doc.store, () => true);
			// Whatever the refused update left pending is dropped with it.
			pending.updates = [];
			pending.bytes = 0;
			const repair = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(refusedTr.beforeState));
			return { ok: false, problem: verdict.problem, repair };
		} finally {
			doc.off('afterTransaction', judge);
			undo.undoStack = [];
			undo.redoStack = [];
			undo.trackedOrigins = new Set();
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

/**
 * Let go of the items an undo step kept from garbage collection (and of the parents kept with
 * them), as `UndoManager.clear` would; the step itself is already popped by `undo()`.
 */
function releaseKept(doc: Y.Doc, deletions: UndoStep['deletions'], origin: object): void {
	doc.transact((tr) => Y.iterateDeletedStructs(tr, deletions, release), origin);
}

/** Let go of the items `tr` inserted (the copies an undo restored) and of their parents. */
function releaseInserted(doc: Y.Doc, tr: Y.Transaction): void {
	tr.afterState.forEach((end, client) => {
		const start = tr.beforeState.get(client) ?? 0;
		const structs = doc.store.clients.get(client) ?? [];
		for (let i = structs.length - 1; i >= 0; i--) {
			const struct = structs[i]!;
			if (struct.id.clock + struct.length <= start) break;
			release(struct);
		}
	});
}

function release(struct: Y.Item | Y.GC): void {
	let item: Y.Item | null = struct instanceof Y.Item ? struct : null;
	while (item !== null && item.keep) {
		item.keep = false;
		item = (item.parent as Y.AbstractType<unknown>)._item;
	}
}
