/**
 * The family part of a conversation board (zorgoverleg, driehoeksgesprek): a second board row
 * (`part_of` = the board) with its own Yjs document, update log and snapshot, holding only what
 * the family may see (src/lib/board/family-view.ts). A parent's connection to /sync/<boardId>
 * is attached to the family part's room (sync.ts), so a card the child kept for the care team
 * never reaches a parent's device: Yjs syncs whole documents, filtering in the browser would
 * protect nothing.
 *
 * While a family room is open it holds the board's own room (the main room) loaded, and the
 * mirror keeps the two documents in step, entry by entry (`cards/<id>`, `checkins/<key>`,
 * `settings/<key>`, `session/<key>`):
 * - main -> family, after every transaction of the main document that stands: each changed
 *   entry is copied if the family may see it, deleted from the family part if not;
 * - family -> main, after every accepted transaction of the family document (a parent's own
 *   check-in or card, checked by the room's guard with the parent's capabilities): each changed
 *   entry is copied into the main document, where it is relayed and stored as usual; an entry
 *   the family may not see in main is never changed from the family side;
 * - on opening, main -> family in full, so what changed in storage meanwhile (a server edit of
 *   a closed board, a card that became `care`) is reconciled before any parent connects.
 *
 * Both documents keep their own history, so entries are copied field by field into an existing
 * nested map (only differing fields set, fields that are gone deleted): concurrent edits of
 * different fields merge. Copies carry the origin `'family-mirror'`, which each direction skips,
 * so nothing loops. Listeners run on `afterTransactionCleanup`, after the update guard judged
 * the transaction (`Room.accepts`): a refused update is never mirrored. The family room stores
 * its updates only after the main room stored its own (`Room.storesAfter`), so a parent's
 * change never survives a crash in the family part alone.
 */
