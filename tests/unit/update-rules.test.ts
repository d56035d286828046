import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { capabilitiesOf, type BoardRole } from '../../src/lib/board/capabilities';
import type { BoardKind } from '../../src/lib/board/kinds';
import { changesOf } from '../helpers/doc-changes';
import { checkChanges, type RuleOptions } from '../../src/lib/board/update-rules';
import {
	addCard,
	cardsMap,
	deleteCard,
	endSession,
	moveCard,
	removeCheckIn,
	reviewAction,
	setCheckIn,
	startSession,
	updateCard,
	updateSettings
} from '../../src/lib/board/verbeterbord';
import { addAction, applyStudentUpdate } from '../../src/lib/board/voortgang';

function verdict(
	doc: Y.Doc,
	role: BoardRole,
	actorKey: string,
	change: (doc: Y.Doc) => void,
	kind: BoardKind = 'zorgbord',
	options?: RuleOptions
) {
	return checkChanges(changesOf(doc, change), {
		kind,
		caps: capabilitiesOf(role),
		actorKey,
		options
	});
}

const goal = { type: 'goals', title: 'Rustig werken' } as const;

function boardWithStaffGoal() {
	const doc = new Y.Doc();
	addCard(doc, goal, null, { createdBy: 'staff-1', id: 'goal1' });
	return doc;
}

describe('update rules: cards', () => {
	it('a child adds its own card, never one made in someone else’s name', () => {
		const doc = new Y.Doc();
		expect(
			verdict(doc, 'child', 'kid', (d) => addCard(d, goal, null, { createdBy: 'kid' }))
		).toEqual({
			ok: true
		});
		expect(
			verdict(doc, 'child', 'kid', (d) => addCard(d, goal, null, { createdBy: 'staff-1' })).ok
		).toBe(false);
	});

	it('a child edits, moves and deletes only its own cards', () => {
		const doc = boardWithStaffGoal();
		addCard(doc, { type: 'ideas', title: 'Mijn idee' }, null, { createdBy: 'kid', id: 'own' });
		expect(
			verdict(doc, 'child', 'kid', (d) => updateCard(d, 'own', { title: 'Beter idee' })).ok
		).toBe(true);
		expect(verdict(doc, 'child', 'kid', (d) => moveCard(d, 'own', { area: 'goals' })).ok).toBe(
			true
		);
		expect(verdict(doc, 'child', 'kid', (d) => deleteCard(d, 'own')).ok).toBe(true);
		expect(verdict(doc, 'child', 'kid', (d) => updateCard(d, 'goal1', { title: 'Weg' })).ok).toBe(
			false
		);
		// (A goal stays a goal: moved within its own column.)
		expect(verdict(doc, 'child', 'kid', (d) => moveCard(d, 'goal1', { area: 'goals' })).ok).toBe(
			false
		);
		expect(verdict(doc, 'child', 'kid', (d) => deleteCard(d, 'goal1')).ok).toBe(false);
		// Taking over a staff card by rewriting its maker is judged on the maker before.
		expect(
			verdict(doc, 'child', 'kid', (d) => cardsMap(d).get('goal1')!.set('createdBy', 'kid')).ok
		).toBe(false);
	});

	it('a parent may not hand its own card to someone else', () => {
		const doc = new Y.Doc();
		addCard(doc, goal, null, { createdBy: 'mum', id: 'c' });
		expect(
			verdict(doc, 'parent', 'mum', (d) => cardsMap(d).get('c')!.set('createdBy', 'x')).ok
		).toBe(false);
	});

	it('staff editors change anything; viewers nothing', () => {
		const doc = boardWithStaffGoal();
		expect(verdict(doc, 'editor', 'staff-2', (d) => deleteCard(d, 'goal1')).ok).toBe(true);
		const other = boardWithStaffGoal();
		expect(verdict(other, 'viewer', 'v', (d) => updateCard(d, 'goal1', { title: 'x' })).ok).toBe(
			false
		);
	});

	it('refuses what would break the board for everyone, whatever the role', () => {
		const doc = boardWithStaffGoal();
		const owner = (change: (d: Y.Doc) => void) => verdict(doc, 'owner', 'o', change).ok;
		expect(owner((d) => (d.getMap('cards') as Y.Map<unknown>).set('bad', 'not a map'))).toBe(false);
		expect(owner((d) => (d.getMap('cards') as Y.Map<unknown>).set('bad', { type: 'goals' }))).toBe(
			false
		);
		expect(owner((d) => cardsMap(d).get('goal1')!.set('title', 42))).toBe(false);
		expect(owner((d) => cardsMap(d).get('goal1')!.set('type', 'nonsense'))).toBe(false);
		expect(owner((d) => cardsMap(d).get('goal1')!.set('title', new Y.Text('x')))).toBe(false);
		expect(owner((d) => cardsMap(d).get('goal1')!.set('extra', 'x'))).toBe(false);
		expect(owner((d) => d.getMap('somethingElse').set('x', 1))).toBe(false);
		expect(owner((d) => d.getArray('cards2').insert(0, [1]))).toBe(false);
		expect(owner((d) => cardsMap(d).get('goal1')!.set('title', 'Nieuwe titel'))).toBe(true);
	});
});

