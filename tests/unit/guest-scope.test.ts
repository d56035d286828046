import { describe, expect, it } from 'vitest';
import { guestMayOpen } from '../../src/lib/server/auth/guest-scope';

const board = 'aaaabbbbccccdddd';

describe('guest scope', () => {
	it.each([
		`/boards/${board}`,
		`/boards/${board}/history`,
		'/boards',
		'/join/sometoken',
		'/s/sometoken',
		'/logout',
		'/locale',
		'/media/photo1234567890',
		'/reviews/round/prepare/student'
	])('lets a guest open %s', (path) => expect(guestMayOpen(path, board)).toBe(true));

	it.each([
		'/boards/zzzzzzzzzzzzzzzz',
		`/boards/${board}x`,
		`/boards/${board.slice(0, 15)}`,
		'/admin/staff',
		'/admin/students/x/export',
		'/account',
		'/wall/pair',
		'/setup',
		'/login',
		'/students/abc',
		'/teams/t/successes',
		'/joinx',
		'/sx',
		'/mediax/1'
	])('keeps a guest out of %s', (path) => expect(guestMayOpen(path, board)).toBe(false));
});
