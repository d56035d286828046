/**
 * Board documents for the bench, written the way the app writes them (verbeterbord.ts): one
 * nested Y.Map per card, one key per field, and an edit is a card move (area and/or order).
 */
import * as Y from 'yjs';
import { keyBetween } from '../../src/lib/board/fractional-index';
import {
	addCard,
	cardsMap,
	listCards,
	moveCard,
	type Area
} from '../../src/lib/board/verbeterbord';

/** Ideas and concerns are both notes, so a move between them is an honest area change. */
const noteAreas: Area[] = ['ideas', 'concerns'];

/** Add `count` note cards to `doc` in one transaction per card (as people add them). */
export function addCards(doc: Y.Doc, count: number, createdBy: string, prefix = 'c'): string[] {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const id = `${prefix}${i}`;
		const result = addCard(
			doc,
			{
				type: noteAreas[i % 2],
				title: `Idee ${i}: samen de check-in voorbereiden`,
				body: 'Wie doet wat en wanneer; bespreken in de bordsessie.'
			},
			null,
			{ createdBy, createdByName: 'Bench', id }
		);
		if (!result.ok) throw new Error(`card not added: ${JSON.stringify(result.errors)}`);
		ids.push(id);
	}
	return ids;
}

/** A fresh doc holding a board of `count` cards. */
export function boardState(count: number, createdBy: string): Uint8Array {
	const doc = new Y.Doc();
	addCards(doc, count, createdBy);
	const state = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return state;
}

/**
 * Move edit number `n` (replayable: no randomness): card n mod the board to the other note
 * area on odd rounds, or to the front of its own area on even ones.
 */
export function moveEdit(doc: Y.Doc, n: number): void {
	const ids = [...cardsMap(doc).keys()].sort();
	if (ids.length === 0) throw new Error('no cards on the board');
	const id = ids[n % ids.length]!;
	const card = cardsMap(doc).get(id)!;
	const area = card.get('type') as Area;
	const round = Math.floor(n / ids.length);
	const to = round % 2 === 1 ? noteAreas[(noteAreas.indexOf(area) + 1) % 2]! : area;
	const first = listCards(doc, to).find((c) => c.id !== id);
	const result = moveCard(doc, id, { area: to, beforeId: first?.id ?? null });
	if (!result.ok) throw new Error(`move refused: ${JSON.stringify(result.errors)}`);
}

/**
 * The same change as `moveEdit` (card n to the front of an area, every other round into the
 * other note area), without re-reading the whole board: for filling large boards with many
 * moves, where `moveCard`'s validation of every card would make the bench measure itself.
 */
export function quickMove(doc: Y.Doc, n: number): void {
	let state = fronts.get(doc);
	if (!state) {
		const ids = [...cardsMap(doc).keys()].sort();
		const front = new Map<Area, string | null>(noteAreas.map((a) => [a, null]));
		for (const card of listCards(doc)) {
			const first = front.get(card.type);
			if (first === null || (first !== undefined && card.order < first))
				front.set(card.type, card.order);
		}
		state = { ids, front };
		fronts.set(doc, state);
	}
	const id = state.ids[n % state.ids.length]!;
	const card = cardsMap(doc).get(id)!;
	const area = card.get('type') as Area;
	const round = Math.floor(n / state.ids.length);
	const to = round % 2 === 1 ? noteAreas[(noteAreas.indexOf(area) + 1) % 2]! : area;
	const order = keyBetween(null, state.front.get(to) ?? null);
	doc.transact(() => {
		if (to !== area) card.set('type', to);
		card.set('order', order);
	});
	state.front.set(to, order);
}
const fronts = new WeakMap<Y.Doc, { ids: string[]; front: Map<Area, string | null> }>();
