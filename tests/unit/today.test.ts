import { describe, expect, it } from 'vitest';
import { actionsDueFor, sessionDue, weekOf } from '../../src/lib/board/today';
import type { Card } from '../../src/lib/board/verbeterbord';

const at = (day: string, time = '10:00') => new Date(`${day}T${time}`);

function action(id: string, who: string, due: string, status = 'open'): Card {
	return {
		id,
		type: 'actions',
		title: `Actie ${id}`,
		body: '',
		who,
		due,
		status,
		goalId: '',
		order: 'a',
		createdAt: '',
		createdBy: '',
		createdByName: ''
	} as Card;
}

describe('the first screen reads the week', () => {
	it('runs a week from Monday to Sunday, a Sunday belonging to the week before it', () => {
		expect(weekOf(at('2026-12-09'))).toMatchObject({ start: '2026-12-07', end: '2026-12-13' });
		expect(weekOf(at('2026-12-13', '23:30'))).toMatchObject({ start: '2026-12-07' });
		expect(weekOf(at('2026-12-07', '00:05')).startAt).toEqual(at('2026-12-07', '00:00'));
		expect(weekOf(at('2027-01-01'))).toMatchObject({ start: '2026-12-28', end: '2027-01-03' });
	});

	it('calls a session due when the board held none this week', () => {
		const wednesday = at('2026-12-09');
		expect(sessionDue(null, wednesday)).toBe(true);
		expect(sessionDue(at('2026-12-04').toISOString(), wednesday)).toBe(true);
		expect(sessionDue(at('2026-12-07', '08:30').toISOString(), wednesday)).toBe(false);
		expect(sessionDue('not a date', wednesday)).toBe(true);
	});

	it("lists one's own open actions due this week or overdue, earliest first", () => {
		const cards = [
			action('late', 'Mehmet Yilmaz', '2026-12-01'),
			action('friday', ' mehmet yilmaz ', '2026-12-11'),
			action('next-week', 'Mehmet Yilmaz', '2026-12-14'),
			action('done', 'Mehmet Yilmaz', '2026-12-08', 'done'),
			action('colleague', 'Daan de Vries', '2026-12-08'),
			action('undated', 'Mehmet Yilmaz', '')
		];
		expect(actionsDueFor(cards, 'Mehmet Yilmaz', at('2026-12-09'))).toEqual([
			{ id: 'late', title: 'Actie late', due: '2026-12-01', overdue: true },
			{ id: 'friday', title: 'Actie friday', due: '2026-12-11', overdue: false }
		]);
		expect(actionsDueFor(cards, '  ', at('2026-12-09'))).toEqual([]);
	});
});
