import { describe, expect, it } from 'vitest';
import { isRealDate } from '../../src/lib/board/dates';
import { parseCard } from '../../src/lib/board/verbeterbord';
import { actionSchema } from '../../src/lib/board/voortgang';

describe('real calendar dates', () => {
	it('knows month lengths and leap years', () => {
		expect(isRealDate('2026-02-28')).toBe(true);
		expect(isRealDate('2028-02-29')).toBe(true);
		for (const bad of [
			'2026-02-29',
			'2026-02-31',
			'2026-04-31',
			'2026-13-01',
			'2026-00-10',
			'26-1-1'
		]) {
			expect(isRealDate(bad), bad).toBe(false);
		}
	});

	it.each([
		['successes', 'when'],
		['goals', 'targetDate'],
		['actions', 'due']
	])('the %s form refuses %s 2026-02-31 and takes a real day', (type, field) => {
		const card = (date: string) =>
			parseCard({ type, title: 'Kaart', [field]: date }, { isNew: false, on: '2026-01-01' });
		expect(card('2026-02-31')).toEqual({ ok: false, errors: { [field]: 'invalid_date' } });
		expect(card('2026-03-31').ok).toBe(true);
	});

	it('a progress-wall action refuses 2026-02-31', () => {
		const action = { id: 'a', studentId: 's', who: 'Mentor', what: 'Bellen', done: false };
		expect(actionSchema.safeParse({ ...action, when: '2026-02-31' }).success).toBe(false);
		expect(actionSchema.safeParse({ ...action, when: '2026-02-28' }).success).toBe(true);
	});
});
