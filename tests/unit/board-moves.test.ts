/**
 * Moves keep a card's kind: an action never turns into a goal by changing column on the board
 * (verbeterbord.ts); the sync server does not judge it (see update-rules.ts: under concurrency
 * the replaced type depends on arrival order); and cards are grouped per column once.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { capabilitiesOf } from '../../src/lib/board/capabilities';
import { checkChanges } from '../../src/lib/board/update-rules';
import {
	addCard,
	areas,
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

describe('the sync server leaves moves between kinds to the board', () => {
	const staff = { kind: 'verbeterbord', caps: capabilitiesOf('owner'), actorKey: 'u1' } as const;

	it('accepts an idea taken up as a goal on one screen while another took it up as an action', () => {
		// The server's document already has the action; the second screen moved the idea it saw.
		const server = new Y.Doc();
		addCard(server, { type: 'ideas', title: 'Idee' }, null, { createdBy: 'u1', id: 'idea1' });
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(server));
		ok(moveCard(server, 'idea1', { area: 'actions' }));
		const before = Y.encodeStateVector(other);
		ok(moveCard(other, 'idea1', { area: 'goals' }));
		const concurrent = Y.encodeStateAsUpdate(other, before);
		// Judged against the server's state, the change reads as action -> goal: an honest move
		// the server must not refuse (that would close the screen's connection for good).
		expect(
			checkChanges(
				changesOf(server, (d) => Y.applyUpdate(d, concurrent)),
				staff
			)
		).toEqual({
			ok: true
		});
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
