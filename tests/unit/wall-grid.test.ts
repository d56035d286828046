import { describe, expect, it } from 'vitest';
import { wallGrid } from '../../src/lib/board/voortgang';

describe('wallGrid: student tiles on one wall screen', () => {
	it('puts a class of 30 on a 1920 px wide wall as 6 columns of 5 rows that fit', () => {
		expect(wallGrid(30, 1880, 760)).toEqual({ cols: 6, rows: 5, fits: true });
	});

	it('uses fewer, larger tiles for a small class', () => {
		const small = wallGrid(8, 1880, 760);
		expect(small.cols * small.rows).toBeGreaterThanOrEqual(8);
		expect(small.cols).toBeLessThan(6);
		expect(small.fits).toBe(true);
	});

	it('every student gets a cell, whatever the count', () => {
		for (let count = 1; count <= 60; count++) {
			const { cols, rows } = wallGrid(count, 1880, 760);
			expect(cols * rows).toBeGreaterThanOrEqual(count);
			// No empty last row.
			expect(cols * (rows - 1)).toBeLessThan(count);
		}
	});

	it('says when a class is too large for one screen at a readable size', () => {
		expect(wallGrid(120, 1880, 760).fits).toBe(false);
	});

	it('a narrow screen gets one column', () => {
		expect(wallGrid(30, 360, 4000).cols).toBe(1);
	});

	it('an unmeasured area (server render) still lists everyone', () => {
		expect(wallGrid(30, 0, 0)).toEqual({ cols: 1, rows: 30, fits: true });
	});
});
