import { describe, expect, it } from 'vitest';
import { formatDate } from '../../src/lib/board/format-date';

describe('formatDate', () => {
	it('shows a calendar date as that day, by default in the page’s language (Dutch)', () => {
		expect(formatDate('2026-11-15')).toBe('15 nov 2026');
		expect(formatDate('2027-01-01')).toBe('1 jan 2027');
	});

	it('has one named format for each place a date is read', () => {
		expect(formatDate('2026-11-24', 'long', 'nl')).toBe('24 november 2026');
		expect(formatDate('2027-01-08', 'chip', 'nl')).toBe('vr 8 jan');
		expect(formatDate('2026-11-24', 'dayMonth', 'nl')).toBe('24 november');
		expect(formatDate('2026-11-24T13:05:00.000Z', 'dateTime', 'nl')).toBe('24 nov 2026, 14:05');
	});

	it('speaks English when the page does', () => {
		expect(formatDate('2026-11-24', 'long', 'en')).toBe('24 November 2026');
		expect(formatDate('2027-01-08', 'chip', 'en')).toBe('Fri 8 Jan');
		expect(formatDate('2026-11-24', 'medium', 'en')).toBe('24 Nov 2026');
	});

	it('shows an instant as its day and hour in school time, not in UTC', () => {
		// 23:30 UTC on the 14th is half past midnight on the 15th in Amsterdam.
		expect(formatDate('2026-11-14T23:30:00.000Z')).toBe('15 nov 2026');
		expect(formatDate(new Date('2026-11-14T23:30:00.000Z'), 'dateTime', 'nl')).toBe(
			'15 nov 2026, 00:30'
		);
		// Summer time: 22:30 UTC on 30 June is already 1 July in Amsterdam.
		expect(formatDate('2026-06-30T22:30:00.000Z', 'long', 'nl')).toBe('1 juli 2026');
	});

	it('keeps a calendar date on its own day in summer and winter', () => {
		expect(formatDate('2026-03-29', 'long', 'nl')).toBe('29 maart 2026');
		expect(formatDate('2026-10-25', 'long', 'nl')).toBe('25 oktober 2026');
	});

	it('shows nothing for no date and what it cannot read as it is, so nothing is lost', () => {
		expect(formatDate(null)).toBe('');
		expect(formatDate(undefined)).toBe('');
		expect(formatDate('')).toBe('');
		expect(formatDate('binnenkort')).toBe('binnenkort');
	});
});
