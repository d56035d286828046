/**
 * StoredClock (server/stored-clock.ts): what the saved-ack may claim with fan-out. Per client,
 * the clock below which every struct is known stored; a range that starts beyond it waits until
 * its predecessor is known stored.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { StoredClock } from '../../server/stored-clock';

/** A writer with a fixed client id; each `write` is one update (one struct per character). */
function writer(clientID: number) {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	return {
		doc,
		write(text: string): Uint8Array {
			let update: Uint8Array | undefined;
			const take = (u: Uint8Array) => (update = u);
			doc.on('update', take);
			doc.getText('t').insert(doc.getText('t').length, text);
			doc.off('update', take);
			return update!;
		},
		remove(): Uint8Array {
			let update: Uint8Array | undefined;
			const take = (u: Uint8Array) => (update = u);
			doc.on('update', take);
			doc.getText('t').delete(0, 1);
			doc.off('update', take);
			return update!;
		}
	};
}

const clocks = (clock: StoredClock) => Object.fromEntries(Y.decodeStateVector(clock.encode()));

describe('StoredClock', () => {
	it('starts from the loaded state vector and covers what it holds', () => {
		const w = writer(7);
		const first = w.write('abc');
		const clock = new StoredClock(Y.encodeStateVector(w.doc));
		expect(clocks(clock)).toEqual({ 7: 3 });
		expect(clock.covers(first)).toBe(true);
		expect(clock.covers(w.write('d'))).toBe(false);
	});

	it('advances by a contiguous update, and not by one of another client', () => {
		const w = writer(7);
		const other = writer(8);
		const clock = new StoredClock(Y.encodeStateVector(new Y.Doc()));
		const ab = w.write('ab');
		clock.addUpdate(ab);
		expect(clocks(clock)).toEqual({ 7: 2 });
		expect(clock.covers(ab)).toBe(true);
		expect(clock.covers(other.write('x'))).toBe(false);
	});

	it('holds a range beyond a gap until its predecessor is stored, then takes both', () => {
		const w = writer(7);
		const clock = new StoredClock(Y.encodeStateVector(new Y.Doc()));
		const first = w.write('ab');
		const second = w.write('cd');
		clock.addUpdate(second);
		// Structs 2-3 stored, 0-1 not: nothing may be acknowledged yet.
		expect(clocks(clock)).toEqual({});
		expect(clock.covers(second)).toBe(false);
		clock.addUpdate(first);
		expect(clocks(clock)).toEqual({ 7: 4 });
		expect(clock.covers(first) && clock.covers(second)).toBe(true);
	});

	it('settles a chain of waiting ranges in any arrival order', () => {
		const w = writer(7);
		const parts = [w.write('a'), w.write('bc'), w.write('d'), w.write('efg')];
		const clock = new StoredClock(Y.encodeStateVector(new Y.Doc()));
		for (const k of [3, 1, 2]) clock.addUpdate(parts[k]!);
		expect(clocks(clock)).toEqual({});
		clock.addUpdate(parts[0]!);
		expect(clocks(clock)).toEqual({ 7: 7 });
	});

	it('ignores a range it already covers, and a stored state vector never lowers a clock', () => {
		const w = writer(7);
		const first = w.write('ab');
		w.write('cd');
		const clock = new StoredClock(Y.encodeStateVector(w.doc));
		clock.addUpdate(first);
		expect(clocks(clock)).toEqual({ 7: 4 });
		const older = writer(7);
		older.write('a');
		clock.addStateVector(Y.encodeStateVector(older.doc));
		expect(clocks(clock)).toEqual({ 7: 4 });
	});

	it('a stored state vector fills a gap and releases what waited behind it', () => {
		const w = writer(7);
		const clock = new StoredClock(Y.encodeStateVector(new Y.Doc()));
		w.write('ab');
		const snapshotVector = Y.encodeStateVector(w.doc);
		const later = w.write('cd');
		clock.addUpdate(later);
		expect(clocks(clock)).toEqual({});
		clock.addStateVector(snapshotVector);
		expect(clocks(clock)).toEqual({ 7: 4 });
	});

	it('an update that only deletes adds no struct: it is covered and changes no clock', () => {
		const w = writer(7);
		w.write('ab');
		const clock = new StoredClock(Y.encodeStateVector(w.doc));
		const deletion = w.remove();
		expect(clock.covers(deletion)).toBe(true);
		clock.addUpdate(deletion);
		expect(clocks(clock)).toEqual({ 7: 2 });
	});
});
