/**
 * Two app instances on one database and one Redis (server/fanout.ts): edits and presence
 * cross between them, an access change on one closes sockets on both, losing an instance
 * loses no acknowledged edit, and a Redis interruption heals without a restart.
 *
 * Needs Redis: TEST_REDIS_URL (.ci/run sets it). In CI a missing Redis fails these tests
 * rather than skipping them. Every run uses its own key prefix, so parallel runs never meet.
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { startAppServer, type AppServer } from '../../server/app';
import { RedisFanout, type FanoutRoom } from '../../server/fanout';
import { entryFields } from '../../server/fanout-entry';
import { log } from '../../server/log';
import { GET as healthz } from '../../src/routes/healthz/+server';
import { loadBoardDoc } from '../../server/persistence';
import { randomString } from '../../src/lib/server/auth/tokens';
import { addCard, cardsMap, updateCard } from '../../src/lib/board/verbeterbord';
import { editBoardDoc } from '../../src/lib/server/board-edit';
import { eraseCard, eraseStudentData } from '../../src/lib/server/privacy/erase';
import { accessChanged } from '../../src/lib/server/access-events';
import { setStaffActive } from '../../src/lib/server/access/staff';
import { invalidateSession, validateSessionToken } from '../../src/lib/server/auth/session';
import {
	createBoardInvite,
	joinWithInvite,
	revokeBoardInvite
} from '../../src/lib/server/access/sharing';
import { loadConfig } from '../../src/lib/server/config';
import type { DatabaseHandle } from '../../src/lib/server/db';
import { openRedis } from '../../src/lib/server/redis';
import type { Runtime } from '../../src/lib/server/runtime';
import { drivers } from '../helpers/db';
import { tablesContaining } from '../helpers/byte-search';
import { connectRecording, entriesOf } from '../helpers/family';
import {
	asUser,
	guestToken,
	loginToken,
	makeBoard,
	makeSchool,
	makeStudent,
	makeUser,
	testPolicy
} from '../helpers/factories';
import { seededRandom } from '../helpers/random';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import {
	closeCode,
	connectAckClient,
	connectClient,
	eventually,
	rawSocket,
	syncOf,
	type TestClient
} from '../helpers/sync-client';
import { bundleServerEntry, killProcess, startServerProcess } from '../helpers/child-server';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

const redisUrl =
	process.env.TEST_REDIS_URL ?? (process.env.CI ? 'redis://127.0.0.1:6379' : undefined);

// The child instance for the SIGKILL test, bundled once (as in sync-kill.test.ts).
const entry = path.resolve('node_modules/.cache/groeibord-scale/entry.mjs');

interface Instance {
	app: AppServer;
	runtime: Runtime;
	close(): Promise<void>;
}

/**
 * An app instance on `database`. Instance A runs on the test runtime (the process-wide one
 * routes announce access changes on); the others get runtimes of their own, so an access
 * change reaches them only through Redis, as it would in another process.
 */
async function startInstance(
	database: DatabaseHandle,
	url: string,
	prefix: string,
	shared?: Runtime
): Promise<Instance> {
	const redis = await openRedis(url);
	const config = loadConfig({
		NODE_ENV: 'test',
		DATA_DIR: 'memory://',
		REDIS_URL: url,
		REDIS_KEY_PREFIX: prefix,
		SYNC_ROOM_UNLOAD_MS: '500'
	});
	const runtime: Runtime = shared ?? { config, database, services: {}, closers: [] };
	runtime.config = config;
	runtime.services.redis = redis;
	// As server/boot.ts does: what /healthz asks.
	runtime.services.redisPing = async () => void (await redis.ping());
	const app = await startAppServer(runtime, undefined, { port: 0, host: '127.0.0.1' });
	return {
		app,
		runtime,
		close: async () => {
			await app.close();
			redis.disconnect();
			delete runtime.services.redis;
			delete runtime.services.redisPing;
		}
	};
}

