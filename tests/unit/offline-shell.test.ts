import { describe, expect, it } from 'vitest';
import { isBoardShell } from '../../src/lib/offline-shell';

describe('the pages the service worker may keep offline', () => {
	it('keeps a board page, as a wall opens it too', () => {
		expect(isBoardShell('/boards/demoboardverb22a')).toBe(true);
		expect(isBoardShell('/boards/demoboardverb22a', '?layout=wall')).toBe(true);
	});

	it('keeps no other page, nothing below a board and no other query', () => {
		for (const path of [
			'/',
			'/today',
			'/boards',
			'/me',
			'/students/demostudenta2222',
			'/boards/demoboardverb22a/history',
			'/boards/demoboardverb22a/share',
			'/boards/demoboardverb22a/__data.json',
			'/boards/DEMOBOARDVERB22A',
			'/boards/short'
		]) {
			expect(isBoardShell(path), path).toBe(false);
		}
		expect(isBoardShell('/boards/demoboardverb22a', '?x-sveltekit-invalidated=01')).toBe(false);
	});
});
