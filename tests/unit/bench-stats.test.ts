import { describe, expect, it } from 'vitest';
import { best, fmt, median, percentile, ratio } from '../bench/stats';

describe('bench statistics', () => {
	it('takes the nearest-rank percentile of unsorted samples', () => {
		const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
		expect(percentile(samples, 50)).toBe(5);
		expect(percentile(samples, 99)).toBe(10);
		expect(percentile(samples, 90)).toBe(9);
		expect(percentile(samples, 0)).toBe(1);
		expect(percentile([42], 99)).toBe(42);
		expect(percentile([], 50)).toBeNaN();
	});

	it('takes the median of three runs, and of an even number of runs the middle mean', () => {
		expect(median([7.2, 11.8, 8.4])).toBe(8.4);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(median([Number.NaN, 3, 5])).toBe(4);
		expect(median([])).toBeNaN();
		// "Never" (a board never unloaded) is a result, unless some run measured a time.
		expect(median([Infinity, Infinity])).toBe(Infinity);
		expect(median([Infinity, 12, Number.NaN])).toBe(12);
	});

	it('divides ours by the reference and the better reference is the lower one', () => {
		expect(ratio(6, 8)).toBe(0.75);
		expect(ratio(6, 0)).toBeNaN();
		expect(ratio(Number.NaN, 2)).toBeNaN();
		expect(best([8.4, 5.7, Number.NaN])).toBe(5.7);
		expect(best([Number.NaN])).toBeNaN();
	});

	it('prints a dash for what was not measured and "never" for Infinity', () => {
		expect(fmt(Infinity)).toBe('never');
		expect(fmt(1.234)).toBe('1.2');
		expect(fmt(1.25, 2)).toBe('1.25');
		expect(fmt(Number.NaN)).toBe('–');
	});
});