/** `promise`'s value, or null when it takes longer than `ms` (well under the 30 s re-check). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
	return Promise.race([promise, new Promise<null>((r) => setTimeout(() => r(null), ms))]);
}

describe.skipIf(!redisUrl).each(drivers)('scale-out over Redis (%s)', (driver) => {
	let rt: TestRuntime;
	let prefix: string;
	const cleanups: Array<() => Promise<void> | void> = [];
	const clients: TestClient[] = [];

	beforeAll(() => bundleServerEntry(entry));

	beforeEach(async () => {
		prefix = `groeibord-test:${randomString(10)}:`;
		rt = await startTestRuntime(driver);
	});

	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
		const admin = new Redis(redisUrl!);
		const keys = await admin.keys(`${prefix}*`);
		if (keys.length > 0) await admin.del(...keys);
		admin.disconnect();
		await rt.close();
	});

	/** Instances A and B on one database and Redis; A may reach Redis at another address. */
	async function setup(aRedisUrl = redisUrl!) {
		const a = await startInstance(rt.database, aRedisUrl, prefix, rt.runtime);
		cleanups.push(() => a.close());
		const b = await startInstance(rt.database, redisUrl!, prefix);
		cleanups.push(() => b.close());
		const db = rt.database.db;
		const school = await makeSchool(db);
		const owner = await makeUser(db, school.id);
		const board = await makeBoard(db, school.id, { members: [[owner.id, 'owner']] });
		return { a, b, board, owner, token: await loginToken(db, owner) };
	}

	function track<T extends TestClient>(client: T): T {
		clients.push(client);
		return client;
	}

	it('an edit on one instance reaches a stock client of the other within a second', async () => {
		const { a, b, board, token } = await setup();
		const onA = track(connectClient(a.app.url, board.id, token));
		const onB = track(connectClient(b.app.url, board.id, token));
		await eventually(() => onA.provider.synced && onB.provider.synced);
		for (let k = 0; k < 5; k++) {
			onA.doc.getMap('checkins').set(`a${k}`, { name: `a${k}`, value: 1, word: '', at: '' });
			// Within a second is the promise of this test (not a latency measurement).
			await eventually(() => onB.doc.getMap('checkins').has(`a${k}`), 1_000, `a${k} not on B`);
			onB.doc.getMap('checkins').set(`b${k}`, { name: `b${k}`, value: 2, word: '', at: '' });
			await eventually(() => onA.doc.getMap('checkins').has(`b${k}`), 1_000, `b${k} not on A`);
		}
		// Each instance stored what its own clients wrote, once the other confirmed nothing extra.
		await eventually(async () => {
			const { doc } = await loadBoardDoc(rt.database.db, board.id);
			return doc.getMap('checkins').size === 10;
		});
	});

	it('presence crosses instances, with the name the server gave it', async () => {
		const { a, b, board, token, owner } = await setup();
		const onA = track(connectClient(a.app.url, board.id, token));
		const onB = track(connectClient(b.app.url, board.id, token));
		await eventually(() => onA.provider.synced && onB.provider.synced);
		onA.provider.awareness.setLocalStateField('cursor', { x: 1, y: 2 });
		const idA = onA.provider.awareness.clientID;
		await eventually(
			() => onB.provider.awareness.getStates().get(idA)?.cursor?.x === 1,
			1_000,
			'presence of A never reached B'
		);
		expect(onB.provider.awareness.getStates().get(idA)?.user?.name).toBe(owner.name);
		// Leaving is presence too.
		onA.destroy();
		await eventually(() => !onB.provider.awareness.getStates().has(idA), 2_000);
	});

	it('a deactivated staff member and an ended session are disconnected on both instances', async () => {
		const { a, b, board, owner } = await setup();
		const db = rt.database.db;
		const admin = await makeUser(db, board.schoolId, { role: 'admin' });
		const ownerToken = await loginToken(db, owner);
		const ownerSockets = [
			await rawSocket(a.app.url, board.id, ownerToken),
			await rawSocket(b.app.url, board.id, ownerToken)
		];
		const closedOwner = Promise.all(ownerSockets.map(closeCode));
		// As the logout action does: end the session, announce it (on A's runtime only).
		const sessionId = (await validateSessionToken(db, ownerToken, testPolicy))!.session.id;
		await invalidateSession(db, sessionId);
		accessChanged({ kind: 'session', sessionId });
		expect(await within(closedOwner, 5_000)).not.toBeNull();

		const otherToken = await loginToken(db, owner);
		const others = [
			await rawSocket(a.app.url, board.id, otherToken),
			await rawSocket(b.app.url, board.id, otherToken)
		];
		const closedOther = Promise.all(others.map(closeCode));
		expect(await setStaffActive(db, board.schoolId, admin.id, owner.id, false)).toEqual({
			ok: true
		});
		expect(await within(closedOther, 5_000)).not.toBeNull();
	});

	it('a server edit on an instance without the board open reaches the instance that has it', async () => {
		const { a, b, board, token } = await setup();
		const onB = track(connectClient(b.app.url, board.id, token));
		await eventually(() => onB.provider.synced);
		expect(syncOf(a.app).rooms.has(board.id)).toBe(false);
		const edit = await editBoardDoc(
			board.id,
			(doc) => doc.getMap('checkins').set('srv', { name: 'srv', value: 3, word: '', at: '' }),
			{},
			a.runtime
		);
		expect(edit.live).toBe(false);
		await eventually(() => onB.doc.getMap('checkins').has('srv'), 2_000, 'server edit not on B');
	});

	it('a revoked guest is disconnected on both instances', async () => {
		const { a, b, board, owner } = await setup();
		const db = rt.database.db;
		const invite = await createBoardInvite(
			db,
			board.id,
			{ role: 'editor', expiresHours: 24, singleUse: false, label: '' },
			owner.id
		);
		const joined = await joinWithInvite(db, invite.token, 'Ouder');
		if (!joined.ok) throw new Error(joined.reason);
		const onA = await rawSocket(a.app.url, board.id, joined.session.token);
		const onB = await rawSocket(b.app.url, board.id, joined.session.token);
		const closed = Promise.all([closeCode(onA), closeCode(onB)]);
		// Announced on A's runtime only; B learns it through Redis (its periodic re-check is 30 s).
		expect(await revokeBoardInvite(db, board.id, invite.invite.id)).toBe(true);
		const codes = await within(closed, 5_000);
		expect(codes).not.toBeNull();
		for (const code of codes!) expect([4401, 4403]).toContain(code);
		for (const ws of [onA, onB]) if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
	});

	it('malformed stream entries are skipped and logged; the instance keeps serving and later entries apply', async () => {
		const { a, b, board, token } = await setup();
		const warnings: string[] = [];
		const spy = vi.spyOn(log, 'warn').mockImplementation((message: string) => {
			warnings.push(message);
		});
		cleanups.push(() => spy.mockRestore());
		const onA = track(connectClient(a.app.url, board.id, token));
		const onB = track(connectClient(b.app.url, board.id, token));
		await eventually(() => onA.provider.synced && onB.provider.synced);
		const admin = new Redis(redisUrl!);
		cleanups.push(() => admin.disconnect());
		const key = `${prefix}board:${board.id}`;
		const garbage = Buffer.from([0xff, 0xfe, 0x07, 0x00, 0x13, 0x37, 0xff, 0xff]);
		const valid = new Y.Doc();
		valid.getMap('checkins').set('fromElsewhere', { name: 'x', value: 3, word: '', at: '' });
		const entries: Array<Array<string | Buffer>> = [
			['x', 'y'], // no kind, no instance
			['t', 'q', 'i', 'stranger'], // an unknown kind
			['t', 'u', 'i', 'stranger', 'n', 'many', 'd', garbage], // a sequence that is no number
			['t', 'u', 'i', 'stranger', 'n', '1', 'd', garbage], // bytes that are no Yjs update
			['t', 'a', 'i', 'stranger', 'd', garbage], // bytes that are no awareness update
			['t', 'v', 'i', 'stranger', 'd', garbage, 'r', '1'], // bytes that are no state vector
			['t', 'u', 'i', 'stranger', 'n', '2', 'd', Buffer.from(Y.encodeStateAsUpdate(valid))]
		];
		for (const fields of entries) await admin.xadd(key, '*', ...fields);

		// The valid entry after the broken ones applies, on B and on A alike.
		await eventually(
			() =>
				onB.doc.getMap('checkins').has('fromElsewhere') &&
				onA.doc.getMap('checkins').has('fromElsewhere'),
			2_000,
			'the valid entry never applied'
		);
		const skipped = warnings.filter((w) => w.startsWith('fanout: skipped'));
		// Six broken entries, each skipped by both instances.
		expect(skipped).toHaveLength(12);
		// Both instances keep serving and fanning out.
		onA.doc.getMap('checkins').set('after', { name: 'a', value: 1, word: '', at: '' });
		await eventually(() => onB.doc.getMap('checkins').has('after'), 1_000, 'A no longer reaches B');
		onB.doc.getMap('checkins').set('after2', { name: 'b', value: 2, word: '', at: '' });
		await eventually(
			() => onA.doc.getMap('checkins').has('after2'),
			1_000,
			'B no longer reaches A'
		);
		expect(syncOf(a.app).fanout?.connected()).toBe(true);
		expect(syncOf(b.app).fanout?.connected()).toBe(true);
	});

	it('a parent on one instance, staff on the other: no care card reaches the parent, who holds exactly the family view', async () => {
		const { a, b, board, owner, token } = await setup();
		const db = rt.database.db;
		const pupil = await makeStudent(db, board.schoolId, { mentorId: owner.id });
		const talk = await makeBoard(db, board.schoolId, {
			kind: 'zorgoverleg',
			studentId: pupil.id,
			members: [[owner.id, 'owner']]
		});
		const parent = await guestToken(db, talk.id, 'parent', owner.id, 'Moeder');
		const staff = track(connectClient(a.app.url, talk.id, token));
		await eventually(() => staff.provider.synced);
		addCard(staff.doc, { type: 'concerns', title: 'GEHEIM-vooraf', visibility: 'care' }, 'local', {
			id: 'care1'
		});
		addCard(
			staff.doc,
			{ type: 'successes', title: 'Thuis mag dit', visibility: 'family' },
			'local',
			{
				id: 'fam1'
			}
		);
		addCard(staff.doc, { type: 'goals', title: 'Voor iedereen' }, 'local', { id: 'all1' });

		const p = track(connectRecording(b.app.url, talk.id, parent.token));
		await eventually(() => p.provider.synced && cardsMap(p.doc).has('fam1'), 5_000);
		// Later changes cross the instances while both are connected, both ways.
		addCard(staff.doc, { type: 'goals', title: 'GEHEIM-later', visibility: 'care' }, 'local', {
			id: 'care2'
		});
		updateCard(staff.doc, 'care1', { body: 'GEHEIM-body' }, 'local');
		updateCard(staff.doc, 'fam1', { body: 'zichtbaar' }, 'local');
		addCard(p.doc, { type: 'successes', title: 'Van thuis' }, 'local', {
			id: 'home',
			createdBy: parent.actorKey,
			createdByName: 'Moeder'
		});
		await eventually(
			() =>
				JSON.stringify(entriesOf(p.doc)) === JSON.stringify(entriesOf(staff.doc, { family: true })),
			5_000,
			"the parent's document is not the family view"
		);
		expect(cardsMap(staff.doc).get('home')?.get('title')).toBe('Van thuis');
		expect(cardsMap(p.doc).get('fam1')?.get('body')).toBe('zichtbaar');
		expect(p.frames.length).toBeGreaterThan(0);
		for (const marker of ['GEHEIM-vooraf', 'GEHEIM-later', 'GEHEIM-body']) {
			expect(p.received(marker), marker).toBe(false);
		}
		expect(p.closeCodes).toEqual([]);
	});

	it('an erasure on one instance reaches the clients and the room of the other', async () => {
		const { a, b, board, token } = await setup();
		const db = rt.database.db;
		const admin = await makeUser(db, board.schoolId, { role: 'admin' });
		const marker = 'WISMIJ-schaal-4e1';
		const onA = track(connectClient(a.app.url, board.id, token));
		const onB = track(connectAckClient(b.app.url, board.id, token));
		let dropped = false;
		onB.provider.messageHandlers[101] = () => {
			dropped = true;
		};
		await eventually(() => onA.provider.synced && onB.provider.synced);
		addCard(onB.doc, { type: 'successes', title: marker }, 'local', { id: 'gone' });
		addCard(onB.doc, { type: 'successes', title: 'Blijft' }, 'local', { id: 'stays' });
		await eventually(() => cardsMap(onA.doc).has('gone') && onB.isSaved());
		const streamHolds = async (text: string) => {
			const redis = new Redis(redisUrl!);
			try {
				const entries = await redis.xrangeBuffer(`${prefix}board:${board.id}`, '-', '+');
				return entries.some(([, fields]) => fields.some((f) => f.includes(Buffer.from(text))));
			} finally {
				redis.disconnect();
			}
		};
		// The insert is on the board's stream, which trimming by age would keep up to a minute.
		expect(await streamHolds(marker)).toBe(true);

		const erased = await eraseCard(
			a.runtime,
			board.schoolId,
			{ kind: 'card', boardId: board.id, cardId: 'gone' },
			asUser(admin)
		);
		expect(erased).toBe('erased');
		await eventually(() => !cardsMap(onB.doc).has('gone'), 2_000, 'B still shows the card');
		await eventually(() => dropped, 2_000, 'B never told its client to drop its offline copy');
		const roomB = await syncOf(b.app).rooms.get(board.id);
		expect(roomB?.destroyed).toBe(false);
		const heldByB = Buffer.from(Y.encodeStateAsUpdate(roomB!.doc));
		expect(heldByB.includes(Buffer.from(marker))).toBe(false);
		expect(cardsMap(roomB!.doc).has('stays')).toBe(true);
		await eventually(async () => (await tablesContaining(db, marker)).length === 0);
		// Gone from the stream at once (XRANGE over every entry), and stays gone after B's answer.
		expect(await streamHolds(marker)).toBe(false);
		// Both rooms still serve the board: an edit after the trim reaches the other instance.
		addCard(onA.doc, { type: 'ideas', title: 'Na het wissen' }, 'local', { id: 'after' });
		await eventually(
			() => cardsMap(onB.doc).has('after'),
			2_000,
			'B missed an edit after the trim'
		);
		expect(await streamHolds(marker)).toBe(false);
	});

	it("erasing a student on one instance closes the student's boards on the other", async () => {
		const { a, b, board, owner, token } = await setup();
		const db = rt.database.db;
		const admin = await makeUser(db, board.schoolId, { role: 'admin' });
		const pupil = await makeStudent(db, board.schoolId, { mentorId: owner.id });
		const own = await makeBoard(db, board.schoolId, {
			kind: 'zorgoverleg',
			studentId: pupil.id,
			members: [[owner.id, 'owner']]
		});
		const ws = await rawSocket(b.app.url, own.id, token);
		const closed = closeCode(ws);
		await eventually(() => syncOf(b.app).rooms.has(own.id));

		expect(
			await eraseStudentData(a.runtime, board.schoolId, pupil.id, asUser(admin))
		).not.toBeNull();
		// Well before B's periodic access re-check (30 s).
		expect(await within(closed, 5_000)).toBe(4403);
		await eventually(() => !syncOf(b.app).rooms.has(own.id), 2_000, 'B still hosts the board');
	});

	it(
		driver === 'postgres'
			? 'SIGKILL of an instance while editing loses no acknowledged edit; its clients go on on the other'
			: 'stopping an instance while editing loses no acknowledged edit; its clients go on on the other',
		{ timeout: 60_000 },
		async () => {
			const { a, board, token } = await setup();
			// B as a child process on PostgreSQL, so it can really be killed; PGlite lives in
			// this process, so there B is the in-process instance, stopped.
			let kill: () => Promise<void>;
			let bUrl: string;
			if (driver === 'postgres') {
				const url = rt.database.url!;
				const child = await startServerProcess(entry, {
					DATABASE_URL: url,
					DATA_DIR: 'memory://',
					PORT: '0',
					REDIS_URL: redisUrl!,
					REDIS_KEY_PREFIX: prefix
				});
				bUrl = child.url;
				kill = () => killProcess(child.process);
				cleanups.push(kill);
			} else {
				const b = await startInstance(rt.database, redisUrl!, prefix);
				cleanups.push(() => b.close());
				bUrl = b.app.url;
				kill = () => b.close();
			}
			const random = seededRandom(20261206);
			const onA = track(connectAckClient(a.app.url, board.id, token));
			const onB = [0, 1].map(() => track(connectAckClient(bUrl, board.id, token)));
			const all = [onA, ...onB];
			await eventually(() => all.every((c) => c.provider.synced), 10_000);

			const edits: Array<{ key: string; client: number; clock: number; owner: number }> = [];
			const acked = new Set<string>();
			let counter = 0;
			const edit = () => {
				for (const [i, c] of all.entries()) {
					if (c.provider.wsconnected === false) continue;
					const key = `${i}-${counter}`;
					c.doc.getMap('checkins').set(key, { name: key, value: 1, word: '', at: '' });
					edits.push({
						key,
						client: c.doc.clientID,
						clock: Y.getState(c.doc.store, c.doc.clientID),
						owner: i
					});
				}
				counter++;
				for (const [i, c] of all.entries()) {
					const stored = c.stored();
					for (const e of edits) {
						if (e.owner === i && (stored.get(e.client) ?? 0) >= e.clock) acked.add(e.key);
					}
				}
			};
			const editing = setInterval(edit, 15);
			await new Promise((r) => setTimeout(r, 300 + random() * 700));
			await kill();
			clearInterval(editing);
			edit();
			const ackedBefore = new Set(acked);
			expect(ackedBefore.size).toBeGreaterThan(0);

			// B's clients reconnect to A with the documents they hold (a load balancer would
			// send them there; the stock provider only knows one URL).
			const moved = onB.map((c) => {
				const doc = c.doc;
				c.provider.destroy();
				return track(connectAckClient(a.app.url, board.id, token, doc));
			});
			const replicas = [onA, ...moved];
			await eventually(
				() => replicas.every((c) => c.provider.synced && c.isSaved()),
				20_000,
				'the moved clients never got every edit saved on A'
			);
			const { doc } = await loadBoardDoc(rt.database.db, board.id);
			const stored = doc.getMap('checkins');
			for (const key of ackedBefore) expect(stored.has(key), `acked edit ${key} lost`).toBe(true);
			// Unacknowledged edits were sent again by their clients: nothing is missing.
			expect(stored.size).toBe(edits.length);
			for (const c of replicas) expect(c.doc.getMap('checkins').toJSON()).toEqual(stored.toJSON());
		}
	);

	it(
		'Redis lost by one instance: /healthz says degraded (200), both recover and every replica converges',
		{ timeout: 60_000 },
		async () => {
			const target = new URL(redisUrl!);
			const proxy: TcpProxy = await startTcpProxy({
				host: target.hostname,
				port: Number(target.port || 6379)
			});
			cleanups.push(() => proxy.close());
			const proxied = new URL(redisUrl!);
			proxied.hostname = '127.0.0.1';
			proxied.port = String(proxy.port);
			// A reaches Redis through the proxy, B directly: cutting the proxy is "Redis restarted"
			// as far as A can tell, without disturbing anyone else's Redis.
			const { a: a2, b, board, token } = await setup(proxied.toString());

			const random = seededRandom(424242);
			const replicas = [
				track(connectAckClient(a2.app.url, board.id, token)),
				track(connectAckClient(a2.app.url, board.id, token)),
				track(connectAckClient(b.app.url, board.id, token)),
				track(connectAckClient(b.app.url, board.id, token))
			];
			await eventually(() => replicas.every((c) => c.provider.synced), 10_000);
			let n = 0;
			const step = () => {
				const c = replicas[Math.floor(random() * replicas.length)]!;
				const map = c.doc.getMap('checkins');
				const keys = [...map.keys()];
				if (keys.length > 3 && random() < 0.3)
					map.delete(keys[Math.floor(random() * keys.length)]!);
				else
					map.set(`k${n++}`, {
						name: `k${n}`,
						value: 1 + Math.floor(random() * 5),
						word: '',
						at: ''
					});
			};
			for (let k = 0; k < 30; k++) step();
			proxy.cut();
			// While cut: each instance serves its own clients and stores; the halves diverge.
			for (let k = 0; k < 60; k++) {
				step();
				await new Promise((r) => setTimeout(r, 10));
			}
			// A's /healthz (the process-wide runtime is A's): Redis down, but still serving.
			const health = await healthz({} as Parameters<typeof healthz>[0]);
			expect(health.status).toBe(200);
			expect(await health.json()).toEqual({ status: 'degraded', db: 'ok', redis: 'down' });
			await new Promise((r) => setTimeout(r, 1_000));
			proxy.restore();
			for (let k = 0; k < 30; k++) step();

			// Map order follows each replica's arrival order: compare sorted.
			const state = (doc: Y.Doc) =>
				JSON.stringify(
					Object.entries(doc.getMap('checkins').toJSON()).sort(([x], [y]) => (x < y ? -1 : 1))
				);
			const same = () => replicas.every((c) => state(c.doc) === state(replicas[0]!.doc));
			await eventually(
				() => same() && replicas.every((c) => c.isSaved()),
				20_000,
				'replicas diverge'
			).catch((error: unknown) => {
				// Which replica is stuck, and how (a diverged document or an unsaved one).
				for (const c of replicas) {
					console.log(`synced ${c.provider.synced} saved ${c.isSaved()} ${state(c.doc)}`);
				}
				throw error;
			});
			const { doc } = await loadBoardDoc(rt.database.db, board.id);
			expect(doc.getMap('checkins').toJSON()).toEqual(replicas[0]!.doc.getMap('checkins').toJSON());
			expect(syncOf(a2.app).fanout?.connected()).toBe(true);
			expect(await (await healthz({} as Parameters<typeof healthz>[0])).json()).toEqual({
				status: 'ok',
				db: 'ok',
				redis: 'ok'
			});
		}
	);
});