import { and, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { familySees } from '../src/lib/board/family-view';
import { rootMapsOf } from '../src/lib/board/update-rules';
import { newId } from '../src/lib/server/auth/tokens';
import type { Database, Queryable } from '../src/lib/server/db';
import { board, type Board } from '../src/lib/server/db/schema';
import type { Room } from './rooms';

export const MIRROR_ORIGIN = 'family-mirror';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the type Yjs itself uses for any shared type
type AnyType = Y.AbstractType<any>;

/**
 * The id of `main`'s family part, created on first use. Race-safe: the unique index on
 * `part_of` lets one creator win; a concurrent one inserts nothing and reads the winner's row.
 */
export async function ensureFamilyPart(db: Database, main: Board): Promise<string> {
	const existing = await findFamilyPart(db, main);
	if (existing) return existing;
	return db.transaction(async (tx) => {
		const [created] = await tx
			.insert(board)
			.values({
				id: newId(),
				schoolId: main.schoolId,
				teamId: main.teamId,
				studentId: main.studentId,
				kind: main.kind,
				title: main.title,
				createdById: main.createdById,
				partOf: main.id
			})
			.onConflictDoNothing({ target: board.partOf })
			.returning({ id: board.id });
		if (created) return created.id;
		const winner = await findFamilyPart(tx, main);
		if (!winner) throw new Error(`family part of board ${main.id} neither created nor found`);
		return winner;
	});
}

async function findFamilyPart(
	db: Queryable,
	main: Pick<Board, 'id' | 'schoolId'>
): Promise<string | null> {
	const [row] = await db
		.select({ id: board.id })
		.from(board)
		.where(and(eq(board.partOf, main.id), eq(board.schoolId, main.schoolId)))
		.limit(1);
	return row?.id ?? null;
}

function plain(value: unknown): unknown {
	return value instanceof Y.AbstractType ? value.toJSON() : value;
}

/** Board values are JSON; structurally equal values need no write. */
function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Make `to[key]` equal `from[key]`. A map entry (a card) is copied field by field into the
 * target's existing map, so a concurrent edit of another field on the other side survives.
 * Board entries hold only plain values (update-rules.ts); a nested shared type is never copied.
 */
function copyEntry(from: Y.Map<unknown>, to: Y.Map<unknown>, key: string): void {
	const source = from.get(key);
	const target = to.get(key);
	if (source === undefined) {
		if (to.has(key)) to.delete(key);
		return;
	}
	if (source instanceof Y.Map) {
		if (!(target instanceof Y.Map)) {
			const map = new Y.Map<unknown>();
			for (const [field, value] of source.entries()) {
				if (!(value instanceof Y.AbstractType)) map.set(field, value);
			}
			to.set(key, map);
			return;
		}
		for (const [field, value] of source.entries()) {
			if (value instanceof Y.AbstractType) continue;
			if (!sameValue(target.get(field), value)) target.set(field, value);
		}
		for (const field of [...target.keys()]) if (!source.has(field)) target.delete(field);
		return;
	}
	if (source instanceof Y.AbstractType) return;
	if (!sameValue(target, source)) to.set(key, source);
}

/** The top-level entries (`root`, `key`) a transaction changed, within `roots`. */
function changedEntries(tr: Y.Transaction, roots: readonly string[]): Array<[string, string]> {
	const found = new Map<string, [string, string]>();
	for (const [type, keys] of tr.changed) {
		let root: AnyType = type;
		let entryKeys: Iterable<string | null> = keys;
		if (type._item !== null) {
			// A nested type: the entry is the top-level key it hangs under.
			let item: Y.Item = type._item;
			while ((item.parent as AnyType)._item !== null) item = (item.parent as AnyType)._item!;
			root = item.parent as AnyType;
			entryKeys = [item.parentSub];
		}
		const name = Y.findRootTypeKey(root);
		if (!roots.includes(name)) continue;
		for (const key of entryKeys) if (key !== null) found.set(`${name}/${key}`, [name, key]);
	}
	return [...found.values()];
}

/**
 * Keep `family` (the family part's room) in step with `main` (the board's room): reconcile now,
 * then mirror every standing transaction both ways. Returns the function that stops it.
 */
export function attachFamilyMirror(main: Room, family: Room): () => void {
	const roots = rootMapsOf(main.kind);

	/** Each entry of the family part becomes main's if the family may see it, else it goes. */
	const toFamily = (entries: Iterable<[string, string]>) => {
		family.doc.transact(() => {
			for (const [root, key] of entries) {
				const source = main.doc.getMap<unknown>(root);
				const target = family.doc.getMap<unknown>(root);
				const value = source.get(key);
				if (value !== undefined && familySees(root, plain(value))) copyEntry(source, target, key);
				else if (target.has(key)) target.delete(key);
			}
		}, MIRROR_ORIGIN);
	};

	// In full: what changed in storage while the part was closed, and keys gone from main.
	const all: Array<[string, string]> = [];
	for (const root of roots) {
		const keys = new Set([
			...main.doc.getMap<unknown>(root).keys(),
			...family.doc.getMap<unknown>(root).keys()
		]);
		for (const key of keys) all.push([root, key]);
	}
	toFamily(all);

	const onMain = (tr: Y.Transaction) => {
		if (tr.origin === MIRROR_ORIGIN || !main.accepts(tr)) return;
		const changed = changedEntries(tr, roots);
		if (changed.length > 0) toFamily(changed);
	};

	const onFamily = (tr: Y.Transaction) => {
		if (tr.origin === MIRROR_ORIGIN || !family.accepts(tr)) return;
		const changed = changedEntries(tr, roots);
		if (changed.length === 0) return;
		main.doc.transact(() => {
			for (const [root, key] of changed) {
				const target = main.doc.getMap<unknown>(root);
				const current = target.get(key);
				// Hidden from the family, so not the family's to change: a parent who knows the id
				// of a card that became `care` cannot overwrite it by adding one with that id.
				if (current !== undefined && !familySees(root, plain(current))) continue;
				copyEntry(family.doc.getMap<unknown>(root), target, key);
			}
		}, MIRROR_ORIGIN);
		// The family part holds exactly what main now shows the family: a refused overwrite is
		// taken back, and a parent's own card given `care` leaves the family part.
		// (Transacting here, during the family doc's cleanup, runs after this transaction's.)
		toFamily(changed);
	};

	// On each room's document whenever it is in memory (either may rest, rooms.ts).
	const listen = (onCleanup: (tr: Y.Transaction) => void) => (doc: Y.Doc) => {
		doc.on('afterTransactionCleanup', onCleanup);
		return () => doc.off('afterTransactionCleanup', onCleanup);
	};
	const stopMain = main.observeDocument(listen(onMain));
	const stopFamily = family.observeDocument(listen(onFamily));
	family.storesAfter(main);
	return () => {
		stopMain();
		stopFamily();
		family.storesAfter(null);
	};
}
