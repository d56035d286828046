/**
 * `npm run bench`, part 4: what a compaction of the update log costs the server's thread, on
 * a board of BENCH_COMPACT_CARDS (300) cards of the real card model after 500 card moves (one
 * stored row each, as a board edited one move at a time stores them). A compaction runs inline
 * every SYNC_COMPACT_AFTER_UPDATES (500) stored updates of a board, so while it blocks the event
 * loop every board of the process waits.
 *
 * Per database (PGlite in memory; PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is
 * set): CPU ms of this process per compaction (`compactBoard`) and the longest time the event
 * loop was blocked during it (the largest gap between 1 ms timer ticks), median of
 * BENCH_COMPACT_ROUNDS (5) after one not counted.
 *
 * And the bytea codec on PGlite (src/lib/server/db/bytea.ts): CPU ms to write and read back one
 * compaction's bytes (the snapshot and 500 rows) with PGlite's own codec and with ours.
 */
import * as Y from 'yjs';
import { types } from '@electric-sql/pglite';
import { appendUpdates, compactBoard } from '../../src/lib/server/board-store';
import { parseBytea, serializeBytea } from '../../src/lib/server/db/bytea';
import { makeBoard, makeSchool, makeUser } from '../helpers/factories';
import { startTestRuntime } from '../helpers/runtime';
import { addCards, moveEdit } from './cards';
import { cpuMs, median } from './stats';

const ROUNDS = Number(process.env.BENCH_COMPACT_ROUNDS ?? 5);
const CARDS = Number(process.env.BENCH_COMPACT_CARDS ?? 300);
const ROWS = 500;
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

/** The longest the event loop went without running a 1 ms timer while `work` ran. */
async function blocked<T>(work: () => Promise<T>): Promise<{ result: T; longest: number }> {
	let last = performance.now();
	let longest = 0;
	const tick = setInterval(() => {
		const now = performance.now();
		longest = Math.max(longest, now - last);
		last = now;
	}, 1);
	try {
		const result = await work();
		await new Promise((resolve) => setTimeout(resolve, 2));
		return { result, longest };
	} finally {
		clearInterval(tick);
	}
}

interface Compaction {
	cpu: number;
	longest: number;
	snapshot: Uint8Array;
	rows: Uint8Array[];
}

async function compactions(driver: 'pglite' | 'postgres'): Promise<Compaction[]> {
	const rt = await startTestRuntime(driver);
	try {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const user = await makeUser(db, school.id);
		const board = await makeBoard(db, school.id, { members: [[user.id, 'owner']] });
		const doc = new Y.Doc();
		addCards(doc, CARDS, user.id);
		await appendUpdates(db, board.id, [Y.encodeStateAsUpdate(doc)]);
		await compactBoard(db, board.id);
		const out: Compaction[] = [];
		let n = 0;
		for (let round = 0; round <= ROUNDS; round++) {
			const rows: Uint8Array[] = [];
			for (let i = 0; i < ROWS; i++) {
				const before = Y.encodeStateVector(doc);
				moveEdit(doc, n++);
				rows.push(Y.encodeStateAsUpdate(doc, before));
				await appendUpdates(db, board.id, [rows.at(-1)!]);
			}
			const start = cpuMs();
			const { longest } = await blocked(() => compactBoard(db, board.id));
			const cpu = cpuMs() - start;
			if (round > 0) out.push({ cpu, longest, snapshot: Y.encodeStateAsUpdate(doc), rows });
		}
		return out;
	} finally {
		await rt.close();
	}
}

/** CPU ms to write and read back a snapshot and its rows through a codec. */
function codecMs(
	serialize: (bytes: Uint8Array) => string,
	parse: (text: string) => Uint8Array,
	c: Compaction
): number {
	const start = cpuMs();
	for (const bytes of [c.snapshot, ...c.rows]) {
		if (parse(serialize(bytes)).byteLength !== bytes.byteLength)
			throw new Error('codec lost bytes');
	}
	return cpuMs() - start;
}

const drivers: Array<'pglite' | 'postgres'> = pgUrl ? ['pglite', 'postgres'] : ['pglite'];
if (pgUrl) process.env.TEST_DATABASE_URL = pgUrl;
console.log(`\nOne compaction of ${ROWS} rows on a ${CARDS}-card board (median of ${ROUNDS})\n`);
console.log('| database | CPU ms | longest event-loop block ms | snapshot KiB |');
console.log('|---|---|---|---|');
let sample: Compaction | undefined;
for (const driver of drivers) {
	const runs = await compactions(driver);
	sample ??= runs.at(-1);
	console.log(
		`| ${driver} | ${median(runs.map((r) => r.cpu)).toFixed(1)} | ${median(runs.map((r) => r.longest)).toFixed(1)} | ${(runs.at(-1)!.snapshot.byteLength / 1024).toFixed(0)} |`
	);
}
if (sample) {
	const own = types.serializers[types.BYTEA]!;
	const ownParse = types.parsers[types.BYTEA]! as (text: string) => Uint8Array;
	const theirs: number[] = [];
	const ours: number[] = [];
	for (let i = 0; i <= ROUNDS; i++) {
		const t = codecMs(own, ownParse, sample);
		const o = codecMs(serializeBytea, parseBytea, sample);
		if (i === 0) continue;
		theirs.push(t);
		ours.push(o);
	}
	const [t, o] = [median(theirs), median(ours)];
	console.log(
		`\nbytea codec, CPU ms to write and read one compaction's bytes (median of ${ROUNDS})\n`
	);
	console.log("| PGlite's own | ours | ours ÷ own |");
	console.log('|---|---|---|');
	console.log(`| ${t.toFixed(1)} | ${o.toFixed(2)} | ${(o / t).toFixed(3)} |`);
}
