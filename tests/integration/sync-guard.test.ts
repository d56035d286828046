/**
 * Durable acknowledgement, revocation and bad input over the real server and sockets.
 */
import { eq } from 'drizzle-orm';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startAppServer, type AppServer } from '../../server/app';
import { loadBoardDoc } from '../../server/persistence';
import { CloseCode } from '../../server/protocol';
import { accessChanged } from '../../src/lib/server/access-events';
import { boardMember } from '../../src/lib/server/db/schema';
import { removeCheckIn, setCheckIn } from '../../src/lib/board/verbeterbord';
import { drivers } from '../helpers/db';
import { loginToken, makeBoard, makeSchool, makeUser } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import {
	closeCode,
	connectAckClient,
	connectClient,
	eventually,
	rawSocket,
	syncOf,
	upgradeStatus,
	type TestClient
} from '../helpers/sync-client';

function syncMessage(subtype: number, payload: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, subtype);
	encoding.writeVarUint8Array(e, payload);
	return encoding.toUint8Array(e);
}

function awarenessMessage(entries: Array<[number, number, unknown]>): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, entries.length);
	for (const [id, clock, state] of entries) {
		encoding.writeVarUint(inner, id);
		encoding.writeVarUint(inner, clock);
		encoding.writeVarString(inner, JSON.stringify(state));
	}
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 1);
	encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
	return encoding.toUint8Array(e);
}

