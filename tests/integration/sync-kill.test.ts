/**
 * KILL test: clients edit continuously while the server process is SIGKILLed at random
 * moments and restarted. Every edit acknowledged as saved must survive; edits that were not
 * acknowledged are re-sent by the clients on reconnect and everything converges.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db';
import { loadBoardDoc } from '../../server/persistence';
import { createTestDatabase, drivers, type Driver } from '../helpers/db';
import { loginToken, makeBoard, makeSchool, makeUser } from '../helpers/factories';
import { connectAckClient, eventually } from '../helpers/sync-client';

const KILLS = Number(process.env.SYNC_KILLS ?? 20);
// Bundled once with esbuild: a restart then costs the database boot, not a TypeScript compile.
// Inside node_modules/.cache so the bundle still finds drizzle/ by walking up.
const entry = path.resolve('node_modules/.cache/groeibord-kill/entry.mjs');

beforeAll(async () => {
	await build({
		entryPoints: [path.resolve('tests/helpers/sync-server-entry.ts')],
		bundle: true,
		platform: 'node',
		format: 'esm',
		packages: 'external',
		outfile: entry,
		logLevel: 'warning'
	});
});

function mulberry32(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

async function startServer(env: Record<string, string>): Promise<ChildProcess> {
	const child = spawn(process.execPath, [entry], {
		env: { ...process.env, ...env, LOG_LEVEL: 'error' },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	await new Promise<void>((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error('server did not start')), 30_000);
		child.stdout!.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			if (out.includes('READY')) {
				clearTimeout(timer);
				resolve();
			}
		});
		child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
	});
	return child;
}

function kill(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve();
		child.once('exit', () => resolve());
		child.kill('SIGKILL');
	});
}

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
		const random = mulberry32(20261123);
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
