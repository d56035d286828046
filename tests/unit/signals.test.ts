import { describe, expect, it } from 'vitest';
import { computeSignals, type SignalEvent, type SignalGoal } from '../../src/lib/board/signals';
import { defaultThresholds } from '../../src/lib/board/voortgang';

const now = new Date('2026-11-23T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 24 * 3600 * 1000);
type Light = 'green' | 'orange' | 'red';
const update = (
	studentId: string,
	d: number,
	stoplight: Light,
	flags: string[] = []
): SignalEvent => ({
	studentId,
	kind: 'update',
	at: daysAgo(d),
	data: { stoplight, flags }
});

/**
 * Eight weeks of weekly updates (days 52, 45, ... 3 ago) for five students:
 * - anna: green throughout: no signal.
 * - bart: green, then orange for the last 4 updates (days 24, 17, 10, 3): streak of 4 weeks.
 * - cem:  updates stopped 25 days ago (orange before): silent 3 weeks; orange since 38 days.
 * - dewi: green, flag "verzuim" in 3 separate weeks, "toetsen" in 2: one concern.
 * - eva:  red for the last 2 updates only: nothing yet (threshold 4).
 */
function seededHistory(): SignalEvent[] {
	const weekly = [52, 45, 38, 31, 24, 17, 10, 3];
	const events: SignalEvent[] = [];
	for (const d of weekly) events.push(update('anna', d, 'green'));
	for (const d of weekly) events.push(update('bart', d, d <= 24 ? 'orange' : 'green'));
	for (const d of [52, 45]) events.push(update('cem', d, 'green'));
	for (const d of [38, 31, 25]) events.push(update('cem', d, 'orange'));
	for (const d of weekly) {
		const flags = [45, 24, 10].includes(d) ? ['verzuim'] : [31, 17].includes(d) ? ['toetsen'] : [];
		events.push(update('dewi', d, 'green', flags));
	}
	for (const d of weekly) events.push(update('eva', d, d <= 10 ? 'red' : 'green'));
	// Noise that must be ignored: other kinds, and the future.
	events.push({
		studentId: 'anna',
		kind: 'review_advice',
		at: daysAgo(2),
		data: { stoplight: 'red' }
	});
	events.push(update('anna', -3, 'red'));
	return events;
}

const goals: SignalGoal[] = [
	{ id: 'g1', studentId: 'anna', text: 'Plan maken', dueDate: '2026-11-13', status: 'open' },
	{ id: 'g2', studentId: 'anna', text: 'Al bezig', dueDate: '2026-11-01', status: 'progress' },
	{ id: 'g3', studentId: 'eva', text: 'Nog niet', dueDate: '2026-12-01', status: 'open' },
	{ id: 'g4', studentId: 'eva', text: 'Gehaald', dueDate: '2026-10-01', status: 'done' }
];

describe('computeSignals', () => {
	it('turns an 8-week history into exactly the expected questions, each with its reason', () => {
		expect(computeSignals(seededHistory(), now, defaultThresholds, goals)).toEqual([
			{
				kind: 'goal',
				studentId: 'anna',
				goalId: 'g1',
				text: 'Plan maken',
				dueDate: '2026-11-13',
				daysOver: 10
			},
			{
				kind: 'streak',
				studentId: 'bart',
				stoplight: 'orange',
				weeks: 4,
				since: daysAgo(24).toISOString(),
				updates: 4
			},
			{
				kind: 'streak',
				studentId: 'cem',
				stoplight: 'orange',
				weeks: 6,
				since: daysAgo(38).toISOString(),
				updates: 3
			},
			{ kind: 'silent', studentId: 'cem', weeks: 3, lastUpdate: daysAgo(25).toISOString() },
			{ kind: 'concern', studentId: 'dewi', flag: 'verzuim', weeks: 3, lookbackWeeks: 8 }
		]);
	});

	it('changing a threshold changes the signals', () => {
		const strict = { ...defaultThresholds, streakWeeks: 2, concernCount: 2, silentWeeks: 4 };
		const kinds = computeSignals(seededHistory(), now, strict).map((s) =>
			s.kind === 'concern' ? `${s.studentId}:concern:${s.flag}` : `${s.studentId}:${s.kind}`
		);
		expect(kinds).toEqual([
			'bart:streak',
			'cem:streak',
			'dewi:concern:toetsen',
			'dewi:concern:verzuim',
			'eva:streak'
		]);
		const relaxed = { ...defaultThresholds, streakWeeks: 8, lookbackWeeks: 4 };
		expect(
			computeSignals(seededHistory(), now, relaxed).map((s) => `${s.studentId}:${s.kind}`)
		).toEqual(['cem:silent']);
	});

	it('says nothing about a student without history', () => {
		expect(computeSignals([], now)).toEqual([]);
	});
});
