/**
 * A board's history folds in a worker thread (src/lib/server/fold.ts): the same bytes as the
 * inline fold, deleted text gone from them, the event loop free meanwhile, and a worker that
 * goes away mid-fold costs nothing but the fold running inline.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteCard, updateCard } from '../../src/lib/board/verbeterbord';
import { foldHistory, foldInline, stopFoldWorker } from '../../src/lib/server/fold';
import { addCards, quickMove } from '../bench/cards';

/** A snapshot and then `edits` rows of card moves, as a busy board stores them. */
function history(cards: number, edits: number): Uint8Array[] {
	const doc = new Y.Doc();
	addCards(doc, cards, 'user:a');
	const parts = [Y.encodeStateAsUpdate(doc)];
	for (let n = 0; n < edits; n++) {
		const before = Y.encodeStateVector(doc);
		quickMove(doc, n);
		parts.push(Y.encodeStateAsUpdate(doc, before));
	}
	return parts;
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

describe('folding a board history', () => {
	afterAll(() => stopFoldWorker());

	it('gives the inline fold’s bytes, without the text deleted from the board', async () => {
		const parts = history(40, 200);
		const doc = new Y.Doc();
		for (const part of parts) Y.applyUpdate(doc, part);
		const edit = (fn: () => void) => {
			const before = Y.encodeStateVector(doc);
			fn();
			parts.push(Y.encodeStateAsUpdate(doc, before));
		};
		edit(() => updateCard(doc, 'c3', { title: 'Vervangen titel' }));
		edit(() => deleteCard(doc, 'c5'));
		const inWorker = await foldHistory(parts);
		expect(inWorker).toEqual(foldInline(parts));
		expect(text(parts[0]!)).toContain('Idee 5: samen');
		expect(text(inWorker)).not.toContain('Idee 5: samen');
		expect(text(inWorker)).not.toContain('Idee 3: samen');
		expect(text(inWorker)).toContain('Vervangen titel');
		const back = new Y.Doc();
		Y.applyUpdate(back, inWorker);
		expect(back.getMap('cards').toJSON()).toEqual(doc.getMap('cards').toJSON());
	});

	it('leaves the event loop free while it folds', async () => {
		const parts = history(300, 200);
		await foldHistory(parts.slice(0, 2)); // the worker is up
		let turns = 0;
		let folding = true;
		const turn = () => {
			turns++;
			if (folding) setImmediate(turn);
		};
		setImmediate(turn);
		const folded = await foldHistory(parts);
		folding = false;
		// Inline, the fold would run in one turn of the loop and nothing else could.
		expect(turns).toBeGreaterThan(10);
		expect(folded).toEqual(foldInline(parts));
	});

	it('folds inline when the worker goes away mid-fold', async () => {
		const parts = history(100, 100);
		const folding = foldHistory(parts);
		await stopFoldWorker();
		expect(await folding).toEqual(foldInline(parts));
		// And the next fold starts a new worker.
		expect(await foldHistory(parts)).toEqual(foldInline(parts));
	});
});