describe.skipIf(!redisUrl)('fan-out reading stalls', () => {
	it('an instance that stopped reading for longer than half the retention resyncs every hosted board', async () => {
		const prefix = `groeibord-test:${randomString(10)}:`;
		const redis = await openRedis(redisUrl!);
		const reloads: string[] = [];
		const fanout = new RedisFanout(redis, {
			prefix,
			retainMs: 6_000,
			loadStored: async (boardId) => {
				reloads.push(boardId);
				return Y.encodeStateAsUpdate(new Y.Doc());
			}
		});
		const empty = new Y.Doc();
		const room: FanoutRoom = {
			boardId: 'stalled-board',
			destroyed: false,
			applyRemote: () => {},
			confirmRemote: () => {},
			applyRemoteAwareness: () => {},
			ownAwareness: () => null,
			stateVector: () => Y.encodeStateVector(empty),
			diffFor: () => Y.encodeStateAsUpdate(empty),
			mergeStored: () => {}
		};
		try {
			fanout.start();
			await eventually(() => fanout.connected());
			fanout.join(room);
			// Reading normally (reads follow within a second): no resync.
			await new Promise((r) => setTimeout(r, 2_500));
			expect(reloads).toEqual([]);
			// The event loop blocked for longer than half the retention, Redis still connected.
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4_000);
			await eventually(() => reloads.length > 0, 3_000, 'no resync after the stall');
			expect(reloads).toEqual(['stalled-board']);
		} finally {
			await fanout.close();
			const keys = await redis.keys(`${prefix}*`);
			if (keys.length > 0) await redis.del(...keys);
			redis.disconnect();
		}
	});
});

