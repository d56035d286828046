/**
 * The /sync endpoint through the real server and real sockets with the stock y-websocket
 * provider: two editors converge, state is stored and reloaded, upgrade auth refuses
 * before any board is loaded, viewers are read-only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../server/app';
import { loadBoardDoc } from '../../server/persistence';
import { addCard, getCard, setCheckIn } from '../../src/lib/board/verbeterbord';
import { drivers } from '../helpers/db';
import { loginToken, makeBoard, makeSchool, makeUser } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import {
	connectClient,
	eventually,
	syncOf,
	upgradeStatus,
	type TestClient
} from '../helpers/sync-client';

describe.each(drivers)('sync basic protocol (%s)', (driver) => {
	let rt: TestRuntime;
	let app: AppServer;
	const clients: TestClient[] = [];

	beforeEach(async () => {
		rt = await startTestRuntime(driver, { SYNC_ROOM_UNLOAD_MS: '100' });
		app = await startAppServer(rt.runtime, undefined, { port: 0, host: '127.0.0.1' });
	});

	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		await app.close();
		await rt.close();
	});

	async function setup() {
		const db = rt.database.db;
		const s = await makeSchool(db);
		const owner = await makeUser(db, s.id);
		const viewer = await makeUser(db, s.id);
		const stranger = await makeUser(db, s.id);
		const b = await makeBoard(db, s.id, {
			members: [
				[owner.id, 'owner'],
				[viewer.id, 'viewer']
			]
		});
		return {
			board: b,
			ownerToken: await loginToken(db, owner),
			viewerToken: await loginToken(db, viewer),
			strangerToken: await loginToken(db, stranger)
		};
	}

	function connect(boardId: string, token: string, params?: Record<string, string>) {
		const client = connectClient(app.url, boardId, token, { params });
		clients.push(client);
		return client;
	}

	it('two stock providers converge and the board is stored', async () => {
		const { board, ownerToken } = await setup();
		const a = connect(board.id, ownerToken);
		const b = connect(board.id, ownerToken);
		await eventually(() => a.provider.synced && b.provider.synced);
		addCard(a.doc, { type: 'ideas', title: 'hallo' }, 'local', { id: 'c1', createdBy: 'x' });
		setCheckIn(b.doc, 'bord', { name: 'Bord', value: 2 }, 'local');
		await eventually(
			() => getCard(b.doc, 'c1')?.title === 'hallo' && a.doc.getMap('checkins').has('bord')
		);
		// Persisted: after the room unloads, a fresh load has both edits.
		for (const c of clients.splice(0)) c.destroy();
		await eventually(() => syncOf(app).rooms.size === 0, 5_000);
		const { doc } = await loadBoardDoc(rt.database.db, board.id);
		expect(getCard(doc, 'c1')?.title).toBe('hallo');
		expect(doc.getMap('checkins').has('bord')).toBe(true);
		const c = connect(board.id, ownerToken);
		await eventually(() => getCard(c.doc, 'c1')?.title === 'hallo');
	});

	it('refuses upgrades before loading the board: 401 / 403 / 403', async () => {
		const { board, ownerToken, strangerToken } = await setup();
		const path = `/sync/${board.id}`;
		expect(await upgradeStatus(app.url, path)).toBe(401);
		expect(await upgradeStatus(app.url, path, { cookie: 'groeibord_session=nope.nope' })).toBe(401);
		expect(
			await upgradeStatus(app.url, path, {
				cookie: `groeibord_session=${ownerToken}`,
				origin: 'https://evil.example'
			})
		).toBe(403);
		expect(
			await upgradeStatus(app.url, path, { cookie: `groeibord_session=${strangerToken}` })
		).toBe(403);
		expect(syncOf(app).rooms.size).toBe(0);
		const own = new URL(app.url).origin;
		expect(
			await upgradeStatus(app.url, path, { cookie: `groeibord_session=${ownerToken}`, origin: own })
		).toBe(101);
	});

	it('a viewer syncs but its updates are dropped', async () => {
		const { board, ownerToken, viewerToken } = await setup();
		const owner = connect(board.id, ownerToken);
		const viewer = connect(board.id, viewerToken);
		await eventually(() => owner.provider.synced && viewer.provider.synced);
		addCard(owner.doc, { type: 'ideas', title: 'a' }, 'local', { id: 'a', createdBy: 'x' });
		addCard(viewer.doc, { type: 'ideas', title: 'v' }, 'local', { id: 'v', createdBy: 'x' });
		await eventually(() => getCard(viewer.doc, 'a') !== null);
		await new Promise((r) => setTimeout(r, 300));
		expect(owner.doc.getMap('cards').has('v')).toBe(false);
		const late = connect(board.id, ownerToken);
		await eventually(() => late.provider.synced && getCard(late.doc, 'a') !== null);
		expect(late.doc.getMap('cards').has('v')).toBe(false);
		await app.sync.close();
		const { doc } = await loadBoardDoc(rt.database.db, board.id);
		expect(Object.keys(doc.getMap('cards').toJSON())).toEqual(['a']);
	});
});
