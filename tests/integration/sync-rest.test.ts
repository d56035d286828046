/**
 * Resting rooms (server/rooms.ts): an open board left unchanged keeps its document as encoded
 * bytes, serves sync from them, and wakes for anything that needs the document; what observes
 * the document (progress wall history, a family part's mirror) keeps working across a rest.
 * Real server, real sockets, stock y-websocket clients.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startAppServer, type AppServer } from '../../server/app';
import { loadBoardDoc } from '../../server/persistence';
import { CloseCode } from '../../server/protocol';
import type { Room } from '../../server/rooms';
import { addCard, cardsMap, getCard, deleteCard } from '../../src/lib/board/verbeterbord';
import { studentsMap } from '../../src/lib/board/voortgang';
import { editBoardDoc } from '../../src/lib/server/board-edit';
import { studentEvent } from '../../src/lib/server/db/schema';
import { drivers } from '../helpers/db';
import {
	guestToken,
	loginToken,
	makeBoard,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser
} from '../helpers/factories';
import { connectRecording, familyPartOf } from '../helpers/family';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { connectClient, eventually, syncOf, type TestClient } from '../helpers/sync-client';

const REST_MS = 300;

describe.each(drivers)('resting rooms (%s)', (driver) => {
	let rt: TestRuntime;
	let app: AppServer;
	const clients: TestClient[] = [];

	beforeEach(async () => {
		rt = await startTestRuntime(driver, {
			SYNC_ROOM_REST_MS: String(REST_MS),
			SYNC_ROOM_UNLOAD_MS: '200'
		});
		app = await startAppServer(rt.runtime, undefined, { port: 0, host: '127.0.0.1' });
	});

	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		await app.close();
		await rt.close();
	});

	function connect(boardId: string, token: string) {
		const client = connectClient(app.url, boardId, token);
		clients.push(client);
		return client;
	}

	async function roomOf(boardId: string): Promise<Room> {
		const room = await syncOf(app).rooms.get(boardId);
		if (!room) throw new Error(`no room for ${boardId}`);
		return room;
	}

	async function resting(boardId: string) {
		await eventually(async () => !(await roomOf(boardId)).awake, 5_000, 'the room never rested');
	}

	async function verbeterbord() {
		const db = rt.database.db;
		const s = await makeSchool(db);
		const owner = await makeUser(db, s.id);
		const b = await makeBoard(db, s.id, { members: [[owner.id, 'owner']] });
		return { board: b, token: await loginToken(db, owner) };
	}

	it('a resting board serves new and returning clients from its bytes; an edit wakes it for everyone', async () => {
		const { board, token } = await verbeterbord();
		const a = connect(board.id, token);
		await eventually(() => a.provider.synced);
		for (let i = 0; i < 20; i++) {
			addCard(a.doc, { type: 'ideas', title: `idee ${i}` }, 'local', { id: `c${i}` });
		}
		// Deletions too: a fresh client's empty answer then differs from the board's delete set.
		deleteCard(a.doc, 'c0');
		await eventually(async () => cardsMap((await roomOf(board.id)).doc).size === 19);
		await resting(board.id);
		const room = await roomOf(board.id);

		// A new client gets the whole board, a client that went away and came back catches up,
		// and neither wakes the document.
		const b = connect(board.id, token);
		await eventually(() => b.provider.synced && cardsMap(b.doc).size === 19);
		a.provider.disconnect();
		a.provider.connect();
		await eventually(() => a.provider.synced);
		expect(room.awake).toBe(false);
		expect(syncOf(app).rooms.get(board.id)).toBe(room);

		// An edit wakes it, is relayed and stored; then it rests again.
		addCard(b.doc, { type: 'ideas', title: 'na de rust' }, 'local', { id: 'late' });
		await eventually(() => getCard(a.doc, 'late')?.title === 'na de rust');
		expect(room.awake).toBe(true);
		await resting(board.id);
		const { doc: stored } = await loadBoardDoc(rt.database.db, board.id);
		expect(cardsMap(stored).size).toBe(20);
		expect(Y.encodeStateVector(stored)).toEqual(Y.encodeStateVector(a.doc));

		// A server edit on a resting board lands in the room and reaches the clients.
		const edit = await editBoardDoc(board.id, (doc) => deleteCard(doc, 'late'));
		expect(edit.live).toBe(true);
		await eventually(() => !cardsMap(a.doc).has('late') && !cardsMap(b.doc).has('late'));
	});

	it('a progress wall keeps writing its history after resting', async () => {
		const db = rt.database.db;
		const s = await makeSchool(db);
		const mo = await makeUser(db, s.id, { name: 'Mentor Mo' });
		const team = await makeTeam(db, s.id, [mo.id]);
		const wall = await makeBoard(db, s.id, { kind: 'voortgangsbord', teamId: team.id });
		const kim = await makeStudent(db, s.id, { teamId: team.id, mentorId: mo.id });
		const c = connect(wall.id, await loginToken(db, mo));
		await eventually(() => c.provider.synced);
		const events = () => db.select().from(studentEvent).where(eq(studentEvent.studentId, kim.id));

		const entry = new Y.Map<unknown>();
		studentsMap(c.doc).set(kim.id, entry);
		entry.set('stoplight', 'orange');
		await eventually(async () => (await events()).length === 1, 8_000);
		await resting(wall.id);

		entry.set('stoplight', 'red');
		await eventually(async () => (await events()).length === 2, 8_000);
		const last = (await events()).sort((x, y) => x.id - y.id).at(-1)!;
		expect(last.data.stoplight).toBe('red');
		expect(last.actorName).toBe('Mentor Mo');
	});

	it('a care meeting and its family part both rest; the mirror and the guard work after waking', async () => {
		const db = rt.database.db;
		const s = await makeSchool(db);
		const mentor = await makeUser(db, s.id, { name: 'Mentor' });
		const pupil = await makeStudent(db, s.id, { mentorId: mentor.id });
		const b = await makeBoard(db, s.id, {
			kind: 'zorgoverleg',
			studentId: pupil.id,
			members: [[mentor.id, 'owner']]
		});
		const parent = await guestToken(db, b.id, 'parent', mentor.id, 'Moeder');
		const staff = connect(b.id, await loginToken(db, mentor));
		await eventually(() => staff.provider.synced);
		addCard(staff.doc, { type: 'goals', title: 'Van de mentor' }, 'local', { id: 'staffcard' });
		const p = connectRecording(app.url, b.id, parent.token);
		clients.push(p);
		await eventually(() => p.provider.synced && cardsMap(p.doc).has('staffcard'));
		const family = (await familyPartOf(db, b.id))!;
		await resting(b.id);
		await resting(family);

		// Staff → family through the mirror, and a care card never reaches the parent.
		addCard(staff.doc, { type: 'successes', title: 'Thuis mag dit' }, 'local', { id: 'fam' });
		addCard(staff.doc, { type: 'concerns', title: 'RUST-GEHEIM', visibility: 'care' }, 'local', {
			id: 'care'
		});
		await eventually(() => cardsMap(p.doc).has('fam'), 5_000, 'not mirrored to the family');
		expect(cardsMap(p.doc).has('care')).toBe(false);
		expect(p.received('RUST-GEHEIM')).toBe(false);
		await resting(b.id);
		await resting(family);

		// Family → staff after another rest; then the guard of a woken room refuses the parent.
		addCard(p.doc, { type: 'successes', title: 'Van thuis' }, 'local', {
			id: 'home',
			createdBy: parent.actorKey
		});
		await eventually(() => cardsMap(staff.doc).has('home'), 5_000, 'not mirrored to the board');
		await resting(b.id);
		await resting(family);
		cardsMap(p.doc).get('staffcard')!.set('title', 'Veranderd door ouder');
		await eventually(() => p.closeCodes.includes(CloseCode.invalidUpdate), 5_000, 'not refused');
		expect(
			cardsMap((await roomOf(b.id)).doc)
				.get('staffcard')
				?.get('title')
		).toBe('Van de mentor');
	});
});
