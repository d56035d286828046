/**
 * Deleting a board's offline copy waits for the browser to have deleted it: a page that reloads
 * right after an erasure must not open the old copy (y-indexeddb's own `clearData` only starts
 * the deletion). A fake `indexedDB` lets the test decide when the deletion completes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deleteDatabase } from '../../src/lib/client-storage';

interface FakeRequest {
	onsuccess: (() => void) | null;
	onerror: (() => void) | null;
	onblocked: (() => void) | null;
}

function fakeIndexedDb() {
	const requests: FakeRequest[] = [];
	vi.stubGlobal('indexedDB', {
		deleteDatabase: vi.fn(() => {
			const request: FakeRequest = { onsuccess: null, onerror: null, onblocked: null };
			requests.push(request);
			return request;
		})
	});
	return requests;
}

async function settled(promise: Promise<void>) {
	let done = false;
	void promise.then(() => (done = true));
	await new Promise((resolve) => setTimeout(resolve, 0));
	return done;
}

describe('deleting an offline copy', () => {
	afterEach(() => {
		vi.unstubAllGlobals();
		vi.useRealTimers();
	});

	it('resolves only once the browser has deleted the database', async () => {
		const requests = fakeIndexedDb();
		const deleting = deleteDatabase('groeibord-board-b1');
		expect(await settled(deleting)).toBe(false);
		requests[0]!.onsuccess!();
		expect(await settled(deleting)).toBe(true);
	});

	it('waits for another tab that holds it open, but not for ever', async () => {
		vi.useFakeTimers();
		const requests = fakeIndexedDb();
		let done = false;
		void deleteDatabase('groeibord-board-b1', 3000).then(() => (done = true));
		requests[0]!.onblocked!();
		await vi.advanceTimersByTimeAsync(2000);
		expect(done).toBe(false);
		await vi.advanceTimersByTimeAsync(1500);
		expect(done).toBe(true);
	});
});
