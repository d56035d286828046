import { describe, expect, it } from 'vitest';
import { formatDay } from '../../src/lib/components/access/dates';

describe('formatDay', () => {
	it('shows a calendar date as that day, in the page’s language', () => {
		expect(formatDay('2026-11-15')).toBe('15 nov 2026');
		expect(formatDay('2027-01-01')).toBe('1 jan 2027');
	});

	it('shows an instant as its day in school time, not in UTC', () => {
		// 23:30 UTC on the 14th is half past midnight on the 15th in Amsterdam.
		expect(formatDay('2026-11-14T23:30:00.000Z')).toBe('15 nov 2026');
	});

	it('shows what it cannot read as it is, so nothing is lost', () => {
		expect(formatDay('binnenkort')).toBe('binnenkort');
	});
});
