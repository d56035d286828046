import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { compareOrder, keyBetween } from '../../src/lib/board/fractional-index';
import {
	addCard,
	buildSessionRecord,
	checkInTally,
	clearCheckIns,
	deleteCard,
	endSession,
	getCard,
	getSession,
	getSettings,
	goalProgress,
	isOverdue,
	lastLeader,
	listCards,
	listCheckIns,
	moveCard,
	nudgeCard,
	proposeLeader,
	renameArea,
	secondsLeft,
	reviewAction,
	setAreaHidden,
	setCheckIn,
	startSession,
	updateCard,
	updateSettings,
	visibleAreas
} from '../../src/lib/board/verbeterbord';
import {
	averageMood,
	changesSince,
	isoWeek,
	trendPoints
} from '../../src/lib/board/verbeterbord-history';

const titles = (doc: Y.Doc, area: Parameters<typeof listCards>[1]) =>
	listCards(doc, area).map((c) => c.title);

function ok<T>(result: { ok: true; value: T } | { ok: false; errors: unknown }): T {
	if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
	return result.value;
}

/** Two replicas that exchange updates through a queue the test flushes (deterministic). */
function pair() {
	const a = new Y.Doc();
	const b = new Y.Doc();
	const queue: { to: Y.Doc; update: Uint8Array }[] = [];
	a.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'remote') queue.push({ to: b, update });
	});
	b.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'remote') queue.push({ to: a, update });
	});
	const flush = () => {
		while (queue.length) {
			const { to, update } = queue.shift()!;
			Y.applyUpdate(to, update, 'remote');
		}
	};
	return { a, b, flush };
}

describe('fractional index', () => {
	it('always finds a key strictly between two keys', () => {
		let lo: string | null = null;
		let hi: string | null = null;
		const keys: string[] = [];
		for (let i = 0; i < 200; i++) {
			const key = keyBetween(lo, hi);
			if (lo !== null) expect(key > lo).toBe(true);
			if (hi !== null) expect(key < hi).toBe(true);
			keys.push(key);
			// Alternate squeezing from both sides.
			if (i % 2) lo = key;
			else hi = key;
		}
		expect(new Set(keys).size).toBe(keys.length);
	});

	it('keeps keys short when cards keep going to the front or the end (a year of use)', () => {
		// Halving towards an end added a digit every ~5 moves: after ~600 the guard's 128-character
		// limit refused the move and cut the editor off.
		let first = keyBetween(null, null);
		let last = first;
		for (let i = 0; i < 20_000; i++) {
			const front = keyBetween(null, first);
			expect(front < first).toBe(true);
			expect(front.endsWith('0')).toBe(false);
			first = front;
			const end = keyBetween(last, null);
			expect(end > last).toBe(true);
			expect(end.endsWith('0')).toBe(false);
			last = end;
		}
		expect(first.length).toBeLessThanOrEqual(4);
		expect(last.length).toBeLessThanOrEqual(4);
	});

	it('orders a seeded mix of moves to the front, the end and between, within the guard limit', () => {
		let seed = 20261207;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const keys: string[] = [keyBetween(null, null)];
		for (let i = 0; i < 5_000; i++) {
			const at = Math.floor(random() * (keys.length + 1));
			const key = keyBetween(keys[at - 1] ?? null, keys[at] ?? null);
			keys.splice(at, 0, key);
			if (keys.length > 60) keys.splice(Math.floor(random() * keys.length), 1);
		}
		expect([...keys].sort()).toEqual(keys);
		expect(new Set(keys).size).toBe(keys.length);
		expect(Math.max(...keys.map((k) => k.length))).toBeLessThanOrEqual(128);
	});

	it('breaks ties by id so every replica agrees', () => {
		expect(compareOrder({ order: 'a', id: 'x' }, { order: 'a', id: 'y' })).toBe(-1);
		expect(compareOrder({ order: 'b', id: 'a' }, { order: 'a', id: 'z' })).toBe(1);
	});
});

