import { describe, expect, it } from 'vitest';
import { familySees, hasFamilyPart } from '../../src/lib/board/family-view';

describe('what the family may see', () => {
	it('keeps a care card from the family and shows every other card', () => {
		expect(familySees('cards', { type: 'goals', title: 'x', visibility: 'care' })).toBe(false);
		expect(familySees('cards', { type: 'goals', title: 'x', visibility: 'family' })).toBe(true);
		expect(familySees('cards', { type: 'goals', title: 'x', visibility: 'meeting' })).toBe(true);
		expect(familySees('cards', { type: 'goals', title: 'x' })).toBe(true);
	});

	it('shows check-ins, settings and the session whatever they hold', () => {
		expect(familySees('checkins', { name: 'Kim', value: 2, visibility: 'care' })).toBe(true);
		expect(familySees('settings', 'care')).toBe(true);
		expect(familySees('session', true)).toBe(true);
	});

	it('shows a malformed card entry (the guard, not this rule, judges its shape)', () => {
		expect(familySees('cards', 'not a card')).toBe(true);
		expect(familySees('cards', null)).toBe(true);
	});

	it('gives only the conversation boards a family part', () => {
		expect(hasFamilyPart('zorgoverleg')).toBe(true);
		expect(hasFamilyPart('driehoeksgesprek')).toBe(true);
		expect(hasFamilyPart('verbeterbord')).toBe(false);
		expect(hasFamilyPart('zorgbord')).toBe(false);
	});
});
