/**
 * Our sync server as the app runs it (server/app.ts), on PGlite in memory or, when
 * BENCH_DATABASE_URL is set, on a fresh PostgreSQL database. One staff login drives every
 * bench client, so the per-session and per-second caps (meant for people) are raised.
 * BENCH_PORT: listen there instead of on a free port (B6 restarts on the same port).
 * BENCH_FANOUT_REDIS_URL (B10): fan out through that Redis as server/boot.ts does with
 * REDIS_URL, with the key prefix BENCH_FANOUT_PREFIX (a variable of its own, so a REDIS_URL in
 * the bench's environment never turns fan-out on for the other workloads).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { loadConfig } from '../../../src/lib/server/config';
import { openDatabase } from '../../../src/lib/server/db';
import { setRuntime, type Runtime } from '../../../src/lib/server/runtime';
import { boardSnapshot, boardUpdate } from '../../../src/lib/server/db/schema';
import * as Y from 'yjs';
import { openRedis } from '../../../src/lib/server/redis';
import { startAppServer } from '../../../server/app';
import type { SyncServiceExtras } from '../../../server/sync';
import { appendUpdates, compactBoard } from '../../../server/persistence';
import { loginToken, makeBoard, makeSchool, makeUser } from '../../helpers/factories';
import { startTestRuntime } from '../../helpers/runtime';
import { addCards, quickMove } from '../cards';
import { serve } from './control';

const url = process.env.BENCH_DATABASE_URL;
const redisUrl = process.env.BENCH_FANOUT_REDIS_URL;
if (url) process.env.TEST_DATABASE_URL = url;
const env = {
	SYNC_MAX_MESSAGES_PER_SECOND: '100000',
	SYNC_MAX_CONNECTIONS_PER_SESSION: '100000',
	// Rooms stay loaded for the whole bench, except where it measures unloading (B8: the app's
	// default when BENCH_ROOM_UNLOAD_MS is 'default').
	...(process.env.BENCH_ROOM_UNLOAD_MS === 'default'
		? {}
		: { SYNC_ROOM_UNLOAD_MS: process.env.BENCH_ROOM_UNLOAD_MS ?? String(60 * 60_000) }),
	SYNC_IDLE_TIMEOUT_MS: String(60 * 60_000),
	...(redisUrl
		? {
				REDIS_URL: redisUrl,
				REDIS_KEY_PREFIX: process.env.BENCH_FANOUT_PREFIX ?? 'groeibord-bench:'
			}
		: {})
};

/**
 * BENCH_STATE_DIR (B6, B7, B10): storage that outlives this process, so a restarted server
 * opens what the killed one stored: a file-backed PGlite there, or the PostgreSQL database
 * named in BENCH_DATABASE_URL as is; the login and school are kept in `state.json` beside it.
 * A second instance started on the same directory and database (B10, after the first is
 * ready) takes the first one's login, so boards made through either serve clients of both.
 */
const stateDir = process.env.BENCH_STATE_DIR;
async function persistentRuntime(dir: string) {
	const database = await openDatabase(
		url ? { databaseUrl: url, dataDir: '' } : { dataDir: path.join(dir, 'pgdata') }
	);
	const runtime: Runtime = {
		config: loadConfig({ NODE_ENV: 'test', DATA_DIR: 'memory://', ...env }),
		database,
		services: {},
		closers: []
	};
	setRuntime(runtime);
	return { runtime, database };
}
const rt = stateDir
	? await persistentRuntime(stateDir)
	: await startTestRuntime(url ? 'postgres' : 'pglite', env);
if (redisUrl) {
	// What server/boot.ts does with REDIS_URL: the sync server finds it in the runtime.
	const redis = await openRedis(redisUrl);
	rt.runtime.services.redis = redis;
	rt.runtime.services.redisPing = async () => void (await redis.ping());
}
const app = await startAppServer(rt.runtime, undefined, {
	port: Number(process.env.BENCH_PORT ?? 0),
	host: '127.0.0.1'
});
const db = rt.database.db;
const stateFile = stateDir ? path.join(stateDir, 'state.json') : null;
const kept =
	stateFile && existsSync(stateFile)
		? (JSON.parse(readFileSync(stateFile, 'utf8')) as {
				schoolId: string;
				userId: string;
				token: string;
			})
		: null;
const school = kept ? { id: kept.schoolId } : await makeSchool(db);
const user = kept ? { id: kept.userId } : await makeUser(db, school.id);
const token = kept ? kept.token : await loginToken(db, { id: user.id, schoolId: school.id });
if (stateFile && !kept) {
	writeFileSync(stateFile, JSON.stringify({ schoolId: school.id, userId: user.id, token }));
}

async function newBoards(count: number): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		ids.push((await makeBoard(db, school.id, { members: [[user.id, 'owner']] })).id);
	}
	return ids;
}

serve(
	{
		url: app.url.replace(/^http/, 'ws') + '/sync',
		framing: 'yws',
		syncs: true,
		headers: { cookie: `groeibord_session=${token}` },
		query: 'saved=1',
		actor: user.id
	},
	{
		boards: async (arg) => newBoards((arg as { count: number }).count),
		/** Boards held in memory now (B8's unload delay). */
		loaded: async () => (app.sync as unknown as SyncServiceExtras).rooms.size,
		/** B9: bytes stored for a board (log rows + snapshot), once nothing is queued. */
		storedBytes: async (arg) => {
			const { board } = arg as { board: string };
			const room = await (app.sync as unknown as SyncServiceExtras).rooms.get(board);
			await room?.flush();
			const bytes = async (table: typeof boardUpdate | typeof boardSnapshot) => {
				const [row] = await db
					.select({ n: sql<string>`coalesce(sum(octet_length(${table.data})), 0)` })
					.from(table)
					.where(eq(table.boardId, board));
				return Number(row?.n ?? 0);
			};
			return (await bytes(boardUpdate)) + (await bytes(boardSnapshot));
		},
		/** Boards stored but not in memory: a snapshot of `cards` cards plus `rows` log rows. */
		cold: async (arg) => {
			const { count, cards, rows } = arg as { count: number; cards: number; rows: number };
			// One board's history, stored under each id (the same bytes, so seeding stays quick).
			const doc = new Y.Doc();
			addCards(doc, cards, user.id);
			const snapshot = Y.encodeStateAsUpdate(doc);
			const updates: Uint8Array[] = [];
			doc.on('update', (u: Uint8Array) => updates.push(u));
			for (let n = 0; n < rows; n++) quickMove(doc, n);
			doc.destroy();
			const ids = await newBoards(count);
			for (const id of ids) {
				await appendUpdates(db, id, [snapshot]);
				await compactBoard(db, id);
				await appendUpdates(db, id, updates);
			}
			return ids;
		}
	}
);
