/**
 * Limits that cannot be bypassed: pending (dependency-waiting) updates count against the
 * board's byte limit and a per-connection bound; a full board still takes deletions; sockets
 * are capped per session and per board; a socket that does not read is closed.
 */
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type WebSocket from 'ws';
import { startAppServer, type AppServer } from '../../server/app';
import { appendUpdates, loadBoardDoc } from '../../server/persistence';
import { CloseCode } from '../../server/protocol';
import { send, type Connection } from '../../server/rooms';
import { addCard, deleteCard, listCards } from '../../src/lib/board/verbeterbord';
import { closeKindOf } from '../../src/lib/sync/close-kind';
import { drivers } from '../helpers/db';
import { loginToken, makeBoard, makeSchool, makeUser } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import {
	closeCode,
	connectClient,
	eventually,
	rawSocket,
	syncOf,
	upgradeStatus,
	type TestClient
} from '../helpers/sync-client';

function updateMessage(update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, 2);
	encoding.writeVarUint8Array(e, update);
	return encoding.toUint8Array(e);
}

/** A small first card, then `count` big cards whose updates all depend on the first. */
function dependentUpdates(count: number) {
	const source = new Y.Doc();
	const updates: Uint8Array[] = [];
	source.on('update', (u: Uint8Array) => updates.push(u));
	addCard(source, { type: 'ideas', title: 'klein' }, null, { id: 'first', createdBy: 'x' });
	for (let i = 0; i < count; i++) {
		addCard(source, { type: 'ideas', title: `groot ${i}`, body: 'x'.repeat(1000) }, null, {
			id: `big${i}`,
			createdBy: 'x'
		});
	}
	return { first: updates[0]!, rest: updates.slice(1) };
}

const BOARD_BYTES = 5_000;