describe('cards', () => {
	it('adds cards of every kind in order and reads them back validated', () => {
		const doc = new Y.Doc();
		ok(addCard(doc, { type: 'successes', title: 'Rustige start', who: 'Anna' }));
		ok(addCard(doc, { type: 'successes', title: 'Leesmarathon' }));
		const goal = ok(
			addCard(
				doc,
				{ type: 'goals', title: 'Beter lezen', targetDate: '2030-01-01', measure: '80%' },
				null,
				{ on: '2026-11-23' }
			)
		);
		ok(addCard(doc, { type: 'actions', title: 'Boeken halen', who: 'Bas', goalId: goal }));
		ok(addCard(doc, { type: 'ideas', title: 'Voorleeswedstrijd' }));
		ok(addCard(doc, { type: 'concerns', title: 'Onrust na de pauze' }));
		expect(titles(doc, 'successes')).toEqual(['Rustige start', 'Leesmarathon']);
		expect(listCards(doc)).toHaveLength(6);
		const action = listCards(doc, 'actions')[0];
		expect(action).toMatchObject({ type: 'actions', status: 'open', who: 'Bas', goalId: goal });
	});

	it('rejects bad input with message codes and changes nothing', () => {
		const doc = new Y.Doc();
		const id = ok(addCard(doc, { type: 'ideas', title: 'Bewaar mij' }));
		const before = Y.encodeStateAsUpdate(doc);
		expect(addCard(doc, { type: 'ideas', title: '   ' })).toEqual({
			ok: false,
			errors: { title: 'required' }
		});
		expect(addCard(doc, { type: 'ideas', title: 'x'.repeat(10_000) })).toEqual({
			ok: false,
			errors: { title: 'too_long' }
		});
		expect(addCard(doc, { type: 'ideas', title: 'ok', body: 'x'.repeat(2001) })).toMatchObject({
			ok: false,
			errors: { body: 'too_long' }
		});
		expect(
			addCard(doc, { type: 'goals', title: 'Doel', targetDate: '2020-01-01' }, null, {
				on: '2026-11-23'
			})
		).toEqual({ ok: false, errors: { targetDate: 'date_in_past' } });
		expect(updateCard(doc, id, { title: '' })).toMatchObject({ ok: false });
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
		expect(getCard(doc, id)?.title).toBe('Bewaar mij');
	});

	it('lets an existing goal keep a date that has passed', () => {
		const doc = new Y.Doc();
		const id = ok(
			addCard(doc, { type: 'goals', title: 'Doel', targetDate: '2026-12-01' }, null, {
				on: '2026-11-23'
			})
		);
		// Later the date is in the past; editing the title must still work.
		expect(updateCard(doc, id, { title: 'Doel 2' }).ok).toBe(true);
	});

	it('updates, reorders, moves between areas and deletes', () => {
		const doc = new Y.Doc();
		const a = ok(addCard(doc, { type: 'ideas', title: 'A' }));
		const b = ok(addCard(doc, { type: 'ideas', title: 'B' }));
		const c = ok(addCard(doc, { type: 'ideas', title: 'C' }));
		ok(updateCard(doc, b, { title: 'B2', body: 'uitleg' }));
		ok(moveCard(doc, c, { area: 'ideas', beforeId: a }));
		expect(titles(doc, 'ideas')).toEqual(['C', 'A', 'B2']);
		ok(nudgeCard(doc, c, 1));
		expect(titles(doc, 'ideas')).toEqual(['A', 'C', 'B2']);
		ok(nudgeCard(doc, b, -1));
		expect(titles(doc, 'ideas')).toEqual(['A', 'B2', 'C']);
		ok(moveCard(doc, b, { area: 'actions' }));
		expect(titles(doc, 'ideas')).toEqual(['A', 'C']);
		expect(getCard(doc, b)).toMatchObject({ type: 'actions', status: 'open', body: 'uitleg' });
		expect(deleteCard(doc, a)).toBe(true);
		expect(titles(doc, 'ideas')).toEqual(['C']);
	});

	it('moving many times does not grow the doc like re-inserting would', () => {
		const doc = new Y.Doc();
		const ids = ['A', 'B', 'C'].map((t) => ok(addCard(doc, { type: 'ideas', title: t })));
		const size0 = Y.encodeStateAsUpdate(doc).byteLength;
		for (let i = 0; i < 100; i++) ok(nudgeCard(doc, ids[i % 3]!, i % 2 ? 1 : -1));
		// Only the order strings are overwritten; deleted values leave tiny tombstones.
		expect(Y.encodeStateAsUpdate(doc).byteLength).toBeLessThan(size0 + 1500);
	});

	it('counts goal progress and flags overdue actions', () => {
		const doc = new Y.Doc();
		const goal = ok(addCard(doc, { type: 'goals', title: 'G' }));
		const a1 = ok(addCard(doc, { type: 'actions', title: 'a1', goalId: goal, due: '2026-01-01' }));
		ok(addCard(doc, { type: 'actions', title: 'a2', goalId: goal, due: '2099-01-01' }));
		expect(goalProgress(doc, goal)).toEqual({ done: 0, total: 2 });
		expect(isOverdue(getCard(doc, a1)!, '2026-11-23')).toBe(true);
		ok(updateCard(doc, a1, { status: 'done' }));
		expect(goalProgress(doc, goal)).toEqual({ done: 1, total: 2 });
		expect(isOverdue(getCard(doc, a1)!, '2026-11-23')).toBe(false);
		expect(updateCard(doc, a1, { status: 'bogus' }).ok).toBe(false);
	});
});

