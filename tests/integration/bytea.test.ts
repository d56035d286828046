/**
 * Board documents are bytea: on PGlite through our native hex codec (src/lib/server/db/bytea.ts),
 * on PostgreSQL through postgres.js. Whatever goes in comes back byte for byte, on both, and the
 * codec writes exactly what PGlite's own would (seeded, replayable sizes and bytes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { parseBytea, serializeBytea } from '../../src/lib/server/db/bytea';
import { boardUpdate } from '../../src/lib/server/db/schema';
import { drivers } from '../helpers/db';
import { makeBoard, makeSchool } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/** A small seeded generator (mulberry32), so a failure replays. */
function bytesOf(seed: number, length: number): Uint8Array {
	let a = seed >>> 0;
	const out = new Uint8Array(length);
	for (let i = 0; i < length; i++) {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		out[i] = (t ^ (t >>> 14)) & 0xff;
	}
	return out;
}

const sizes = [0, 1, 2, 15, 60, 255, 4096, 4097, 150_000];
const samples = sizes.map((size, i) => bytesOf(1000 + i, size));

describe('the bytea codec', () => {
	it('writes what PGlite’s own serializer writes, and reads it back', () => {
		const own = types.serializers[types.BYTEA]!;
		for (const bytes of [...samples, Uint8Array.from({ length: 256 }, (_, i) => i)]) {
			const text = serializeBytea(bytes);
			expect(text).toBe(own(bytes));
			expect(parseBytea(text)).toEqual(bytes);
		}
		// A view into a larger buffer: only the view's bytes.
		const whole = bytesOf(7, 64);
		expect(parseBytea(serializeBytea(whole.subarray(10, 20)))).toEqual(whole.slice(10, 20));
	});

	it('refuses what is not bytes or not hex', () => {
		expect(() => serializeBytea('abc')).toThrow();
		expect(() => parseBytea('abc')).toThrow();
		expect(() => parseBytea('\\x0g')).toThrow();
		expect(() => parseBytea('\\x012')).toThrow();
	});
});

describe.each(drivers)('bytea round trip (%s)', (driver) => {
	let rt: TestRuntime;
	let boardId: string;
	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const db = rt.database.db;
		boardId = (await makeBoard(db, (await makeSchool(db)).id)).id;
	});
	afterAll(() => rt.close());

	it('stores and returns every byte', async () => {
		const db = rt.database.db;
		const ids = await db
			.insert(boardUpdate)
			.values(samples.map((data) => ({ boardId, data })))
			.returning({ id: boardUpdate.id });
		const rows = await db
			.select({ id: boardUpdate.id, data: boardUpdate.data })
			.from(boardUpdate)
			.where(eq(boardUpdate.boardId, boardId))
			.orderBy(boardUpdate.id);
		expect(rows.map((r) => r.id)).toEqual(ids.map((r) => r.id));
		rows.forEach((row, i) => expect(row.data).toEqual(samples[i]));
	});
});
