/**
 * The browser's BoardSession after a final close, with a fake socket and offline cache: a
 * refused change (4400) drops the board's offline copy, so opening the board again starts from
 * the server's document instead of sending the refused edits once more; so does an erasure.
 */
import { describe, expect, it, vi } from 'vitest';
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
	const cache = { clearData: vi.fn(async () => {}), destroy: vi.fn(async () => {}) };
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
				openCache: () => ({ clearData: async () => {}, destroy: async () => {} })
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