describe('check-in and settings', () => {
	it('keeps one marker per participant and tallies them', () => {
		const doc = new Y.Doc();
		ok(setCheckIn(doc, 'u1', { name: 'Anna', value: 3 }));
		ok(setCheckIn(doc, 'u2', { name: 'Bas', value: 2, word: 'moe' }));
		ok(setCheckIn(doc, 'u1', { name: 'Anna', value: 1 }));
		expect(setCheckIn(doc, 'u3', { name: 'C', value: 9 }).ok).toBe(false);
		expect(checkInTally(doc)).toEqual({ 1: 1, 2: 1, 3: 0 });
		expect(listCheckIns(doc).map((c) => c.name)).toEqual(['Anna', 'Bas']);
		ok(updateSettings(doc, { checkinScale: 'five' }));
		expect(checkInTally(doc)).toEqual({ 1: 1, 2: 1, 3: 0, 4: 0, 5: 0 });
		clearCheckIns(doc);
		expect(listCheckIns(doc)).toEqual([]);
	});

	it('shows concerns on a zorgbord and hides areas by setting', () => {
		const doc = new Y.Doc();
		expect(visibleAreas(doc, 'zorgbord')).toContain('concerns');
		expect(visibleAreas(doc, 'verbeterbord')).toContain('ideas');
		ok(updateSettings(doc, { hiddenAreas: ['ideas'], areaNames: { goals: 'Doelen groep 8' } }));
		expect(visibleAreas(doc, 'verbeterbord')).toEqual(['successes', 'goals', 'actions']);
		expect(updateSettings(doc, { areaNames: { goals: 'x'.repeat(200) } }).ok).toBe(false);
	});
});

