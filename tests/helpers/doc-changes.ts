import * as Y from 'yjs';
import { changedEntries } from '../../src/lib/board/doc-changes';
import type { EntryChange } from '../../src/lib/board/update-rules';

/**
 * The entries one change made, as the server sees them in `afterTransaction`. The change runs
 * on a copy, so every check starts from the same board.
 */
export function changesOf(original: Y.Doc, change: (doc: Y.Doc) => void): EntryChange[] {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(original));
	let changes: EntryChange[] = [];
	const listener = (tr: Y.Transaction) => {
		if (tr.origin === 'test') changes = changes.concat(changedEntries(tr));
	};
	doc.on('afterTransaction', listener);
	doc.transact(() => change(doc), 'test');
	doc.off('afterTransaction', listener);
	return changes;
}
