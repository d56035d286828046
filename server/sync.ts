/**
 * The /sync/<boardId> WebSocket endpoint. The live-sync issue fills in the y-websocket
 * protocol, rooms and persistence; until then an upgrade is refused with a clear close.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Runtime } from '../src/lib/server/runtime';

export const SYNC_PATH = /^\/sync\/([A-Za-z0-9_-]{1,64})\/?$/;

export interface SyncService {
	handles(req: http.IncomingMessage): boolean;
	handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
	/** Flush every room and close every connection. Idempotent. */
	close(): Promise<void>;
}

export function createSyncUpgradeHandler(_runtime: Runtime): SyncService {
	return {
		handles: (req) => SYNC_PATH.test(new URL(req.url ?? '/', 'http://x').pathname),
		handleUpgrade(_req, socket) {
			socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
		},
		close: async () => {}
	};
}
