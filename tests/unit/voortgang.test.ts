import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
	applyStudentUpdate,
	emptyFilter,
	initials,
	matchesFilter,
	readAllStates,
	readStudentState,
	readWallSettings,
	sortCards,
	type WallCard
} from '../../src/lib/board/voortgang';
import { readSchoolType } from '../../src/lib/board/school-type';

const flags = ['stage', 'toetsen', 'verzuim'];
const at = new Date('2026-11-23T10:00:00Z');

function sync(a: Y.Doc, b: Y.Doc) {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
}

describe('progress wall Y.Doc model', () => {
	it('two mentors updating different students concurrently both keep their edits', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		applyStudentUpdate(
			a,
			's1',
			{ stoplight: 'red', flags: ['verzuim'], note: 'Ziek' },
			{ name: 'A', at },
			flags
		);
		applyStudentUpdate(
			b,
			's2',
			{ stoplight: 'green', flags: [], note: '' },
			{ name: 'B', at },
			flags
		);
		sync(a, b);
		for (const doc of [a, b]) {
			expect(readStudentState(doc, 's1')).toMatchObject({
				stoplight: 'red',
				flags: ['verzuim'],
				note: 'Ziek',
				updatedBy: 'A'
			});
			expect(readStudentState(doc, 's2')).toMatchObject({ stoplight: 'green', updatedBy: 'B' });
		}
		expect([...readAllStates(a).keys()].sort()).toEqual(['s1', 's2']);
	});

	it('an unchanged field does not overwrite a colleague’s concurrent edit of it', () => {
		const a = new Y.Doc();
		applyStudentUpdate(
			a,
			's1',
			{ stoplight: 'green', flags: [], note: 'x' },
			{ name: 'A', at },
			flags
		);
		const b = new Y.Doc();
		sync(a, b);
		applyStudentUpdate(
			a,
			's1',
			{ stoplight: 'orange', flags: [], note: 'x' },
			{ name: 'A', at },
			flags
		);
		applyStudentUpdate(
			b,
			's1',
			{ stoplight: 'green', flags: ['stage'], note: 'x' },
			{ name: 'B', at },
			flags
		);
		sync(a, b);
		expect(readStudentState(a, 's1').stoplight).toBe('orange');
		expect(readStudentState(a, 's1').flags).toEqual(['stage']);
	});

	it('refuses a note that is too long', () => {
		const doc = new Y.Doc();
		expect(() =>
			applyStudentUpdate(
				doc,
				's1',
				{ stoplight: null, flags: [], note: 'x'.repeat(141) },
				{ name: 'A', at },
				flags
			)
		).toThrow();
	});
});

describe('filter and sort', () => {
	const card = (
		id: string,
		stoplight: 'green' | 'orange' | 'red' | null,
		updatedAt: string | null,
		mentorId = 'm1'
	): WallCard => ({
		id,
		name: id,
		mentorId,
		mentorName: mentorId,
		state: {
			stoplight,
			flags: id === 'b' ? ['verzuim'] : [],
			note: '',
			updatedBy: null,
			updatedAt
		},
		lastEventAt: null
	});
	const now = new Date('2026-11-23T12:00:00Z');
	const cards = [
		card('a', 'green', '2026-11-22T10:00:00Z'),
		card('b', 'orange', '2026-10-01T10:00:00Z', 'm2'),
		card('c', 'red', '2026-11-20T10:00:00Z'),
		card('d', null, null)
	];

	it('orange/red shows exactly those', () => {
		const f = { ...emptyFilter, stoplights: ['orange', 'red'] as const };
		expect(
			cards
				.filter((c) => matchesFilter(c, { ...f, stoplights: [...f.stoplights] }, now))
				.map((c) => c.id)
		).toEqual(['b', 'c']);
	});

	it('by flag, mentor, changed this week, silent 3+ weeks', () => {
		const ids = (f: Partial<typeof emptyFilter>) =>
			cards.filter((c) => matchesFilter(c, { ...emptyFilter, ...f }, now)).map((c) => c.id);
		expect(ids({ flag: 'verzuim' })).toEqual(['b']);
		expect(ids({ mentorId: 'm2' })).toEqual(['b']);
		expect(ids({ changedThisWeek: true })).toEqual(['a', 'c']);
		expect(ids({ silentWeeks: 3 })).toEqual(['b', 'd']);
	});

	it('sorts red first, and longest-silent first', () => {
		expect(sortCards(cards, 'stoplight').map((c) => c.id)).toEqual(['c', 'b', 'a', 'd']);
		expect(sortCards(cards, 'changed').map((c) => c.id)).toEqual(['d', 'b', 'c', 'a']);
	});

	it('initials and settings fallbacks', () => {
		expect(initials('Noor de Jong')).toBe('NJ');
		expect(initials('Sem')).toBe('S');
		expect(readWallSettings({}).thresholds.streakWeeks).toBe(4);
		expect(
			readWallSettings({ voortgang: { thresholds: { streakWeeks: 6 } } }).thresholds.streakWeeks
		).toBe(6);
		expect(readWallSettings({ voortgang: { flags: 'nonsense' } }).flags.map((f) => f.id)).toEqual([
			'stage',
			'toetsen',
			'verzuim'
		]);
	});

	it('a team without flags of its own starts with the flags of its school type', () => {
		const ids = (type: 'po' | 'vo' | 'mbo') => readWallSettings({}, type).flags.map((f) => f.id);
		const labels = (type: 'po' | 'vo' | 'mbo') =>
			readWallSettings({}, type)
				.flags.map((f) => f.label)
				.join(' ');
		// A primary school has no internships: no "stage" flag, in id or in words.
		expect(ids('po')).toEqual(['verzuim', 'welbevinden', 'leerlijn']);
		expect(labels('po')).not.toMatch(/stage/i);
		expect(ids('vo')).toEqual(['toetsen', 'verzuim', 'huiswerk']);
		expect(labels('vo')).not.toMatch(/stage/i);
		expect(ids('mbo')).toEqual(['stage', 'toetsen', 'verzuim']);
	});

	it('the team’s own flags win over the defaults of any school type', () => {
		const own = { voortgang: { flags: [{ id: 'sport', label: 'Sportklas' }] } };
		for (const type of ['po', 'vo', 'mbo'] as const) {
			expect(readWallSettings(own, type).flags).toEqual([{ id: 'sport', label: 'Sportklas' }]);
		}
	});

	it('reads the school type from the school settings; schools from before it keep mbo', () => {
		expect(readSchoolType({ schoolType: 'po' })).toBe('po');
		expect(readSchoolType({ schoolType: 'vo' })).toBe('vo');
		expect(readSchoolType({})).toBe('mbo');
		expect(readSchoolType({ schoolType: 'kindergarten' })).toBe('mbo');
		expect(readSchoolType(null)).toBe('mbo');
	});
});
