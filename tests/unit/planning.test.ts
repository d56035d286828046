import { describe, expect, it } from 'vitest';
import { mondayOf, stepForm, stepToggleForm } from '../../src/lib/board/planning';

describe('weekly planning', () => {
	it('plans for the Monday of the week, a Sunday belonging to the week before it', () => {
		expect(mondayOf('2026-12-07')).toBe('2026-12-07'); // Monday
		expect(mondayOf('2026-12-10')).toBe('2026-12-07'); // Thursday
		expect(mondayOf('2026-12-13')).toBe('2026-12-07'); // Sunday
		expect(mondayOf('2027-01-01')).toBe('2026-12-28'); // across a year
		expect(() => mondayOf('2026-02-31')).toThrow(RangeError);
	});

	it('takes a short step with its goal and refuses an empty or long one', () => {
		expect(stepForm.parse({ goalId: 'g1', text: '  Maandag plannen ' })).toEqual({
			goalId: 'g1',
			text: 'Maandag plannen'
		});
		expect(stepForm.safeParse({ goalId: 'g1', text: ' ' }).error?.issues[0]?.message).toBe(
			'required'
		);
		expect(
			stepForm.safeParse({ goalId: 'g1', text: 'x'.repeat(141) }).error?.issues[0]?.message
		).toBe('too_long');
		expect(stepToggleForm.parse({ stepId: 's1', done: 'false' })).toEqual({
			stepId: 's1',
			done: false
		});
		expect(stepToggleForm.safeParse({ stepId: 's1', done: 'yes' }).success).toBe(false);
	});
});