describe('bordsessie', () => {
	it('proposes a rotating leader', () => {
		expect(proposeLeader(['Anna', 'Bas', 'Cem'], null)).toBe('Anna');
		expect(proposeLeader(['Anna', 'Bas', 'Cem'], 'Cem')).toBe('Anna');
		expect(proposeLeader(['Anna', 'Bas', 'Cem'], 'Anna')).toBe('Bas');
		expect(proposeLeader([], 'Anna')).toBe('');
	});

	it('counts a 15-minute session down from 15:00, never above it, and past zero when it runs over', () => {
		const doc = new Y.Doc();
		const start = new Date('2026-12-07T08:30:00Z');
		const session = startSession(doc, 'Bas', null, start);
		const at = (seconds: number) => secondsLeft(session, start.getTime() + seconds * 1000);
		// A clock read 7 s before the start (a device behind, or a stale `now`): still 15:00.
		expect(at(-7)).toBe(900);
		expect(at(0)).toBe(900);
		expect(at(61)).toBe(839);
		expect(at(960)).toBe(-60);
	});

	it('reviews last week, records the session and resets the check-in', () => {
		const doc = new Y.Doc();
		const carried = ok(addCard(doc, { type: 'actions', title: 'Oud 1', who: 'Anna' }));
		const done = ok(addCard(doc, { type: 'actions', title: 'Oud 2' }));
		const dropped = ok(addCard(doc, { type: 'actions', title: 'Oud 3' }));
		const start = new Date(Date.now() - 60_000);
		startSession(doc, 'Bas', null, start);
		expect(getSession(doc)).toMatchObject({ active: true, leader: 'Bas', step: 'checkin' });
		expect(getSession(doc).reviewIds).toEqual(listCards(doc, 'actions').map((c) => c.id));
		ok(setCheckIn(doc, 'u1', { name: 'Anna', value: 3 }));
		ok(addCard(doc, { type: 'successes', title: 'Goede ouderavond', who: 'Cem' }));
		reviewAction(doc, carried, 'carried');
		reviewAction(doc, done, 'done');
		reviewAction(doc, dropped, 'dropped');
		ok(addCard(doc, { type: 'actions', title: 'Nieuw', who: 'Bas', due: '2026-12-01' }));
		expect(getCard(doc, done)).toMatchObject({ status: 'done' });

		const record = buildSessionRecord(doc, { tip: 'korter', top: 'fijn' });
		expect(record.leader).toBe('Bas');
		expect(record.tally).toEqual({ 1: 0, 2: 0, 3: 1 });
		expect(record.successes).toEqual([{ title: 'Goede ouderavond', who: 'Cem' }]);
		expect(record.reviewed.map((r) => [r.title, r.outcome])).toEqual([
			['Oud 1', 'carried'],
			['Oud 2', 'done'],
			['Oud 3', 'dropped']
		]);
		expect(record.newActions).toEqual([{ title: 'Nieuw', who: 'Bas', due: '2026-12-01' }]);

		endSession(doc);
		expect(getSession(doc).active).toBe(false);
		expect(lastLeader(doc)).toBe('Bas');
		expect(listCheckIns(doc)).toEqual([]);
		expect(getCard(doc, dropped)).toBeNull();
		expect(getCard(doc, carried)).not.toBeNull();
		expect(titles(doc, 'successes')).toEqual(['Goede ouderavond']);
	});
});

describe('two replicas', () => {
	it('converge after concurrent adds, moves, edits and check-ins', () => {
		const { a, b, flush } = pair();
		const x = ok(addCard(a, { type: 'ideas', title: 'X' }));
		const y = ok(addCard(a, { type: 'ideas', title: 'Y' }));
		flush();
		expect(titles(b, 'ideas')).toEqual(['X', 'Y']);
		// Concurrent: A moves X after Y, B edits X and adds Z, both check in.
		ok(moveCard(a, x, { area: 'ideas', afterId: y }));
		ok(updateCard(b, x, { title: 'X2' }));
		ok(addCard(b, { type: 'ideas', title: 'Z' }));
		ok(setCheckIn(a, 'ua', { name: 'Anna', value: 3 }));
		ok(setCheckIn(b, 'ub', { name: 'Bas', value: 1 }));
		flush();
		expect(listCards(a)).toEqual(listCards(b));
		expect(titles(a, 'ideas')[0]).toBe('Y');
		expect(titles(a, 'ideas')).toContain('X2');
		expect(checkInTally(a)).toEqual({ 1: 1, 2: 0, 3: 1 });
		expect(checkInTally(b)).toEqual(checkInTally(a));
	});

	it('converges under a seeded fuzz of random operations', () => {
		let seed = 42;
		const random = () => {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			return seed / 2 ** 31;
		};
		const { a, b, flush } = pair();
		for (let i = 0; i < 300; i++) {
			const doc = random() < 0.5 ? a : b;
			const cards = listCards(doc);
			const pick = cards[Math.floor(random() * cards.length)];
			const r = random();
			if (r < 0.3 || !pick) ok(addCard(doc, { type: 'ideas', title: `c${i}` }));
			else if (r < 0.6) {
				const target = cards[Math.floor(random() * cards.length)]!;
				moveCard(doc, pick.id, { area: random() < 0.5 ? 'ideas' : 'actions', afterId: target.id });
			} else if (r < 0.8) updateCard(doc, pick.id, { title: `t${i}` });
			else if (r < 0.9) deleteCard(doc, pick.id);
			else nudgeCard(doc, pick.id, random() < 0.5 ? -1 : 1);
			if (random() < 0.2) flush();
		}
		flush();
		expect(listCards(a)).toEqual(listCards(b));
		expect(a.getMap('cards').toJSON()).toEqual(b.getMap('cards').toJSON());
	});
});