describe.each(drivers)('sync limits (%s)', (driver) => {
	let rt: TestRuntime;
	let app: AppServer;
	const clients: TestClient[] = [];

	beforeEach(async () => {
		rt = await startTestRuntime(driver, {
			SYNC_MAX_BOARD_BYTES: String(BOARD_BYTES),
			SYNC_MAX_PENDING_BYTES: '3000',
			SYNC_MAX_CONNECTIONS_PER_SESSION: '3',
			SYNC_MAX_CONNECTIONS_PER_BOARD: '4'
		});
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
		const other = await makeUser(db, s.id);
		const board = await makeBoard(db, s.id, {
			members: [
				[owner.id, 'owner'],
				[other.id, 'editor']
			]
		});
		return { board, token: await loginToken(db, owner), otherToken: await loginToken(db, other) };
	}

	it('pending updates count against the board limit: a small update cannot integrate them past it', async () => {
		const { board, token } = await setup();
		// The board holds 3 KB; 2 KB wait pending (under their own bound); the small update
		// they wait for would integrate all of them past the 5 KB limit.
		const stored = new Y.Doc();
		for (let i = 0; i < 3; i++) {
			addCard(stored, { type: 'ideas', title: `kaart ${i}`, body: 'x'.repeat(900) }, null, {
				id: `c${i}`,
				createdBy: 'x'
			});
		}
		await appendUpdates(rt.database.db, board.id, [Y.encodeStateAsUpdate(stored)]);
		const { first, rest } = dependentUpdates(4);
		const ws = await rawSocket(app.url, board.id, token);
		const closed = closeCode(ws);
		for (const u of rest.slice(0, 2)) ws.send(updateMessage(u));
		ws.send(updateMessage(first));
		expect(await closed).toBe(CloseCode.boardTooLarge);
		const room = (await syncOf(app).rooms.get(board.id))!;
		await room.flush();
		const { doc, bytes } = await loadBoardDoc(rt.database.db, board.id);
		expect(listCards(doc)).toHaveLength(3);
		expect(bytes).toBeLessThan(BOARD_BYTES);
		// Nothing of it waits in the room document either.
		expect(room.doc.store.pendingStructs).toBeNull();
		expect(room.doc.store.pendingDs).toBeNull();
	});

	it('a connection whose pending updates pass SYNC_MAX_PENDING_BYTES is closed', async () => {
		const { board, token } = await setup();
		const { rest } = dependentUpdates(4);
		const ws = await rawSocket(app.url, board.id, token);
		const closed = closeCode(ws);
		for (const u of rest) ws.send(updateMessage(u));
		expect(await closed).toBe(CloseCode.pendingTooLarge);
	});

	it('a board over its byte limit still takes deletions', async () => {
		const { board, token } = await setup();
		const source = new Y.Doc();
		for (let i = 0; i < 6; i++) {
			addCard(source, { type: 'ideas', title: `kaart ${i}`, body: 'x'.repeat(1000) }, null, {
				id: `c${i}`,
				createdBy: 'x'
			});
		}
		await appendUpdates(rt.database.db, board.id, [Y.encodeStateAsUpdate(source)]);
		const a = connectClient(app.url, board.id, token);
		clients.push(a);
		await eventually(() => a.provider.synced && listCards(a.doc).length === 6);
		let closedWith = 0;
		a.provider.on('connection-close', (event) => (closedWith = event?.code ?? -1));
		deleteCard(a.doc, 'c0', 'local');
		deleteCard(a.doc, 'c1', 'local');
		const room = (await syncOf(app).rooms.get(board.id))!;
		await eventually(() => listCards(room.doc).length === 4);
		await room.flush();
		expect(closedWith).toBe(0);
		expect(listCards((await loadBoardDoc(rt.database.db, board.id)).doc)).toHaveLength(4);
		// Adding to the full board is refused with 4413, and the client says the board is full.
		addCard(a.doc, { type: 'ideas', title: 'nog een' }, 'local', { createdBy: 'x' });
		await eventually(() => closedWith === CloseCode.boardTooLarge);
		expect(closeKindOf(closedWith)).toBe('full');
		expect(closeKindOf(CloseCode.forbidden)).toBe('denied');
		expect(closeKindOf(CloseCode.invalidUpdate)).toBe('refused');
	});

	it('caps sockets per session and per board', async () => {
		const { board, token, otherToken } = await setup();
		const headers = { cookie: `groeibord_session=${token}` };
		const open: WebSocket[] = [];
		for (let i = 0; i < 3; i++) open.push(await rawSocket(app.url, board.id, token));
		expect(await upgradeStatus(app.url, `/sync/${board.id}`, headers)).toBe(429);
		open.push(await rawSocket(app.url, board.id, otherToken));
		// Four on the board: the other user's second socket is refused too.
		const otherHeaders = { cookie: `groeibord_session=${otherToken}` };
		expect(await upgradeStatus(app.url, `/sync/${board.id}`, otherHeaders)).toBe(429);
		const gone = closeCode(open[0]!);
		open[0]!.close();
		await gone;
		await eventually(() => syncOf(app).connectionCount() === 3);
		expect(await upgradeStatus(app.url, `/sync/${board.id}`, headers)).toBe(101);
		for (const ws of open) ws.close();
	});
});

describe('back-pressure', () => {
	it('closes a socket that keeps more than SYNC_MAX_BUFFERED_BYTES unsent', () => {
		const sent: number[] = [];
		let closedWith = 0;
		const ws = {
			OPEN: 1,
			readyState: 1,
			bufferedAmount: 0,
			send: (message: Uint8Array) => sent.push(message.byteLength),
			close: (code: number) => (closedWith = code),
			terminate: () => {}
		};
		const conn = { id: 1, ws, closed: false, maxBufferedBytes: 1000 } as unknown as Connection;
		// One large message on an idle socket goes out (the first sync of a big board).
		send(conn, new Uint8Array(5000));
		ws.bufferedAmount = 5000;
		send(conn, new Uint8Array(10));
		expect(sent).toEqual([5000]);
		expect(closedWith).toBe(CloseCode.slowReader);
	});
});