describe.each(drivers)('sync guards (%s)', (driver) => {
	let rt: TestRuntime;
	let app: AppServer;
	const clients: TestClient[] = [];

	beforeEach(async () => {
		rt = await startTestRuntime(driver, { SYNC_MAX_FRAME_BYTES: String(64 * 1024) });
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
		const owner = await makeUser(db, s.id, { name: 'Eigenaar' });
		const editor = await makeUser(db, s.id, { name: 'Docent' });
		const b = await makeBoard(db, s.id, {
			members: [
				[owner.id, 'owner'],
				[editor.id, 'editor']
			]
		});
		const other = await makeBoard(db, s.id, { members: [[owner.id, 'owner']] });
		return {
			board: b,
			other,
			editor,
			ownerToken: await loginToken(db, owner),
			editorToken: await loginToken(db, editor)
		};
	}

	it('acknowledges an edit only once it is in the database', async () => {
		const { board, ownerToken } = await setup();
		const a = connectAckClient(app.url, board.id, ownerToken);
		clients.push(a);
		await eventually(() => a.provider.synced);
		for (let i = 0; i < 20; i++) setCheckIn(a.doc, `k${i}`, { name: `K${i}`, value: 1 }, 'local');
		expect(a.isSaved()).toBe(false);
		await eventually(() => a.isSaved(), 5_000, 'no saved ack');
		// Saved means stored: a load from the database right now has every key.
		const { doc } = await loadBoardDoc(rt.database.db, board.id);
		expect(Object.keys(doc.getMap('checkins').toJSON())).toHaveLength(20);
	});

	it('the author hears `saved` at each commit, a reader at most every 250 ms and still in the end', async () => {
		const { board, ownerToken, editorToken } = await setup();
		const author = connectAckClient(app.url, board.id, ownerToken);
		const reader = connectAckClient(app.url, board.id, editorToken);
		clients.push(author, reader);
		await eventually(() => author.provider.synced && reader.provider.synced);
		const count = (c: typeof author) => {
			let n = 0;
			const handler = c.provider.messageHandlers[100]!;
			c.provider.messageHandlers[100] = (...args: Parameters<typeof handler>) => {
				n++;
				handler(...args);
			};
			return () => n;
		};
		const authorSaved = count(author);
		const readerSaved = count(reader);
		// 12 edits 40 ms apart: each its own commit (SYNC_FLUSH_MS is far below 40 ms).
		const started = Date.now();
		for (let i = 0; i < 12; i++) {
			setCheckIn(author.doc, `k${i}`, { name: `K${i}`, value: 1 }, 'local');
			await eventually(() => author.isSaved(), 2_000, `no saved ack for edit ${i}`);
			await new Promise((r) => setTimeout(r, 40));
		}
		const elapsed = Date.now() - started;
		expect(authorSaved()).toBeGreaterThanOrEqual(12);
		// Before: one per commit to every socket (12 or more here).
		expect(readerSaved()).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 1);
		// The reader still learns that everything it holds is stored.
		await eventually(() => reader.isSaved(), 2_000, 'the reader never saw it saved');
		expect(reader.doc.getMap('checkins').size).toBe(12);
	});

	it('a client reconnecting in sync is not run through the guard; one bringing a delete is', async () => {
		const { board, ownerToken } = await setup();
		const a = connectClient(app.url, board.id, ownerToken);
		clients.push(a);
		await eventually(() => a.provider.synced);
		for (let i = 0; i < 3; i++) setCheckIn(a.doc, `k${i}`, { name: `K${i}`, value: 1 }, 'local');
		removeCheckIn(a.doc, 'k1');
		const room = await syncOf(app).rooms.get(board.id)!;
		await eventually(() => room.doc.getMap('checkins').size === 2);
		let transactions = 0;
		room.doc.on('afterTransaction', () => transactions++);
		// A second replica of the same state (a restarted wall): its sync step 2 holds no
		// structs and exactly the room's delete set.
		const again = new Y.Doc();
		Y.applyUpdate(again, Y.encodeStateAsUpdate(a.doc));
		const b = connectClient(app.url, board.id, ownerToken, { doc: again });
		clients.push(b);
		await eventually(() => b.provider.synced);
		// Its step 2 arrives after `synced` (which our step 2 sets): give it time to be handled.
		await new Promise((r) => setTimeout(r, 200));
		expect(transactions).toBe(0);
		// The same client, offline, deletes a check-in: its next sync brings a delete the room
		// lacks, and that goes through the guard and lands.
		b.provider.disconnect();
		removeCheckIn(again, 'k2');
		b.provider.connect();
		await eventually(() => room.doc.getMap('checkins').size === 1, 5_000, 'the delete was lost');
		expect(transactions).toBeGreaterThan(0);
		expect(b.provider.wsconnected).toBe(true);
	});

	it('a client that took back two check-ins while offline catches up and stays connected', async () => {
		// Found by sync-fuzz seed 11: the catch-up after going offline arrives as one update, and
		// a rule that counted check-in removals per update cut an honest wall off for good (4400).
		const { board, ownerToken } = await setup();
		const a = connectClient(app.url, board.id, ownerToken);
		const b = connectClient(app.url, board.id, ownerToken);
		clients.push(a, b);
		await eventually(() => a.provider.synced && b.provider.synced);
		for (const who of ['p1', 'p2', 'p3']) setCheckIn(a.doc, who, { name: who, value: 2 }, 'local');
		await eventually(() => b.doc.getMap('checkins').size === 3);
		a.provider.disconnect();
		removeCheckIn(a.doc, 'p1', 'local');
		removeCheckIn(a.doc, 'p2', 'local');
		a.provider.connect();
		await eventually(() => b.doc.getMap('checkins').size === 1, 5_000, 'removals not relayed');
		expect(a.provider.wsconnected && a.provider.shouldConnect).toBe(true);
		expect([...b.doc.getMap('checkins').keys()]).toEqual(['p3']);
	});

	it('a stock client that did not ask for acks never receives message 100', async () => {
		const { board, ownerToken } = await setup();
		const a = connectClient(app.url, board.id, ownerToken);
		clients.push(a);
		const types: number[] = [];
		await eventually(() => a.provider.synced);
		a.provider.ws!.addEventListener('message', (event: MessageEvent) => {
			types.push(new Uint8Array(event.data as ArrayBuffer)[0]!);
		});
		setCheckIn(a.doc, 'x', { name: 'X', value: 1 }, 'local');
		await new Promise((r) => setTimeout(r, 300));
		expect(types).not.toContain(100);
	});

	it('revocation closes the connection within 5 s and refuses reconnection', async () => {
		const { board, editor, editorToken } = await setup();
		const ws = await rawSocket(app.url, board.id, editorToken);
		const closed = closeCode(ws);
		const start = Date.now();
		await rt.database.db.delete(boardMember).where(eq(boardMember.userId, editor.id));
		accessChanged({ kind: 'board', boardId: board.id });
		expect(await closed).toBe(CloseCode.forbidden);
		expect(Date.now() - start).toBeLessThan(5_000);
		expect(
			await upgradeStatus(app.url, `/sync/${board.id}`, {
				cookie: `groeibord_session=${editorToken}`
			})
		).toBe(403);
	});

	it('survives bad input; other rooms keep syncing', async () => {
		const { board, other, ownerToken } = await setup();
		const a = connectClient(app.url, other.id, ownerToken);
		const b = connectClient(app.url, other.id, ownerToken);
		clients.push(a, b);
		await eventually(() => a.provider.synced && b.provider.synced);

		// Oversized frame.
		let ws = await rawSocket(app.url, board.id, ownerToken);
		let code = closeCode(ws);
		ws.send(new Uint8Array(128 * 1024));
		expect(await code).toBe(1009);

		// Random bytes.
		ws = await rawSocket(app.url, board.id, ownerToken);
		code = closeCode(ws);
		ws.send(new Uint8Array([0, 2, 200, 1, 255, 255, 255, 255, 255, 7, 9]));
		expect(await code).toBe(CloseCode.malformed);

		// Text frame.
		ws = await rawSocket(app.url, board.id, ownerToken);
		code = closeCode(ws);
		ws.send('hallo');
		expect(await code).toBe(CloseCode.malformed);

		// Truncated update.
		const source = new Y.Doc();
		source.getText('t').insert(0, 'een lange tekst die we halverwege afknippen');
		const full = Y.encodeStateAsUpdate(source);
		ws = await rawSocket(app.url, board.id, ownerToken);
		code = closeCode(ws);
		ws.send(syncMessage(2, full.slice(0, Math.floor(full.length / 2))));
		expect(await code).toBe(CloseCode.malformed);

		// Oversized awareness state.
		ws = await rawSocket(app.url, board.id, ownerToken);
		code = closeCode(ws);
		ws.send(awarenessMessage([[3, 1, { blob: 'x'.repeat(5000) }]]));
		expect(await code).toBe(CloseCode.malformed);

		// 500 unauthenticated sockets: all refused, and nothing of them stays behind in the
		// server (no connection, no room) — the structures return to where they were.
		const sync = syncOf(app);
		// Only the two well-behaved clients remain once the bad sockets above are closed.
		await eventually(() => sync.connectionCount() === 2);
		const connectionsBefore = sync.connectionCount();
		const roomsBefore = sync.rooms.size;
		const statuses = await Promise.all(
			Array.from({ length: 500 }, () => upgradeStatus(app.url, `/sync/${board.id}`))
		);
		expect(statuses.every((s) => s === 401)).toBe(true);
		expect(sync.connectionCount()).toBe(connectionsBefore);
		expect(sync.rooms.size).toBe(roomsBefore);

		// Still alive: the other room syncs.
		setCheckIn(a.doc, 'after', { name: 'ok', value: 1 }, 'local');
		await eventually(() => b.doc.getMap('checkins').has('after'));
	});

	it('a connection never takes over or removes the presence of another connection', async () => {
		const { board, ownerToken, editorToken } = await setup();
		const mentor = connectClient(app.url, board.id, ownerToken);
		const watcher = connectClient(app.url, board.id, ownerToken);
		clients.push(mentor, watcher);
		const victim = mentor.doc.clientID;
		await eventually(() => mentor.provider.synced && watcher.provider.synced);
		mentor.provider.awareness.setLocalStateField('editing', null);
		await eventually(() => watcher.provider.awareness.getStates().has(victim), 5_000, 'no mentor');
		const ws = await rawSocket(app.url, board.id, editorToken);
		// The mentor's id first: refused, and so is removing the mentor's state.
		ws.send(awarenessMessage([[victim, 1000, { user: { name: 'Nep' } }]]));
		ws.send(awarenessMessage([[victim, 1001, null]]));
		// Then an id of its own: that one is this connection's.
		ws.send(awarenessMessage([[555, 1, {}]]));
		await eventually(() => watcher.provider.awareness.getStates().has(555), 5_000, 'no 555');
		expect(watcher.provider.awareness.getStates().get(555)!.user).toMatchObject({ name: 'Docent' });
		const state = watcher.provider.awareness.getStates().get(victim);
		expect(state?.user).toMatchObject({ name: 'Eigenaar' });
		ws.close();
		await eventually(() => !watcher.provider.awareness.getStates().has(555));
		expect(watcher.provider.awareness.getStates().has(victim)).toBe(true);
	});

	it('the server sets name and role in awareness, whatever the client claims', async () => {
		const { board, ownerToken, editorToken } = await setup();
		const watcher = connectClient(app.url, board.id, ownerToken);
		clients.push(watcher);
		await eventually(() => watcher.provider.synced);
		const ws = await rawSocket(app.url, board.id, editorToken);
		ws.send(awarenessMessage([[4242, 1, { user: { name: 'Directeur', role: 'owner' } }]]));
		// A second client id on the same connection (spoofing someone else) is dropped.
		ws.send(awarenessMessage([[4343, 1, { user: { name: 'Iemand anders' } }]]));
		await eventually(() => watcher.provider.awareness.getStates().has(4242));
		const state = watcher.provider.awareness.getStates().get(4242)!;
		expect(state.user).toMatchObject({ name: 'Docent', role: 'editor' });
		await new Promise((r) => setTimeout(r, 200));
		expect(watcher.provider.awareness.getStates().has(4343)).toBe(false);
		// Leaving removes the presence.
		ws.close();
		await eventually(() => !watcher.provider.awareness.getStates().has(4242));
	});
});
