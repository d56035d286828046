/**
 * The entries one Yjs transaction changed, for update-rules.ts. Call it from the doc's
 * `afterTransaction` event: Yjs emits it after integration but before garbage collection and
 * before the `update` event, so deleted items still hold their content and nothing has left the
 * process yet.
 *
 * Reads Yjs items directly (`_map`, `left`, `content`): the public getters hide deleted
 * values, and the value a key held *before* the transaction is exactly what decides whether a
 * guest may touch a card.
 */
import * as Y from 'yjs';
import type { DocValue, EntryChange } from './update-rules';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the type Yjs itself uses for any shared type
type AnyType = Y.AbstractType<any>;

/** The item that held `key` in `parent` when the transaction began, if any. */
function itemBefore(parent: AnyType, key: string, tr: Y.Transaction): Y.Item | null {
	let item: Y.Item | null = parent._map.get(key) ?? null;
	while (item) {
		const createdInTransaction = item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
		if (!createdInTransaction) {
			// Only the newest earlier item can have been live; older ones were overwritten.
			return !item.deleted || Y.isDeleted(tr.deleteSet, item.id) ? item : null;
		}
		item = item.left;
	}
	return null;
}

function lastContent(item: Y.Item): unknown {
	const content = item.content.getContent();
	return content[content.length - 1];
}

/** A live value of the doc as update-rules sees it. */
export function docValueOf(value: unknown): DocValue {
	if (value instanceof Y.Map) {
		const entries: Record<string, DocValue> = {};
		for (const [key, child] of value.entries()) entries[key] = docValueOf(child);
		return { kind: 'map', entries };
	}
	if (value instanceof Y.AbstractType) return { kind: 'type' };
	// Binary content and sub-documents are no board values either.
	if (value instanceof Uint8Array || value instanceof Y.Doc) return { kind: 'type' };
	return { kind: 'json', value };
}

function currentValue(parent: AnyType, key: string): DocValue | undefined {
	const item = parent._map.get(key);
	if (!item || item.deleted) return undefined;
	if (item.content instanceof Y.ContentType) return docValueOf(item.content.type);
	if (item.content instanceof Y.ContentAny || item.content instanceof Y.ContentJSON) {
		return { kind: 'json', value: lastContent(item) };
	}
	return { kind: 'type' };
}

/** A string field of a card (a nested map) as it was when the transaction began. */
function fieldBefore(root: AnyType, key: string, field: string, tr: Y.Transaction): string | null {
	const item = itemBefore(root, key, tr);
	if (!item || !(item.content instanceof Y.ContentType)) return null;
	const held = itemBefore(item.content.type, field, tr);
	const value = held ? lastContent(held) : null;
	return typeof value === 'string' ? value : null;
}

/** Every top-level entry the transaction touched, with its state before and after. */
export function changedEntries(tr: Y.Transaction): EntryChange[] {
	const touched = new Map<AnyType, Set<string | null>>();
	const add = (root: AnyType, key: string | null) => {
		let keys = touched.get(root);
		if (!keys) touched.set(root, (keys = new Set()));
		keys.add(key);
	};
	for (const [type, keys] of tr.changed) {
		if (type._item === null) {
			for (const key of keys) add(type, key);
			continue;
		}
		// A nested type: the entry is the top-level key it hangs under.
		let item: Y.Item = type._item;
		while ((item.parent as AnyType)._item !== null) item = (item.parent as AnyType)._item!;
		add(item.parent as AnyType, item.parentSub);
	}
	const changes: EntryChange[] = [];
	for (const [root, keys] of touched) {
		const name = Y.findRootTypeKey(root);
		for (const key of keys) {
			if (key === null) {
				changes.push({
					root: name,
					key,
					existedBefore: true,
					createdByBefore: null,
					typeBefore: null,
					after: undefined
				});
				continue;
			}
			changes.push({
				root: name,
				key,
				existedBefore: itemBefore(root, key, tr) !== null,
				createdByBefore: fieldBefore(root, key, 'createdBy', tr),
				typeBefore: fieldBefore(root, key, 'type', tr),
				after: currentValue(root, key)
			});
		}
	}
	return changes;
}
