/**
 * The browser's BoardSession after a final close, with a fake socket and offline cache: a
 * refused change (4400) drops the board's offline copy, so opening the board again starts from
 * the server's document instead of sending the refused edits once more; so does an erasure.
 * A device that was away during an erasure compacts its copy after the next sync instead.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it, vi } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
	BoardSession,
	READY_WAIT_MS,
	type OfflineCache
} from '../../src/lib/sync/board-session.svelte';

class FakeSocket {
	static last: FakeSocket | null = null;
	readonly CONNECTING = 0;
	readonly OPEN = 1;
	readonly CLOSED = 3;
	binaryType = 'arraybuffer';
	readyState = 0;
	onopen: ((event: unknown) => void) | null = null;
	onclose: ((event: { code: number; reason: string }) => void) | null = null;
	onmessage: ((event: unknown) => void) | null = null;
	onerror: ((event: unknown) => void) | null = null;
	constructor(readonly url: string) {
		FakeSocket.last = this;
		queueMicrotask(() => {
			this.readyState = 1;
			this.onopen?.({});
		});
	}
	send() {}
	close(code = 1000, reason = '') {
		this.readyState = 3;
		this.onclose?.({ code, reason });
	}
}

function session() {
	const cache = {
		compact: vi.fn(async () => {}),
		clearData: vi.fn(async () => {}),
		destroy: vi.fn(async () => {})
	};
	const reload = vi.fn();
	const openCache = vi.fn((_name: string) => cache as OfflineCache);
	const board = new BoardSession('board1', {
		url: 'ws://test/sync',
		WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket,
		openCache,
		reload
	});
	return { board, cache, reload, openCache };
}

const opened = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('BoardSession after the server closed the socket', () => {
	it('a refused change (4400) drops the offline copy and says so; reloading waits for that', async () => {
		const { board, cache, reload, openCache } = session();
		expect(openCache).toHaveBeenCalledWith('groeibord-board-board1', board.doc);
		await opened();
		FakeSocket.last!.close(4400, 'invalidUpdate');
		expect(board.closedKind).toBe('refused');
		expect(cache.clearData).toHaveBeenCalledTimes(1);
		await board.startFresh();
		expect(reload).toHaveBeenCalledTimes(1);
		board.destroy();
		// Destroying does not touch the dropped cache again.
		expect(cache.destroy).not.toHaveBeenCalled();
	});

	it('a lost access (4403) or a full board (4413) keeps the offline copy', async () => {
		for (const code of [4403, 4413]) {
			const { board, cache } = session();
			await opened();
			FakeSocket.last!.close(code, 'x');
			expect(board.closedReason).toBe('x');
			expect(cache.clearData).not.toHaveBeenCalled();
			board.destroy();
			expect(cache.destroy).toHaveBeenCalled();
		}
	});

	it('an erasure on the board (message 101) drops the offline copy and opens the board again', async () => {
		const { board, cache, reload } = session();
		await opened();
		FakeSocket.last!.onmessage?.({ data: new Uint8Array([101]).buffer });
		expect(cache.clearData).toHaveBeenCalledTimes(1);
		await opened();
		expect(reload).toHaveBeenCalledTimes(1);
		board.destroy();
		expect(cache.destroy).not.toHaveBeenCalled();
	});
});

describe('BoardSession ready (the board shows instead of its placeholder)', () => {
	it('a socket that hangs while connecting shows the board after READY_WAIT_MS', async () => {
		vi.useFakeTimers();
		try {
			const board = new BoardSession('board2', {
				url: 'ws://test/sync',
				WebSocketPolyfill: class extends FakeSocket {
					constructor(url: string) {
						super(url);
						// Never opens: drop the open the fake would queue.
						Object.defineProperty(this, 'onopen', { set() {}, get: () => null });
					}
				} as unknown as typeof WebSocket,
				openCache: () => ({
					compact: async () => {},
					clearData: async () => {},
					destroy: async () => {}
				})
			});
			expect(board.ready).toBe(false);
			vi.advanceTimersByTime(READY_WAIT_MS - 1);
			expect(board.ready).toBe(false);
			vi.advanceTimersByTime(1);
			expect(board.ready).toBe(true);
			board.destroy();
		} finally {
			vi.useRealTimers();
		}
	});

	it('once ready it stays ready through a reconnect', async () => {
		const { board } = session();
		await opened();
		FakeSocket.last!.close(1006, '');
		expect(board.ready).toBe(true);
		board.reconnect();
		await opened();
		expect(board.synced).toBe(false);
		expect(board.ready).toBe(true);
		board.destroy();
	});
});

/** The server's answer to the client's sync step 1: its document (message 0, sync step 2). */
function syncStep2(socket: FakeSocket, server: Y.Doc) {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	syncProtocol.writeSyncStep2(encoder, server);
	socket.onmessage?.({ data: encoding.toUint8Array(encoder).buffer });
}

