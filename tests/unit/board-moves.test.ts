/**
 * Moves keep a card's kind: an action never turns into a goal by changing column, on the board
 * (verbeterbord.ts) and at the sync server (update-rules.ts) alike; and cards are grouped per
 * column once, in board order.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { capabilitiesOf } from '../../src/lib/board/capabilities';
import { checkChanges } from '../../src/lib/board/update-rules';
import {
	addCard,
	areas,
	cardsMap,
	getCard,
	groupByArea,
	listCards,
	mayChangeType,
	moveCard,
	moveTargets
} from '../../src/lib/board/verbeterbord';
import { changesOf } from '../helpers/doc-changes';

function ok<T>(result: { ok: true; value: T } | { ok: false; errors: unknown }): T {
	if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
	return result.value;
}

describe('which columns a card may move to', () => {
	it('keeps goals, actions and successes where they are; a note may be taken up', () => {
		expect(mayChangeType('actions', 'goals')).toBe(false);
		expect(mayChangeType('goals', 'actions')).toBe(false);
		expect(mayChangeType('successes', 'ideas')).toBe(false);
		expect(mayChangeType('actions', 'ideas')).toBe(false);
		expect(mayChangeType('ideas', 'actions')).toBe(true);
		expect(mayChangeType('ideas', 'goals')).toBe(true);
		expect(mayChangeType('ideas', 'concerns')).toBe(true);
		expect(mayChangeType('wishes', 'goals')).toBe(false);
		for (const area of areas) expect(mayChangeType(area, area)).toBe(true);
	});

	it('offers only the other shown columns a move may go to', () => {
		const shown = ['successes', 'goals', 'actions', 'ideas'] as const;
		expect(moveTargets('actions', shown)).toEqual([]);
		expect(moveTargets('goals', shown)).toEqual([]);
		expect(moveTargets('ideas', shown)).toEqual(['goals', 'actions']);
		expect(moveTargets('concerns', ['successes', 'concerns', 'goals', 'actions'])).toEqual([
			'goals',
			'actions'
		]);
	});

	it('refuses to move an action into the goals and leaves it untouched', () => {
		const doc = new Y.Doc();
		const id = ok(
			addCard(doc, { type: 'actions', title: 'Rooster', who: 'Ilse', status: 'doing' })
		);
		const before = Y.encodeStateAsUpdate(doc);
		expect(moveCard(doc, id, { area: 'goals' })).toEqual({
			ok: false,
			errors: { area: 'other_kind' }
		});
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
		expect(getCard(doc, id)).toMatchObject({ type: 'actions', status: 'doing', who: 'Ilse' });
	});

	it('takes an idea up as an action, and reorders within a column', () => {
		const doc = new Y.Doc();
		const a = ok(addCard(doc, { type: 'actions', title: 'A' }));
		const idea = ok(addCard(doc, { type: 'ideas', title: 'Leesmaatjes' }));
		ok(moveCard(doc, idea, { area: 'actions', beforeId: a }));
		expect(listCards(doc, 'actions').map((c) => c.title)).toEqual(['Leesmaatjes', 'A']);
		expect(getCard(doc, idea)).toMatchObject({ type: 'actions', status: 'open' });
	});
});

describe('the sync server refuses a move between kinds', () => {
	const staff = { kind: 'verbeterbord', caps: capabilitiesOf('owner'), actorKey: 'u1' } as const;

	it('an action rewritten as a goal by an old or hostile client', () => {
		const doc = new Y.Doc();
		addCard(doc, { type: 'actions', title: 'Rooster' }, null, { createdBy: 'u1', id: 'act1' });
		addCard(doc, { type: 'ideas', title: 'Idee' }, null, { createdBy: 'u1', id: 'idea1' });
		const retype = checkChanges(
			changesOf(doc, (d) => cardsMap(d).get('act1')!.set('type', 'goals')),
			staff
		);
		expect(retype.ok).toBe(false);
		const takeUp = checkChanges(
			changesOf(doc, (d) => moveCard(d, 'idea1', { area: 'actions' })),
			staff
		);
		expect(takeUp).toEqual({ ok: true });
		// A new card may be of any type: only a change of an existing card is a move.
		const fresh = checkChanges(
			changesOf(doc, (d) =>
				addCard(d, { type: 'goals', title: 'Nieuw' }, null, { createdBy: 'u1' })
			),
			staff
		);
		expect(fresh).toEqual({ ok: true });
	});
});

describe('grouping cards per column', () => {
	it('groups once, in board order, only the shown columns', () => {
		const doc = new Y.Doc();
		ok(addCard(doc, { type: 'ideas', title: 'i1' }));
		const g = ok(addCard(doc, { type: 'goals', title: 'g1' }));
		ok(addCard(doc, { type: 'ideas', title: 'i2' }));
		ok(addCard(doc, { type: 'concerns', title: 'hidden' }));
		ok(moveCard(doc, g, { area: 'goals' }));
		const cards = listCards(doc).reverse();
		const groups = groupByArea(cards, ['goals', 'ideas']);
		expect(groups.ideas.map((c) => c.title)).toEqual(['i1', 'i2']);
		expect(groups.goals.map((c) => c.title)).toEqual(['g1']);
		expect(groups.actions).toEqual([]);
		expect(groups.concerns).toEqual([]);
	});
});
