/**
 * Real y-websocket clients for sync tests: the stock WebsocketProvider on the `ws` package,
 * with the session cookie (and optionally an Origin) sent in the upgrade request.
 */
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { AppServer } from '../../server/app';
import type { SyncService, SyncServiceExtras } from '../../server/sync';

/** The sync service of a started app server, with its test hooks (rooms, recheckAll). */
export function syncOf(app: AppServer): SyncService & SyncServiceExtras {
	return app.sync as SyncService & SyncServiceExtras;
}

export function cookieWebSocket(token: string | undefined, headers: Record<string, string> = {}) {
	return class extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, {
				headers: { ...(token ? { cookie: `groeibord_session=${token}` } : {}), ...headers }
			});
		}
	};
}

export interface TestClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	destroy(): void;
}

export function connectClient(
	baseUrl: string,
	boardId: string,
	token: string | undefined,
	options: { doc?: Y.Doc; params?: Record<string, string>; headers?: Record<string, string> } = {}
): TestClient {
	const doc = options.doc ?? new Y.Doc();
	const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/sync', boardId, doc, {
		WebSocketPolyfill: cookieWebSocket(
			token,
			options.headers
		) as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params: options.params ?? {},
		maxBackoffTime: 500
	});
	return {
		doc,
		provider,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** Poll until `check` holds (or time out with the last failure). */
export async function eventually(
	check: () => boolean | Promise<boolean>,
	timeoutMs = 5_000,
	message = 'condition not met in time'
): Promise<void> {
	const start = Date.now();
	for (;;) {
		if (await check()) return;
		if (Date.now() - start > timeoutMs) throw new Error(message);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** Raw upgrade attempt: resolves with the HTTP status of a refusal, or 101 when accepted. */
export function upgradeStatus(
	baseUrl: string,
	path: string,
	headers: Record<string, string> = {}
): Promise<number> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + path, { headers });
		ws.on('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0);
			res.resume();
			ws.terminate();
		});
		ws.on('open', () => {
			resolve(101);
			ws.close();
		});
		ws.on('error', (error) => reject(error));
	});
}

/**
 * A stock provider that also understands our `saved` message (type 100): `isSaved()` tells
 * whether every local edit is durably stored on the server.
 */
export function connectAckClient(
	baseUrl: string,
	boardId: string,
	token: string,
	doc: Y.Doc = new Y.Doc()
): TestClient & { stored: () => Map<number, number>; isSaved: () => boolean } {
	const client = connectClient(baseUrl, boardId, token, { doc, params: { saved: '1' } });
	let stored = new Map<number, number>();
	client.provider.messageHandlers[100] = (_encoder: unknown, decoder: decoding.Decoder) => {
		stored = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
	};
	return {
		...client,
		stored: () => stored,
		isSaved: () => {
			for (const [id, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
				if ((stored.get(id) ?? 0) < clock) return false;
			}
			return true;
		}
	};
}

/** A raw authenticated socket to send hand-made frames; resolves once open. */
export function rawSocket(baseUrl: string, boardId: string, token: string): Promise<WebSocket> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + `/sync/${boardId}`, {
			headers: { cookie: `groeibord_session=${token}` }
		});
		ws.once('open', () => resolve(ws));
		ws.once('error', reject);
		ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
	});
}

export function closeCode(ws: WebSocket): Promise<number> {
	return new Promise((resolve) => {
		if (ws.readyState === ws.CLOSED) return resolve(-1);
		ws.once('close', (code) => resolve(code));
	});
}