describe('history helpers', () => {
	const record = (tally: Record<string, number>, successes: string[] = []) => ({
		startedAt: '2026-11-23T08:00:00Z',
		endedAt: '2026-11-23T08:15:00Z',
		leader: 'Anna',
		checkinScale: 'three' as const,
		tally,
		checkins: [],
		successes: successes.map((title) => ({ title, who: '' })),
		reviewed: [],
		newActions: [{ title: 'a', who: 'b', due: '' }],
		goals: [],
		decisions: '',
		tip: '',
		top: ''
	});

	it('computes ISO weeks, mood averages, changes and chart points', () => {
		expect(isoWeek(new Date('2026-11-23T10:00:00Z'))).toEqual({ year: 2026, week: 48 });
		expect(isoWeek(new Date('2027-01-01T10:00:00Z'))).toEqual({ year: 2026, week: 53 });
		expect(averageMood(record({ 1: 1, 2: 0, 3: 1 }))).toBe(0.5);
		expect(averageMood(record({ 1: 0, 2: 0, 3: 2 }))).toBe(1);
		expect(averageMood(record({ 1: 0, 2: 0, 3: 0 }))).toBeNull();
		expect(changesSince(record({ 3: 1 }, ['x', 'y']), record({ 1: 1 }, ['x']))).toEqual({
			newSuccesses: 1,
			newActions: 1,
			moodBefore: 0,
			moodAfter: 1
		});
		expect(trendPoints([0, null, 1], 116, 66)).toEqual([
			{ x: 8, y: 58, mood: 0 },
			{ x: 108, y: 8, mood: 1 }
		]);
	});
});

describe('malformed entries never hide the valid ones', () => {
	it('lists every valid card and check-in beside broken entries', () => {
		const doc = new Y.Doc();
		addCard(doc, { type: 'goals', title: 'Goed' }, null, {
			id: 'ok',
			createdBy: 'user-1',
			createdByName: 'Mehmet'
		});
		const cards = doc.getMap<unknown>('cards');
		cards.set('string', 'geen kaart');
		cards.set('object', { type: 'goals', title: 'plain object' });
		const wrong = new Y.Map<unknown>();
		cards.set('wrong', wrong);
		wrong.set('type', 'goals');
		wrong.set('title', 42);
		const checkins = doc.getMap<unknown>('checkins');
		checkins.set('null', null);
		checkins.set('number', 7);
		checkins.set('kim', { name: 'Kim', value: 2, word: '', at: '' });

		expect(listCards(doc).map((c) => c.id)).toEqual(['ok']);
		expect(getCard(doc, 'string')).toBeNull();
		expect(listCheckIns(doc).map((c) => c.participant)).toEqual(['kim']);
		const card = getCard(doc, 'ok')!;
		expect(card.createdBy).toBe('user-1');
		expect(card.createdByName).toBe('Mehmet');
		// Editing keeps the maker: updateCard never rewrites createdBy or createdByName.
		updateCard(doc, 'ok', { title: 'Beter' });
		expect(getCard(doc, 'ok')).toMatchObject({ title: 'Beter', createdBy: 'user-1' });
	});
});