const holds = (bytes: Uint8Array, text: string) => {
	const needle = new TextEncoder().encode(text);
	return bytes.some((_, i) => needle.every((b, j) => bytes[i + j] === b));
};

describe('BoardSession compacts its offline copy after a sync (erasures it was away for)', () => {
	/**
	 * A device's stored copy holds a card that was erased on the server while the device was
	 * away, and a card added offline that the server has not seen yet.
	 */
	function awayDevice() {
		const server = new Y.Doc();
		const cards = server.getMap<Y.Map<string>>('cards');
		server.transact(() => {
			const erased = new Y.Map<string>();
			erased.set('title', 'Noor huilde bij de overblijf');
			cards.set('erased', erased);
		});
		const device = new Y.Doc();
		Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
		device.transact(() => {
			const offline = new Y.Map<string>();
			offline.set('title', 'Bedacht zonder netwerk');
			device.getMap<Y.Map<string>>('cards').set('offline', offline);
		});
		const stored = Y.encodeStateAsUpdate(device);
		cards.delete('erased');

		let load!: () => void;
		// What the copy held each time it was compacted: the doc's whole state at that moment.
		const compacted: Uint8Array[] = [];
		const cache = {
			whenLoaded: undefined as Promise<void> | undefined,
			compact: vi.fn(async () => {
				compacted.push(Y.encodeStateAsUpdate(board.doc));
			}),
			clearData: vi.fn(async () => {}),
			destroy: vi.fn(async () => {})
		};
		const board = new BoardSession('board3', {
			url: 'ws://test/sync',
			WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket,
			openCache: (_name, doc) => {
				cache.whenLoaded = new Promise<void>((resolve) => {
					load = () => {
						Y.applyUpdate(doc, stored, 'cache');
						resolve();
					};
				});
				return cache;
			},
			reload: () => {}
		});
		return { board, cache, server, compacted, load: () => load() };
	}

	it('a sync before the stored copy is loaded compacts only once it is, to the current state', async () => {
		const { board, cache, server, compacted, load } = awayDevice();
		expect(board.doc.gc).toBe(true);
		await opened();
		syncStep2(FakeSocket.last!, server);
		expect(board.synced).toBe(true);
		await opened();
		// Compacting now would rewrite rows that were never read: the offline card would go.
		expect(cache.compact).not.toHaveBeenCalled();

		load();
		await opened();
		expect(cache.compact).toHaveBeenCalledTimes(1);
		expect(holds(compacted[0]!, 'Noor huilde')).toBe(false);
		expect(holds(compacted[0]!, 'Bedacht zonder netwerk')).toBe(true);
		board.destroy();
	});

	it('a stored copy loaded first is compacted after the sync, and again after every reconnect', async () => {
		const { board, cache, server, compacted, load } = awayDevice();
		load();
		await opened();
		expect(board.doc.getMap('cards').has('erased')).toBe(true);
		expect(holds(Y.encodeStateAsUpdate(board.doc), 'Noor huilde')).toBe(true);
		expect(cache.compact).not.toHaveBeenCalled();

		syncStep2(FakeSocket.last!, server);
		await opened();
		expect(cache.compact).toHaveBeenCalledTimes(1);
		expect(board.doc.getMap('cards').has('erased')).toBe(false);
		expect(holds(compacted[0]!, 'Noor huilde')).toBe(false);
		expect(holds(compacted[0]!, 'Bedacht zonder netwerk')).toBe(true);

		FakeSocket.last!.close(1006, '');
		board.reconnect();
		await opened();
		syncStep2(FakeSocket.last!, server);
		await opened();
		expect(cache.compact).toHaveBeenCalledTimes(2);
		board.destroy();
	});

	it('a session destroyed, or its copy dropped, before the copy loaded compacts nothing', async () => {
		const destroyed = awayDevice();
		await opened();
		syncStep2(FakeSocket.last!, destroyed.server);
		destroyed.board.destroy();
		destroyed.load();
		await opened();
		expect(destroyed.cache.compact).not.toHaveBeenCalled();

		const dropped = awayDevice();
		await opened();
		syncStep2(FakeSocket.last!, dropped.server);
		FakeSocket.last!.onmessage?.({ data: new Uint8Array([101]).buffer });
		dropped.load();
		await opened();
		expect(dropped.cache.clearData).toHaveBeenCalledTimes(1);
		expect(dropped.cache.compact).not.toHaveBeenCalled();
		dropped.board.destroy();
	});

	it('a copy that cannot be compacted (private mode) leaves the board working', async () => {
		const { board, cache, server, load } = awayDevice();
		cache.compact.mockRejectedValue(new Error('QuotaExceededError'));
		load();
		await opened();
		syncStep2(FakeSocket.last!, server);
		await opened();
		expect(cache.compact).toHaveBeenCalledTimes(1);
		expect(board.synced).toBe(true);
		expect(board.ready).toBe(true);
		board.destroy();
	});
});
