import { clearAppCaches } from './offline-shell';

/**
 * Logout on a shared device must leave nothing behind: board caches in IndexedDB
 * (y-indexeddb), local and session storage, and the pages the service worker kept.
 */
export async function clearClientStorage(): Promise<void> {
	await clearAppCaches().catch(() => {
		// Best effort, like the rest: the server's Clear-Site-Data asks the browser too.
	});
	try {
		localStorage.clear();
		sessionStorage.clear();
	} catch {
		// Storage can be disabled; nothing to clear then.
	}
	if (typeof indexedDB === 'undefined') return;
	try {
		const databases = (await indexedDB.databases?.()) ?? [];
		await Promise.all(
			databases
				.map((d) => d.name)
				.filter((name): name is string => !!name)
				.map(
					(name) =>
						new Promise<void>((resolve) => {
							const request = indexedDB.deleteDatabase(name);
							request.onsuccess = request.onerror = request.onblocked = () => resolve();
						})
				)
		);
	} catch {
		// Best effort: the server session is gone either way.
	}
}
