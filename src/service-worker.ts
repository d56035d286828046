/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Lets a board open while the network is gone (a wall that reloads during an outage): the app's
 * built files are kept per version, and a board page (`/boards/<id>`, nothing below it) is kept
 * as it last came from the server, to be shown only when the network fails. The board's content
 * comes from its own offline copy (y-indexeddb, $lib/sync/board-session.svelte.ts).
 *
 * Never kept: any other page, any form post or API answer, the sync socket (a service worker
 * never sees WebSockets), answers that are redirects or errors. Logging out clears every cache
 * (`clearClientStorage` before the request, and the server's Clear-Site-Data after it).
 */
import { build, files, version } from '$service-worker';
import { CACHE_PREFIX, isBoardShell } from '$lib/offline-shell';

const sw = self as unknown as ServiceWorkerGlobalScope;
const ASSETS = `${CACHE_PREFIX}assets-${version}`;
const SHELL = `${CACHE_PREFIX}shell-${version}`;
// Built files are immutable per version; of the static files only what a page uses (not the
// README's screenshots).
const precache = [...build, ...files.filter((f) => !/^\/screenshots?[./]/.test(f))];

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(ASSETS)
			.then((cache) => cache.addAll(precache))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	// An old version's pages point at its own files: drop both together.
	event.waitUntil(
		caches
			.keys()
			.then((keys) =>
				Promise.all(
					keys
						.filter((key) => key.startsWith(CACHE_PREFIX) && key !== ASSETS && key !== SHELL)
						.map((key) => caches.delete(key))
				)
			)
			.then(() => sw.clients.claim())
	);
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (precache.includes(url.pathname)) {
		event.respondWith(cachedFirst(request));
		return;
	}
	if (request.mode === 'navigate' && isBoardShell(url.pathname, url.search)) {
		event.respondWith(networkThenShell(request));
	}
	// Everything else goes to the network untouched, never into a cache.
});

async function cachedFirst(request: Request): Promise<Response> {
	const cached = await caches.match(request, { cacheName: ASSETS });
	return cached ?? fetch(request);
}

/** The live page whenever the server answers; its last good copy only when it cannot. */
async function networkThenShell(request: Request): Promise<Response> {
	const cache = await caches.open(SHELL);
	try {
		const response = await fetch(request);
		// Only a page the server rendered for this person: no redirect (to the login, say), no error.
		if (response.ok && response.type === 'basic' && !response.redirected) {
			await cache.put(request, response.clone());
		} else if (response.status === 401 || response.status === 403 || response.status === 404) {
			await cache.delete(request);
		}
		return response;
	} catch (error) {
		const cached = await cache.match(request, { ignoreSearch: true });
		if (cached) return cached;
		throw error;
	}
}
