import { describe, expect, it } from 'vitest';
import { batched } from '../../server/batch';

describe('batched', () => {
	it('loads what is asked in one turn with one call, each caller getting its own answer', async () => {
		const calls: number[][] = [];
		const load = batched(async (keys: number[]) => {
			calls.push(keys);
			return keys.map((k) => k * 10);
		});
		expect(await Promise.all([load(1), load(2), load(3)])).toEqual([10, 20, 30]);
		expect(await load(4)).toBe(40);
		expect(calls).toEqual([[1, 2, 3], [4]]);
	});

	it('splits beyond the batch size and keeps the order', async () => {
		const sizes: number[] = [];
		const load = batched(async (keys: number[]) => {
			sizes.push(keys.length);
			return keys.map((k) => -k);
		}, 4);
		const keys = Array.from({ length: 10 }, (_, i) => i);
		expect(await Promise.all(keys.map(load))).toEqual(keys.map((k) => -k));
		expect(sizes).toEqual([4, 4, 2]);
	});

	it('a failed load fails every caller of that batch, and the next batch loads again', async () => {
		let fail = true;
		const load = batched(async (keys: string[]) => {
			if (fail) throw new Error('database down');
			return keys;
		});
		const results = await Promise.allSettled([load('a'), load('b')]);
		expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
		fail = false;
		expect(await load('c')).toBe('c');
	});

	it('while a load runs, new requests wait and go to the database together after it', async () => {
		const calls: string[][] = [];
		let finish = () => {};
		const load = batched(async (keys: string[]) => {
			calls.push(keys);
			if (calls.length === 1) await new Promise<void>((resolve) => (finish = resolve));
			return keys;
		});
		const first = load('a');
		await new Promise((resolve) => setImmediate(resolve));
		const later = ['b', 'c', 'd'].map(load);
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(calls).toEqual([['a']]);
		finish();
		expect(await Promise.all([first, ...later])).toEqual(['a', 'b', 'c', 'd']);
		expect(calls).toEqual([['a'], ['b', 'c', 'd']]);
	});
});