describe('update rules: check-ins, settings, session', () => {
	const mark = { name: 'Kim', value: 2, word: '' };

	it('a child sets and withdraws only the check-in keyed by its own actor key', () => {
		const doc = new Y.Doc();
		expect(verdict(doc, 'child', 'kid', (d) => setCheckIn(d, 'kid', mark)).ok).toBe(true);
		expect(verdict(doc, 'child', 'kid', (d) => removeCheckIn(d, 'kid')).ok).toBe(true);
		setCheckIn(doc, 'mentor', mark);
		expect(verdict(doc, 'child', 'kid', (d) => setCheckIn(d, 'mentor', mark)).ok).toBe(false);
		expect(verdict(doc, 'child', 'kid', (d) => removeCheckIn(d, 'mentor')).ok).toBe(false);
		expect(verdict(doc, 'editor', 'e', (d) => removeCheckIn(d, 'mentor')).ok).toBe(true);
		expect(
			verdict(doc, 'editor', 'e', (d) => d.getMap('checkins').set('x', { name: 'X', value: 9 })).ok
		).toBe(false);
	});

	it('settings and the session are staff business', () => {
		const doc = new Y.Doc();
		expect(
			verdict(doc, 'child', 'kid', (d) => updateSettings(d, { hiddenAreas: ['goals'] })).ok
		).toBe(false);
		expect(verdict(doc, 'child', 'kid', (d) => startSession(d, 'Kim')).ok).toBe(false);
		expect(
			verdict(doc, 'editor', 'e', (d) => updateSettings(d, { hiddenAreas: ['goals'] })).ok
		).toBe(true);
		expect(
			verdict(doc, 'editor', 'e', (d) => d.getMap('settings').set('checkinScale', 'ten')).ok
		).toBe(false);
		expect(verdict(doc, 'editor', 'e', (d) => startSession(d, 'Kim')).ok).toBe(true);
		addCard(doc, { type: 'actions', title: 'Bellen' }, null, { id: 'a1', createdBy: 'e' });
		expect(verdict(doc, 'editor', 'e', (d) => reviewAction(d, 'a1', 'done')).ok).toBe(true);
	});

	it('ending a session is the server’s (the default); the bare rule allows it when off', () => {
		const doc = new Y.Doc();
		startSession(doc, 'Kim');
		setCheckIn(doc, 'a', mark);
		setCheckIn(doc, 'b', mark);
		const end = (d: Y.Doc) => endSession(d);
		const on = { serverEndsSession: true };
		expect(verdict(doc, 'editor', 'e', end, 'verbeterbord', on).ok).toBe(false);
		expect(verdict(doc, 'editor', 'e', (d) => startSession(d, 'Kim'), 'verbeterbord', on).ok).toBe(
			true
		);
		expect(verdict(doc, 'editor', 'e', end, 'verbeterbord').ok).toBe(false);
		const off = { serverEndsSession: false };
		expect(verdict(doc, 'editor', 'e', end, 'verbeterbord', off).ok).toBe(true);
	});
});

describe('update rules: progress wall', () => {
	it('staff write student entries and actions; guests and stray parts are refused', () => {
		const doc = new Y.Doc();
		const update = { stoplight: 'orange' as const, flags: ['stage'], note: 'Let op' };
		const by = { name: 'Mentor', at: new Date() };
		const write = (d: Y.Doc) => applyStudentUpdate(d, 's1', update, by, ['stage']);
		expect(verdict(doc, 'editor', 'e', write, 'voortgangsbord').ok).toBe(true);
		expect(verdict(doc, 'child', 'k', write, 'voortgangsbord').ok).toBe(false);
		const action = {
			id: 'a',
			studentId: 's1',
			who: 'M',
			what: 'Bellen',
			when: '2026-01-01',
			done: false
		};
		expect(verdict(doc, 'editor', 'e', (d) => addAction(d, action), 'voortgangsbord').ok).toBe(
			true
		);
		expect(
			verdict(doc, 'editor', 'e', (d) => d.getMap('students').set('s2', 'rood'), 'voortgangsbord')
				.ok
		).toBe(false);
		expect(
			verdict(
				doc,
				'editor',
				'e',
				(d) => addCard(d, goal, null, { createdBy: 'e' }),
				'voortgangsbord'
			).ok
		).toBe(false);
	});
});

describe('update rules: card and action dates are real calendar days', () => {
	const setRaw = (id: string, key: string, value: string) => (d: Y.Doc) =>
		(d.getMap('cards').get(id) as Y.Map<unknown>).set(key, value);

	it.each(['targetDate', 'when', 'due'])('a stored card with %s 2026-02-31 is refused', (key) => {
		const doc = boardWithStaffGoal();
		expect(verdict(doc, 'editor', 'e', setRaw('goal1', key, '2026-02-31')).ok).toBe(false);
		expect(verdict(doc, 'editor', 'e', setRaw('goal1', key, '2028-02-29')).ok).toBe(true);
		expect(verdict(doc, 'editor', 'e', setRaw('goal1', key, '')).ok).toBe(true);
	});

	it('a progress-wall action due 2026-02-31 is refused', () => {
		const doc = new Y.Doc();
		const action = { id: 'a', studentId: 's1', who: 'M', what: 'Bellen', done: false };
		const put = (when: string) => (d: Y.Doc) =>
			d.getMap('actions').set('a', new Y.Map(Object.entries({ ...action, when })));
		expect(verdict(doc, 'editor', 'e', put('2026-02-31'), 'voortgangsbord').ok).toBe(false);
		expect(verdict(doc, 'editor', 'e', put('2026-02-28'), 'voortgangsbord').ok).toBe(true);
	});
});
