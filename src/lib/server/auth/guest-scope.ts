/**
 * A guest (parent, pupil, care partner) holds a key to one board and nothing else. Routes
 * check this themselves; `hooks.server.ts` applies this as the second line: anything outside
 * the guest's board is a 404 before any route code runs.
 */
// /reviews: a pupil's own preparation page; every other review page refuses guests itself.
// /s: a student's personal link, opened on a phone that once joined a board as a guest.
const guestPaths = [
	'/join',
	'/s',
	'/logout',
	'/locale',
	'/healthz',
	'/media',
	'/reviews',
	'/_app',
	'/favicon.svg',
	// The privacy page is for everyone, a parent in a care meeting too.
	'/privacy'
];

export function guestMayOpen(pathname: string, boardId: string): boolean {
	if (pathname === '/' || pathname === '/boards' || pathname === `/boards/${boardId}`) return true;
	if (pathname.startsWith(`/boards/${boardId}/`)) return true;
	return guestPaths.some((prefix) => pathname === prefix || pathname.startsWith(prefix + '/'));
}
