/**
 * KILL test: clients edit continuously while the server process is SIGKILLed at random
 * moments and restarted. Every edit acknowledged as saved must survive; edits that were not
 * acknowledged are re-sent by the clients on reconnect and everything converges.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db';
import { loadBoardDoc } from '../../server/persistence';
import { createTestDatabase, drivers, type Driver } from '../helpers/db';
import { loginToken, makeBoard, makeSchool, makeUser } from '../helpers/factories';
import { bundleServerEntry, killProcess, startServerProcess } from '../helpers/child-server';
import { seededRandom } from '../helpers/random';
import { connectAckClient, eventually } from '../helpers/sync-client';

const KILLS = Number(process.env.SYNC_KILLS ?? 20);
// Bundled once with esbuild: a restart then costs the database boot, not a TypeScript compile.
// Inside node_modules/.cache so the bundle still finds drizzle/ by walking up.
const entry = path.resolve('node_modules/.cache/groeibord-kill/entry.mjs');

beforeAll(() => bundleServerEntry(entry));

async function startServer(env: Record<string, string>): Promise<ChildProcess> {
	return (await startServerProcess(entry, env)).process;
}

const kill = killProcess;

describe.each(drivers)('sync survives SIGKILL (%s)', (driver: Driver) => {
	const cleanups: Array<() => Promise<void> | void> = [];
	afterAll(async () => {
		for (const c of cleanups.reverse()) await c();
	});

	it(`keeps every acknowledged edit through ${KILLS} kills`, { timeout: 180_000 }, async () => {
		const port = driver === 'pglite' ? 4151 : 4152;
		let env: Record<string, string>;
		let open: () => Promise<DatabaseHandle>;
		let seedDb: DatabaseHandle;
		if (driver === 'pglite') {
			const dir = mkdtempSync(path.join(tmpdir(), 'groeibord-kill-'));
			cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
			env = { DATA_DIR: dir, PORT: String(port) };
			open = () => openDatabase({ dataDir: dir });
			seedDb = await open();
		} else {
			const db = await createTestDatabase('postgres');
			cleanups.push(() => db.destroy());
			env = { DATABASE_URL: db.url!, DATA_DIR: 'memory://', PORT: String(port) };
			open = async () => db;
			seedDb = db;
		}
		const s = await makeSchool(seedDb.db);
		const u = await makeUser(seedDb.db, s.id);
		const b = await makeBoard(seedDb.db, s.id, { members: [[u.id, 'owner']] });
		const token = await loginToken(seedDb.db, u);
		if (driver === 'pglite') await seedDb.close();

		let server = await startServer(env);
		cleanups.push(() => kill(server));
		const url = `http://127.0.0.1:${port}`;
		const random = seededRandom(20261123);
		const clients = [0, 1, 2].map(() => connectAckClient(url, b.id, token));
		cleanups.push(() => clients.forEach((c) => c.destroy()));
		await eventually(() => clients.every((c) => c.provider.synced), 15_000);

		// Every edit remembers (clientID, clock after it); acked = covered by a `saved` message.
		const edits: Array<{ key: string; client: number; clock: number }> = [];
		const acked = new Set<string>();
		let counter = 0;
		const editing = setInterval(() => {
			for (const [i, c] of clients.entries()) {
				const key = `${i}-${counter}`;
				// One check-in per edit: the board's schema only takes board content (update-rules.ts).
				c.doc.getMap('checkins').set(key, { name: key, value: 1, word: String(counter), at: '' });
				edits.push({ key, client: c.doc.clientID, clock: Y.getState(c.doc.store, c.doc.clientID) });
			}
			counter++;
			for (const c of clients) {
				const stored = c.stored();
				for (const e of edits) {
					if (e.client === c.doc.clientID && (stored.get(e.client) ?? 0) >= e.clock)
						acked.add(e.key);
				}
			}
		}, 15);

		for (let k = 0; k < KILLS; k++) {
			await new Promise((r) => setTimeout(r, 200 + random() * 800));
			await kill(server);
			await new Promise((r) => setTimeout(r, random() * 300));
			server = await startServer(env);
		}
		clearInterval(editing);
		const ackedBefore = new Set(acked);
		expect(ackedBefore.size).toBeGreaterThan(0);

		await eventually(
			() => clients.every((c) => c.provider.synced && c.isSaved()),
			30_000,
			'clients never got every edit saved after the last restart'
		);
		await kill(server);
		const db = await open();
		const { doc } = await loadBoardDoc(db.db, b.id);
		if (driver === 'pglite') await db.close();
		const stored = doc.getMap('checkins');
		for (const key of ackedBefore) expect(stored.has(key), `acked edit ${key} lost`).toBe(true);
		// Un-acked edits were re-sent: everything every client made is stored.
		expect(stored.size).toBe(edits.length);
		for (const c of clients) expect(c.doc.getMap('checkins').toJSON()).toEqual(stored.toJSON());
	});
});
