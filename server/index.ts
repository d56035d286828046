/**
 * Production entry: `node build/server.js` (what `npm start` runs after building).
 * One port serves the SvelteKit app and the /sync WebSocket.
 */
import { readdirSync } from 'node:fs';
import { setRuntime } from '../src/lib/server/runtime';
import { startAppServer, type RequestHandler } from './app';
import { bootRuntime, isUserFacingStartupError } from './boot';
import { log } from './log';

const PROTO_HEADER = 'x-groeibord-proto';
// The files from static/ (favicon, robots.txt) have no hash in their name, so sirv sends them
// without a lifetime and every page load asks again; a day is short enough for a new favicon.
const STATIC_CACHE_CONTROL = 'public, max-age=86400';

/** `/favicon.svg` and the like: the top-level files of build/client, but not the service worker
 * (a browser must see a new one at once). */
function staticFiles(): Set<string> {
	const entries = readdirSync(new URL('./client/', import.meta.url), { withFileTypes: true });
	return new Set(
		entries.filter((e) => e.isFile() && e.name !== 'service-worker.js').map((e) => `/${e.name}`)
	);
}

async function main() {
	const runtime = await bootRuntime();
	const { config } = runtime;
	// adapter-node assumes https when ORIGIN is unset, which breaks the CSRF origin check on
	// plain http (a wall on the school LAN). We are the HTTP server, so we tell it the truth;
	// behind a TLS proxy, ORIGIN must be set (README).
	if (!config.ORIGIN) {
		// An empty ORIGIN= counts as unset for us; adapter-node would refuse to start on it.
		delete process.env.ORIGIN;
		process.env.PROTOCOL_HEADER = PROTO_HEADER;
	} else process.env.ORIGIN = config.ORIGIN;
	// Student photos may be up to 10 MB (phone cameras); adapter-node's default is 512 KiB.
	process.env.BODY_SIZE_LIMIT ??= '11M';
	// The SvelteKit handler sits next to this bundle in build/; it reads the runtime set above.
	const handlerUrl = new URL('./handler.js', import.meta.url).href;
	const { handler } = (await import(handlerUrl)) as { handler: RequestHandler };
	const cached = staticFiles();
	const app = await startAppServer(
		runtime,
		(req, res, next) => {
			if (!config.ORIGIN) req.headers[PROTO_HEADER] = 'http';
			if (cached.has(req.url?.split('?')[0] ?? '')) {
				res.setHeader('cache-control', STATIC_CACHE_CONTROL);
			}
			handler(req, res, next);
		},
		{ port: config.PORT, host: config.HOST }
	);
	log.info(`Groeibord is running at ${config.ORIGIN ?? app.url}`);
	log.info(
		runtime.database.driver === 'pglite'
			? `Database: embedded PGlite in ${config.dataDir}`
			: 'Database: PostgreSQL (DATABASE_URL)'
	);

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		log.info(`${signal} received, shutting down`);
		// Never hang a deploy: whatever is still open after 4 s is abandoned.
		const force = setTimeout(() => {
			log.error('Shutdown took too long, exiting');
			process.exit(1);
		}, 4_000);
		force.unref();
		try {
			await app.close();
			for (const close of runtime.closers) await close();
			await runtime.database.close();
			setRuntime(undefined);
			log.info('Stopped cleanly');
			process.exit(0);
		} catch (error) {
			log.error(`Shutdown failed: ${(error as Error).message}`);
			process.exit(1);
		}
	};
	process.on('SIGTERM', () => void stop('SIGTERM'));
	process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
	if (isUserFacingStartupError(error)) {
		console.error(`Groeibord cannot start: ${error.message}`);
		process.exit(1);
	}
	if (error && typeof error === 'object' && 'code' in error && error.code === 'EADDRINUSE') {
		console.error(
			`Groeibord cannot start: PORT is already in use (${(error as unknown as Error).message})`
		);
		process.exit(1);
	}
	console.error('Groeibord failed to start:', error);
	process.exit(1);
});
