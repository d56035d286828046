/**
 * Which pages the service worker may keep for offline use: a board's own page and nothing
 * else (not its history, sharing or erase pages, not any other page of the app). Shared with
 * the logout code, which clears every cache the worker kept.
 */
export const CACHE_PREFIX = 'groeibord-';

const boardPage = /^\/boards\/[a-z2-9]{16}$/;

export function isBoardShell(pathname: string, search = ''): boolean {
	// `?layout=wall` is how a wall opens its board; any other query is another page.
	return boardPage.test(pathname) && (search === '' || search === '?layout=wall');
}

/** Delete every cache this app's service worker kept (called on logout, before the request). */
export async function clearAppCaches(): Promise<void> {
	if (typeof caches === 'undefined') return;
	const keys = await caches.keys();
	await Promise.all(keys.filter((k) => k.startsWith(CACHE_PREFIX)).map((k) => caches.delete(k)));
}