describe('concurrent edits of different entries never overwrite each other', () => {
	/** Two replicas that edit apart, then exchange everything. */
	function concurrently(base: Y.Doc, a: (doc: Y.Doc) => void, b: (doc: Y.Doc) => void) {
		const one = new Y.Doc();
		const two = new Y.Doc();
		Y.applyUpdate(one, Y.encodeStateAsUpdate(base));
		Y.applyUpdate(two, Y.encodeStateAsUpdate(base));
		a(one);
		b(two);
		Y.applyUpdate(one, Y.encodeStateAsUpdate(two));
		Y.applyUpdate(two, Y.encodeStateAsUpdate(one));
		return [one, two] as const;
	}

	it('keeps both review outcomes, both area names and both hidden areas', () => {
		const base = new Y.Doc();
		addCard(base, { type: 'actions', title: 'Een' }, null, { id: 'a1' });
		addCard(base, { type: 'actions', title: 'Twee' }, null, { id: 'a2' });
		startSession(base, 'Kim');
		const [one, two] = concurrently(
			base,
			(d) => {
				reviewAction(d, 'a1', 'carried');
				renameArea(d, 'goals', 'Doelen van ons');
				setAreaHidden(d, 'ideas', true);
			},
			(d) => {
				reviewAction(d, 'a2', 'dropped');
				renameArea(d, 'actions', 'Wie doet wat');
				setAreaHidden(d, 'successes', true);
			}
		);
		for (const doc of [one, two]) {
			expect(getSession(doc).reviews).toEqual({ a1: 'carried', a2: 'dropped' });
			expect(getSettings(doc).areaNames).toEqual({
				goals: 'Doelen van ons',
				actions: 'Wie doet wat'
			});
			expect(getSettings(doc).hiddenAreas).toEqual(['successes', 'ideas']);
		}
		// The record and the end of the session see both outcomes.
		expect(
			buildSessionRecord(one)
				.reviewed.map((r) => r.outcome)
				.sort()
		).toEqual(['carried', 'dropped']);
		endSession(one);
		expect(listCards(one, 'actions').map((c) => c.id)).toEqual(['a1']);
		expect(getSession(one).reviews).toEqual({});
	});

	it('reads boards that still hold the whole-object form, and folds it on the next write', () => {
		const doc = new Y.Doc();
		settings(doc).set('areaNames', { goals: 'Oud' });
		settings(doc).set('hiddenAreas', ['ideas']);
		doc.getMap('session').set('reviews', { a1: 'done' });
		expect(getSettings(doc)).toMatchObject({ areaNames: { goals: 'Oud' }, hiddenAreas: ['ideas'] });
		expect(getSession(doc).reviews).toEqual({ a1: 'done' });
		renameArea(doc, 'actions', 'Nieuw');
		reviewAction(doc, 'a2', 'carried');
		expect(getSettings(doc)).toMatchObject({
			areaNames: { goals: 'Oud', actions: 'Nieuw' },
			hiddenAreas: ['ideas']
		});
		expect(getSession(doc).reviews).toEqual({ a1: 'done', a2: 'carried' });
		expect(settings(doc).has('areaNames')).toBe(false);
		setAreaHidden(doc, 'ideas', false);
		expect(getSettings(doc).hiddenAreas).toEqual([]);
		// One malformed value falls back alone.
		settings(doc).set('checkinScale', 'tien');
		expect(getSettings(doc)).toMatchObject({ checkinScale: 'three', areaNames: { goals: 'Oud' } });
	});
});

const settings = (doc: Y.Doc) => doc.getMap<unknown>('settings');
