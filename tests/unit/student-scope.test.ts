import { describe, expect, it } from 'vitest';
import { studentHomeRedirect, studentPathScope } from '../../src/lib/server/auth/student-scope';

const me = 'aaaabbbbccccdddd';
const board = 'boardboardboard2';

describe('student scope', () => {
	it.each([
		'/me',
		'/s/sometoken.secret',
		'/logout',
		'/locale',
		'/healthz',
		'/media/photo1234567890',
		'/_app/immutable/x.js',
		'/favicon.svg',
		`/reviews/round/prepare/${me}`,
		`/students/${me}/evidence`,
		`/students/${me}/growth`
	])('lets a student open %s', (path) =>
		expect(studentPathScope(path, me)).toEqual({ kind: 'open' })
	);

	it.each([`/boards/${board}`, `/boards/${board}/summary/12`, `/boards/${board}/share`])(
		'asks the board role for %s',
		(path) => expect(studentPathScope(path, me)).toEqual({ kind: 'board', boardId: board })
	);

	it.each([
		'/boards',
		'/',
		`/reviews/round/prepare/zzzzzzzzzzzzzzzz`,
		`/reviews/round/prepare/${me}x`,
		`/reviews/round/prepare/${me}/more`,
		`/reviews/round/students/${me}`,
		'/reviews/round',
		'/reviews',
		`/students/${me}`,
		`/students/zzzzzzzzzzzzzzzz/evidence`,
		`/students/${me}/evidence/more`,
		`/students/zzzzzzzzzzzzzzzz/growth`,
		`/students/${me}/growth/more`,
		'/students',
		'/admin/staff',
		'/admin/students/x/export',
		'/account',
		'/wall/pair',
		'/wall',
		'/setup',
		'/login',
		'/join/sometoken',
		'/teams/t/successes',
		'/mex',
		'/mediax/1',
		'/sx'
	])('keeps a student out of %s', (path) =>
		expect(studentPathScope(path, me)).toEqual({ kind: 'closed' })
	);

	it('sends a student from / and /boards to /me, nowhere else', () => {
		expect(studentHomeRedirect('/')).toBe('/me');
		expect(studentHomeRedirect('/boards')).toBe('/me');
		expect(studentHomeRedirect('/me')).toBeNull();
		expect(studentHomeRedirect(`/boards/${board}`)).toBeNull();
	});
});
