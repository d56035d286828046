/**
 * The live poll of a page that shows a student's growth (LiveGrowth.svelte): the page asks
 * `/students/<id>/growth/live?since=<stamp>` every few seconds and reloads its data when the
 * stamp moved. That reload reruns the page's load, which logs a read of the child's file; the
 * rerun is the same view, not a new read. So the poll's answer that says "moved" also marks the
 * rerun it causes: a short-lived httpOnly cookie for this student's pages, taken (and cleared)
 * by the next load, which then tells `recordStudentRead` it is a `rerun`. A mark without a
 * logged read of that page within the read window changes nothing: a first view always counts.
 */
import type { Cookies } from '@sveltejs/kit';
import { isSecureRequest } from './auth/cookie';

const RERUN_COOKIE = 'gb_growth_rerun';
/** Long enough for the reload the poll starts at once; a mark left by a closed tab goes soon. */
const RERUN_MAX_AGE_S = 15;

/** The poll saw the stamp move: mark the reload it starts now as a rerun. */
export function markGrowthRerun(cookies: Cookies, url: URL, studentId: string): void {
	cookies.set(RERUN_COOKIE, studentId, {
		...cookieOptions(url, studentId),
		maxAge: RERUN_MAX_AGE_S
	});
}

function cookieOptions(url: URL, studentId: string) {
	const secure = isSecureRequest(url);
	return { path: `/students/${studentId}`, httpOnly: true, sameSite: 'strict' as const, secure };
}

/**
 * Whether this load is the rerun a poll marked for this student, clearing the mark (one rerun
 * per mark). A load called without a request's cookies (a script, a test) is no rerun.
 */
export function takeGrowthRerun(
	cookies: Cookies | undefined,
	url: URL,
	studentId: string
): boolean {
	if (cookies?.get(RERUN_COOKIE) !== studentId) return false;
	cookies.delete(RERUN_COOKIE, cookieOptions(url, studentId));
	return true;
}
