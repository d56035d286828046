/**
 * The one-line peers list (peer-overflow.ts): at most a fixed number of items per width, the
 * viewer first and never behind the "+N", which counts the others.
 */
import { describe, expect, it } from 'vitest';
import { PEER_FITS, splitPeers } from '../../src/lib/components/verbeterbord/peer-overflow';

const person = (name: string, self = false) => ({ name, self });
const names = (list: Array<{ name: string }>) => list.map((p) => p.name);

describe('splitPeers', () => {
	it('shows everyone when they fit, with no "+N"', () => {
		const split = splitPeers([person('Ann'), person('Mo', true)], 2);
		expect(names(split.shown)).toEqual(['Mo', 'Ann']);
		expect(split.more).toEqual([]);
	});

	it('puts the rest behind one "+N" item, so the list never holds more than fits', () => {
		const peers = ['Ann', 'Bas', 'Cem', 'Dia', 'Eva'].map((n) => person(n));
		const split = splitPeers([...peers, person('Mo', true)], 3);
		expect(names(split.shown)).toEqual(['Mo', 'Ann']);
		expect(names(split.more)).toEqual(['Bas', 'Cem', 'Dia', 'Eva']);
		expect(split.shown.length + 1).toBe(3);
	});

	it('never hides the viewer, even where one item fits', () => {
		const split = splitPeers([person('Ann'), person('Mo', true), person('Bas')], 1);
		expect(names(split.shown)).toEqual(['Mo']);
		expect(names(split.more)).toEqual(['Ann', 'Bas']);
	});

	it('is empty for nobody, so the page renders no labelled empty list', () => {
		expect(splitPeers([], PEER_FITS.s)).toEqual({ shown: [], more: [] });
	});

	it('a phone holds fewer than a laptop, which holds fewer than a wall', () => {
		expect(PEER_FITS.s).toBeLessThan(PEER_FITS.m);
		expect(PEER_FITS.m).toBeLessThan(PEER_FITS.l);
		const many = Array.from({ length: 12 }, (_, i) => person(`P${i}`));
		for (const fit of Object.values(PEER_FITS)) {
			const split = splitPeers(many, fit);
			expect(split.shown.length + (split.more.length > 0 ? 1 : 0)).toBe(fit);
			expect(split.shown.length + split.more.length).toBe(12);
		}
	});
});