/**
 * Reading that falls behind a busy stream while it still reads (server/fanout.ts
 * `#tooFarBehind`): the stream is filled with other instances' updates before the room joins,
 * their ids dated as far back as a slow reader would find them.
 */
describe.skipIf(!redisUrl)('fan-out reading behind a busy stream', () => {
	const retainMs = 6_000;

	async function hostOneBoard(entryAgeMs: number) {
		const prefix = `groeibord-test:${randomString(10)}:`;
		const redis = await openRedis(redisUrl!);
		const key = `${prefix}board:busy-board`;
		// 1,200 entries: more than two full reads (500 each).
		const at = Date.now() - entryAgeMs;
		const fill = redis.pipeline();
		for (let n = 1; n <= 1_200; n++) {
			fill.xadd(
				key,
				`${at}-${n}`,
				...entryFields({ t: 'u', i: 'other', n, d: new Uint8Array([n % 256]) })
			);
		}
		await fill.exec();
		const reloads: string[] = [];
		const applied: number[] = [];
		const fanout = new RedisFanout(redis, {
			prefix,
			retainMs,
			loadStored: async (boardId) => {
				reloads.push(boardId);
				return Y.encodeStateAsUpdate(new Y.Doc());
			}
		});
		const empty = new Y.Doc();
		const room: FanoutRoom = {
			boardId: 'busy-board',
			destroyed: false,
			applyRemote: (_update, from) => void applied.push(from.seq),
			confirmRemote: () => {},
			applyRemoteAwareness: () => {},
			ownAwareness: () => null,
			stateVector: () => Y.encodeStateVector(empty),
			diffFor: () => Y.encodeStateAsUpdate(empty),
			mergeStored: () => {}
		};
		fanout.start();
		await eventually(() => fanout.connected());
		fanout.join(room);
		return {
			redis,
			key,
			reloads,
			applied,
			close: async () => {
				await fanout.close();
				const keys = await redis.keys(`${prefix}*`);
				if (keys.length > 0) await redis.del(...keys);
				redis.disconnect();
			}
		};
	}

	it('a full read older than half the retention resyncs the board and reads on from the head', async () => {
		const host = await hostOneBoard(retainMs / 2 + 1_500);
		try {
			await eventually(() => host.reloads.length > 0, 3_000, 'no resync of the board behind');
			expect(host.reloads).toEqual(['busy-board']);
			// The first read was applied; the 700 entries behind it were skipped, not read late.
			await new Promise((r) => setTimeout(r, 500));
			expect(host.applied).toHaveLength(500);
			await host.redis.xadd(
				host.key,
				'*',
				...entryFields({ t: 'u', i: 'other', n: 1_201, d: new Uint8Array([1]) })
			);
			await eventually(() => host.applied.includes(1_201), 3_000, 'not reading on from the head');
			expect(host.applied).toHaveLength(501);
		} finally {
			await host.close();
		}
	});

	it('a long but recent backlog is read in full, without a resync', async () => {
		const host = await hostOneBoard(0);
		try {
			await eventually(() => host.applied.length === 1_200, 5_000, 'backlog not read');
			expect(host.reloads).toEqual([]);
		} finally {
			await host.close();
		}
	});
});
