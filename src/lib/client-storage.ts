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
				// Logout does not wait for other tabs: the server's Clear-Site-Data follows.
				.map((name) => deleteDatabase(name, 0))
		);
	} catch {
		// Best effort: the server session is gone either way.
	}
}

/**
 * Delete one IndexedDB database and resolve once it is gone (or the browser refused). While
 * another tab keeps it open the deletion waits for that tab; after `blockedWaitMs` we go on
 * anyway (the deletion stays queued, and a new open of the database waits behind it).
 */
export function deleteDatabase(name: string, blockedWaitMs = 3000): Promise<void> {
	return new Promise<void>((resolve) => {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const done = () => {
			clearTimeout(timer);
			resolve();
		};
		const request = indexedDB.deleteDatabase(name);
		request.onsuccess = request.onerror = done;
		request.onblocked = () => {
			timer = setTimeout(done, blockedWaitMs);
		};
	});
}
