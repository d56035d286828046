/**
 * A student through their own link (student-link.ts) holds a key to their own pages and
 * nothing else. Routes check this themselves; `hooks.server.ts` applies it as the second line:
 * anything else is a 404 before any route code runs. A board path is only a candidate: the
 * hook asks `boardRole` whether it is one of the student's own conversation boards.
 */
const studentPaths = [
	'/me',
	'/s',
	'/logout',
	'/locale',
	'/healthz',
	'/media',
	'/_app',
	// The privacy page is for everyone, the student too.
	'/privacy'
];

export type StudentPath =
	/** Open it (the route authorises what it serves). */
	| { kind: 'open' }
	/** Open it only when the board is the student's own (ask boardRole). */
	| { kind: 'board'; boardId: string }
	| { kind: 'closed' };

const boardPath = /^\/boards\/([^/]+)(?:\/.*)?$/;

export function studentPathScope(pathname: string, studentId: string): StudentPath {
	if (pathname === '/favicon.svg') return { kind: 'open' };
	if (studentPaths.some((prefix) => pathname === prefix || pathname.startsWith(prefix + '/'))) {
		return { kind: 'open' };
	}
	const board = boardPath.exec(pathname);
	if (board) return { kind: 'board', boardId: board[1]! };
	// Their own preparation page of a review round, and no other review page.
	const prepare = /^\/reviews\/[^/]+\/prepare\/([^/]+)$/.exec(pathname);
	if (prepare && prepare[1] === studentId) return { kind: 'open' };
	// Their own evidence (photos of work, learning outside school), and no other student page.
	if (pathname === `/students/${studentId}/evidence`) return { kind: 'open' };
	// Their own growth over time, with their self-evaluation and weekly planning.
	if (pathname === `/students/${studentId}/growth`) return { kind: 'open' };
	return { kind: 'closed' };
}

/** Where a student lands: `/` and `/boards` are their home, `/me`. */
export function studentHomeRedirect(pathname: string): string | null {
	return pathname === '/' || pathname === '/boards' ? '/me' : null;
}
