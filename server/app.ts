/**
 * One HTTP server on one port: SvelteKit pages and endpoints, plus WebSocket upgrades on
 * /sync/<boardId>. Used by the production entry (index.ts) and by integration tests, which
 * start it on port 0 with or without the SvelteKit handler.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Runtime } from '../src/lib/server/runtime';
import { createSyncUpgradeHandler, type SyncService } from './sync';

const LISTEN_BACKLOG = 4096;

export type RequestHandler = (
	req: http.IncomingMessage,
	res: http.ServerResponse,
	next?: () => void
) => void;

export interface AppServer {
	server: http.Server;
	sync: SyncService;
	url: string;
	/** Idempotent: stop accepting, close sockets, flush boards. Does not close the database. */
	close(): Promise<void>;
}

export async function startAppServer(
	runtime: Runtime,
	requestHandler: RequestHandler | undefined,
	listen: { port: number; host: string }
): Promise<AppServer> {
	const sync = createSyncUpgradeHandler(runtime);
	await sync.ready();
	const sockets = new Set<Socket>();
	const server = http.createServer((req, res) => {
		if (!requestHandler) {
			res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
			return;
		}
		requestHandler(req, res, () => {
			res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});
	server.on('upgrade', (req, socket, head) => {
		if (!sync.handles(req)) {
			socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
			return;
		}
		sync.handleUpgrade(req, socket, head);
	});
	// Slow clients must not hold a connection open forever before sending headers.
	server.headersTimeout = 20_000;
	server.requestTimeout = 60_000;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		// A long accept queue: after a restart every open board reconnects within seconds, and
		// with Node's default (511) the kernel drops the surplus SYNs, which the clients' TCP
		// stacks resend only after 1, 3, 7 s (B6 in tests/bench). The kernel caps it at somaxconn.
		server.listen({ port: listen.port, host: listen.host, backlog: LISTEN_BACKLOG }, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address() as AddressInfo;
	const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	const shownHost = host === '0.0.0.0' || host === '[::]' ? 'localhost' : host;

	let closing: Promise<void> | undefined;
	return {
		server,
		sync,
		url: `http://${shownHost}:${address.port}`,
		close() {
			closing ??= (async () => {
				const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
				await sync.close();
				server.closeIdleConnections();
				for (const socket of sockets) socket.destroy();
				await stopped;
			})();
			return closing;
		}
	};
}
