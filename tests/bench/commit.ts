/**
 * `npm run bench`, part 3: the server's CPU per one-row commit of the update log (the common
 * group commit on a board edited one card move at a time), three ways:
 *
 * - `transaction`: BEGIN, a drizzle-built INSERT, COMMIT (what every commit was before);
 * - `one statement`: the drizzle-built INSERT alone (atomic by itself);
 * - `prepared`: what the group commit does now (`appendUpdates` of one update: the INSERT built
 *   once per database, see `appendBoards` in src/lib/server/board-store.ts).
 *
 * CPU time of this process (process.cpuUsage), so the numbers hold on a busy machine too; on
 * PostgreSQL the server's own work is not in them. PGlite in memory, and PostgreSQL when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL is set (tables made in a fresh database). Median of
 * BENCH_COMMIT_ROUNDS (5) rounds of 500 commits each, after one round not counted.
 */
import { boardUpdate } from '../../src/lib/server/db/schema';
import { appendUpdates } from '../../server/persistence';
import { makeBoard, makeSchool, makeUser } from '../helpers/factories';
import { startTestRuntime } from '../helpers/runtime';
import { cpuMs, median } from './stats';

const ROUNDS = Number(process.env.BENCH_COMMIT_ROUNDS ?? 5);
const COMMITS = 500;
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

async function perCommit(commit: () => Promise<unknown>): Promise<number> {
	const start = cpuMs();
	for (let i = 0; i < COMMITS; i++) await commit();
	return (cpuMs() - start) / COMMITS;
}

async function measure(driver: 'pglite' | 'postgres') {
	const rt = await startTestRuntime(driver);
	try {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const user = await makeUser(db, school.id);
		const board = await makeBoard(db, school.id, { members: [[user.id, 'owner']] });
		// About a card move's size.
		const data = new Uint8Array(60).fill(7);
		const row = { boardId: board.id, data };
		const ways = {
			transaction: () => db.transaction((tx) => tx.insert(boardUpdate).values([row])),
			'one statement': () => db.insert(boardUpdate).values([row]),
			prepared: () => appendUpdates(db, board.id, [data])
		};
		const samples = new Map<string, number[]>(Object.keys(ways).map((k) => [k, []]));
		for (let round = 0; round <= ROUNDS; round++) {
			for (const [name, commit] of Object.entries(ways)) {
				const ms = await perCommit(commit);
				if (round > 0) samples.get(name)!.push(ms);
			}
		}
		return new Map([...samples].map(([k, v]) => [k, median(v)]));
	} finally {
		await rt.close();
	}
}

const drivers: Array<'pglite' | 'postgres'> = pgUrl ? ['pglite', 'postgres'] : ['pglite'];
if (pgUrl) process.env.TEST_DATABASE_URL = pgUrl;
console.log(`\nCPU ms per one-row commit of the update log (median of ${ROUNDS} × ${COMMITS})\n`);
console.log('| database | transaction | one statement | prepared (now) | now ÷ transaction |');
console.log('|---|---|---|---|---|');
for (const driver of drivers) {
	const m = await measure(driver);
	const t = m.get('transaction')!;
	const p = m.get('prepared')!;
	console.log(
		`| ${driver} | ${t.toFixed(3)} | ${m.get('one statement')!.toFixed(3)} | ${p.toFixed(3)} | ${(p / t).toFixed(2)} |`
	);
}
