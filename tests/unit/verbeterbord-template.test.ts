import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addCard,
	listCards,
	setCheckIn,
	getSettings,
	updateSettings,
	updateCard
} from '../../src/lib/board/verbeterbord';
import { copyAsTemplate } from '../../src/lib/board/verbeterbord-template';

function sourceBoard() {
	const doc = new Y.Doc();
	updateSettings(doc, { checkinScale: 'five', areaNames: { ideas: 'Parkeerplaats' } });
	const goal = addCard(doc, {
		type: 'goals',
		title: 'Rustiger begin van de dag',
		targetDate: '2099-01-31'
	});
	if (!goal.ok) throw new Error('goal');
	const action = addCard(doc, {
		type: 'actions',
		title: 'Inloop om 8.20',
		goalId: goal.value,
		owner: 'Mehmet'
	});
	if (!action.ok) throw new Error('action');
	updateCard(doc, action.value, { status: 'done' });
	addCard(doc, { type: 'successes', title: 'Groep 8 leidde zelf de sessie' });
	addCard(doc, { type: 'ideas', title: 'Koptelefoons in de stille hoek' });
	setCheckIn(doc, 'ilse', { name: 'Ilse', value: 1 });
	return doc;
}

describe('copy a verbeterbord as a template', () => {
	it('copies settings only, by default', () => {
		const target = new Y.Doc();
		expect(copyAsTemplate(sourceBoard(), target, { withCards: false })).toEqual({ cards: 0 });
		expect(getSettings(target)).toMatchObject({
			checkinScale: 'five',
			areaNames: { ideas: 'Parkeerplaats' }
		});
		expect(listCards(target)).toEqual([]);
	});

	it('with cards: goals, actions back to open, ideas; never successes or check-ins', () => {
		const source = sourceBoard();
		const target = new Y.Doc();
		expect(copyAsTemplate(source, target, { withCards: true })).toEqual({ cards: 3 });
		const types = listCards(target)
			.map((c) => c.type)
			.sort();
		expect(types).toEqual(['actions', 'goals', 'ideas']);
		const action = listCards(target, 'actions')[0]!;
		expect(action).toMatchObject({ title: 'Inloop om 8.20', status: 'open' });
		// The action still points at its (copied) goal.
		expect(listCards(target, 'goals')[0]!.id).toBe((action as { goalId?: string }).goalId);
		expect(target.getMap('checkins').size).toBe(0);
		// The source is untouched.
		expect(listCards(source, 'actions')[0]).toMatchObject({ status: 'done' });
	});
});
