/**
 * History is derived by the server from the board's own document, never written by a browser:
 * session records and the successes archive (ending a bordsessie is a server action), the
 * progress wall's student_event rows (derived from accepted sync updates), and the server-side
 * board edit path both rest on. Real server, real sockets, stock y-websocket clients.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { startAppServer, type AppServer } from '../../server/app';
import { appendUpdates, loadBoardDoc } from '../../server/persistence';
import {
	addCard,
	buildSessionRecord,
	endSession,
	getSession,
	listCards,
	reviewAction,
	setCheckIn,
	startSession,
	type SessionRecordData
} from '../../src/lib/board/verbeterbord';
import {
	listSessionRecords,
	listTeamSuccesses
} from '../../src/lib/board/verbeterbord-records.server';
import { studentsMap } from '../../src/lib/board/voortgang';
import { createBoardInvite, joinWithInvite } from '../../src/lib/server/access/sharing';
import type { Actor } from '../../src/lib/server/auth/actor';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import { editBoardDoc } from '../../src/lib/server/board-edit';
import { boardRecord, studentEvent } from '../../src/lib/server/db/schema';
import { GET, POST } from '../../src/routes/boards/[boardId=id]/records/+server';
import { drivers } from '../helpers/db';
import {
	loginToken,
	makeBoard,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser,
	testPolicy
} from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { connectClient, eventually, syncOf, type TestClient } from '../helpers/sync-client';

const ORIGIN = 'http://school.test';

function converged(a: Y.Doc, b: Y.Doc): boolean {
	return Buffer.compare(Y.encodeStateVector(a), Y.encodeStateVector(b)) === 0;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEvent = any;

async function call(
	handler: typeof GET | typeof POST,
	actor: Actor | null,
	boardId: string,
	init: { method: 'GET' | 'POST'; body?: string; origin?: string }
): Promise<{ status: number; body: Record<string, unknown> }> {
	const url = new URL(`${ORIGIN}/boards/${boardId}/records`);
	const request = new Request(url, {
		method: init.method,
		headers: { origin: init.origin ?? ORIGIN, 'content-type': 'application/json' },
		body: init.body
	});
	try {
		const response = await handler({
			locals: { actor },
			params: { boardId },
			url,
			request
		} as AnyEvent);
		return { status: response.status, body: await response.json().catch(() => ({})) };
	} catch (error) {
		// SvelteKit's error() throws an HttpError; anything else would be a 500.
		return { status: (error as { status?: number }).status ?? 500, body: {} };
	}
}

const endBody = (startedAt: string, extra: Record<string, unknown> = {}) =>
	JSON.stringify({ startedAt, decisions: 'Pauzerooster proberen', top: 'Kort', tip: '', ...extra });

/** The record without the moment it was written, for comparing with what the board said. */
function content(record: SessionRecordData) {
	const { endedAt: _endedAt, ...rest } = record;
	return rest;
}

describe.each(drivers)('history derived by the server (%s)', (driver) => {
	let rt: TestRuntime;
	let app: AppServer;
	const clients: TestClient[] = [];

	beforeAll(async () => {
		rt = await startTestRuntime(driver, { SYNC_ROOM_UNLOAD_MS: '100' });
		app = await startAppServer(rt.runtime, undefined, { port: 0, host: '127.0.0.1' });
	});
	afterEach(() => {
		for (const c of clients.splice(0)) c.destroy();
	});
	afterAll(async () => {
		await app?.close();
		await rt?.close();
	});

	function connect(boardId: string, token: string) {
		const client = connectClient(app.url, boardId, token);
		clients.push(client);
		return client;
	}

	async function actorOf(token: string): Promise<Actor> {
		const actor = await validateSessionToken(rt.database.db, token, testPolicy);
		if (!actor) throw new Error('no actor');
		return actor;
	}

	async function teamBoard() {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const anna = await makeUser(db, school.id, { name: 'Anna Staff' });
		const team = await makeTeam(db, school.id, [anna.id]);
		const board = await makeBoard(db, school.id, { teamId: team.id });
		const token = await loginToken(db, anna);
		const guests: Record<string, Actor> = {};
		for (const role of ['editor', 'viewer', 'child', 'parent'] as const) {
			const invite = await createBoardInvite(
				db,
				board.id,
				{ role, expiresHours: 24, singleUse: false, label: '' },
				anna.id
			);
			const joined = await joinWithInvite(db, invite.token, `Gast ${role}`);
			if (!joined.ok) throw new Error('join failed');
			guests[role] = await actorOf(joined.session.token);
		}
		return { school, team, board, token, staff: await actorOf(token), guests };
	}

	async function recordRows(boardId: string) {
		const [row] = await rt.database.db
			.select({ n: count() })
			.from(boardRecord)
			.where(eq(boardRecord.boardId, boardId));
		return Number(row?.n ?? 0);
	}

	it('no guest role can end a session, read staff names or write a record by any request', async () => {
		const { board, token, guests, staff } = await teamBoard();
		const wall = connect(board.id, token);
		await eventually(() => wall.provider.synced);
		addCard(wall.doc, { type: 'successes', title: 'Rustige start', who: 'Anna' });
		const { startedAt } = startSession(wall.doc, 'Anna Staff');
		const room = () => syncOf(app).rooms.get(board.id);
		await eventually(async () => getSession((await room())!.doc).active);

		// What a guest could send: the proper request, and the old full record of 600 successes.
		const forged = JSON.stringify({
			...buildSessionRecord(wall.doc),
			successes: Array.from({ length: 600 }, (_, i) => ({ title: `nep ${i}`, who: '' }))
		});
		for (const [role, actor] of Object.entries(guests)) {
			for (const body of [endBody(startedAt), forged, '{}', 'not json']) {
				const res = await call(POST, actor, board.id, { method: 'POST', body });
				expect(res.status, `${role} POST`).toBe(403);
			}
			expect((await call(GET, actor, board.id, { method: 'GET' })).status, `${role} GET`).toBe(404);
		}
		// Staff may read the names, and the old record format is no longer a way in.
		const names = await call(GET, staff, board.id, { method: 'GET' });
		expect(names).toMatchObject({ status: 200, body: { members: ['Anna Staff'], mayEnd: true } });
		expect((await call(POST, staff, board.id, { method: 'POST', body: forged })).status).toBe(400);
		expect((await call(POST, null, board.id, { method: 'POST', body: forged })).status).toBe(404);
		expect(
			(
				await call(POST, staff, board.id, {
					method: 'POST',
					body: endBody(startedAt),
					origin: 'http://evil.test'
				})
			).status
		).toBe(403);

		// A stock client ending the session on its own document is refused (only the server ends
		// a session, see update-rules.ts) and makes no record either.
		const closes: number[] = [];
		wall.provider.on('connection-close', (event: CloseEvent | null) => {
			if (event) closes.push(event.code);
		});
		endSession(wall.doc);
		await eventually(() => closes.includes(4400));
		const open = await syncOf(app).rooms.get(board.id);
		if (open) expect(getSession(open.doc).active).toBe(true);
		expect(await recordRows(board.id)).toBe(0);
		expect(await listTeamSuccesses(rt.database.db, board.teamId!)).toEqual([]);
	});

	it('ending via the server keeps one record equal to the board; each success archived once', async () => {
		const { board, team, token, staff } = await teamBoard();
		const wall = connect(board.id, token);
		await eventually(() => wall.provider.synced);
		const room = async () => (await syncOf(app).rooms.get(board.id))!;
		const old = addCard(wall.doc, { type: 'actions', title: 'Rooster pauzes', who: 'Anna' });
		addCard(wall.doc, { type: 'successes', title: 'Rekenles met inzet', who: 'Bas' });
		addCard(wall.doc, { type: 'successes', title: 'Ouderavond goed bezocht' });

		const titles = new Set<string>();
		for (let week = 1; week <= 4; week++) {
			if (week === 3) addCard(wall.doc, { type: 'successes', title: 'Leesplan gedeeld' });
			const { startedAt } = startSession(wall.doc, 'Anna Staff', null, new Date(Date.now() - 1000));
			setCheckIn(wall.doc, 'anna', { name: 'Anna', value: 3 });
			if (week === 1 && old.ok) reviewAction(wall.doc, old.value, 'carried');
			await eventually(async () => converged((await room()).doc, wall.doc));
			const expected = content(
				buildSessionRecord(wall.doc, { decisions: 'Pauzerooster proberen', top: 'Kort' })
			);
			for (const card of listCards(wall.doc, 'successes')) titles.add(card.title);

			// A double click: two requests at once keep one record; both answers name it.
			const [a, b] = await Promise.all([
				call(POST, staff, board.id, { method: 'POST', body: endBody(startedAt) }),
				call(POST, staff, board.id, { method: 'POST', body: endBody(startedAt) })
			]);
			expect([a.status, b.status].sort()).toEqual([200, 201]);
			expect(a.body.id).toBe(b.body.id);
			// Asking again later for the same session: the same record, nothing new.
			const again = await call(POST, staff, board.id, { method: 'POST', body: endBody(startedAt) });
			expect(again).toMatchObject({ status: 200, body: { id: a.body.id } });
			// A session that is not running cannot be ended.
			const stale = await call(POST, staff, board.id, {
				method: 'POST',
				body: endBody('2020-01-01T00:00:00.000Z')
			});
			expect(stale.status).toBe(409);

			// The board itself was closed by the server, and every client sees it.
			await eventually(
				() => !getSession(wall.doc).active && wall.doc.getMap('checkins').size === 0
			);
			const records = await listSessionRecords(rt.database.db, board.id);
			expect(records).toHaveLength(week);
			const kept = records.find((r) => r.id === a.body.id)!;
			expect(content(kept.data)).toEqual(expected);
		}
		const archive = await listTeamSuccesses(rt.database.db, team.id);
		expect(archive.map((s) => s.title).sort()).toEqual([...titles].sort());
		expect(archive).toHaveLength(3);
		// Stored, not only in memory: the closed session is in the board's log.
		for (const c of clients.splice(0)) c.destroy();
		await eventually(() => !syncOf(app).rooms.has(board.id));
		expect(getSession((await loadBoardDoc(rt.database.db, board.id)).doc).active).toBe(false);
	});

	it('a board nobody has open is ended in storage; bad or failed requests change nothing', async () => {
		const { board, staff } = await teamBoard();
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		addCard(doc, { type: 'successes', title: 'Tussendoelen gehaald' });
		const { startedAt } = startSession(doc, 'Anna Staff');
		setCheckIn(doc, 'anna', { name: 'Anna', value: 2 });
		await appendUpdates(rt.database.db, board.id, updates);
		expect(syncOf(app).rooms.has(board.id)).toBe(false);

		for (const body of [
			endBody(startedAt, { tip: 'nul\u0000byte' }),
			endBody(startedAt, { decisions: 'x'.repeat(2001) }),
			endBody(startedAt, { top: 42 }),
			JSON.stringify({ tip: 'no session named' }),
			'x'.repeat(20_000)
		]) {
			expect((await call(POST, staff, board.id, { method: 'POST', body })).status).toBe(400);
		}
		// A failing write (here: the commit throws) leaves the stored board as it was.
		await expect(
			editBoardDoc(board.id, (d) => endSession(d), {
				commit: async () => {
					throw new Error('database went away');
				}
			})
		).rejects.toThrow('database went away');
		expect(await recordRows(board.id)).toBe(0);
		expect(getSession((await loadBoardDoc(rt.database.db, board.id)).doc).active).toBe(true);

		const ended = await call(POST, staff, board.id, { method: 'POST', body: endBody(startedAt) });
		expect(ended.status).toBe(201);
		const stored = (await loadBoardDoc(rt.database.db, board.id)).doc;
		expect(getSession(stored).active).toBe(false);
		expect(stored.getMap('checkins').size).toBe(0);
		const [record] = await listSessionRecords(rt.database.db, board.id);
		expect(record!.data.checkins).toEqual([{ name: 'Anna', value: 2 }]);
		expect(await recordRows(board.id)).toBe(2);
	});

	it('a failing commit on an open board leaves the room as it was', async () => {
		const { board, token } = await teamBoard();
		const wall = connect(board.id, token);
		await eventually(() => wall.provider.synced);
		startSession(wall.doc, 'Anna Staff');
		const room = async () => (await syncOf(app).rooms.get(board.id))!;
		await eventually(async () => getSession((await room()).doc).active);
		await expect(
			editBoardDoc(board.id, (d) => endSession(d), {
				commit: async () => {
					throw new Error('no');
				}
			})
		).rejects.toThrow('no');
		await new Promise((r) => setTimeout(r, 200));
		expect(getSession((await room()).doc).active).toBe(true);
		expect(getSession(wall.doc).active).toBe(true);
		// Without a commit the change reaches the connected client at once.
		const edit = await editBoardDoc(board.id, (d) => endSession(d));
		expect(edit).toMatchObject({ changed: true, live: true });
		await eventually(() => !getSession(wall.doc).active);
	});

	it('a mentor’s stoplight over a plain y-websocket connection is one student_event', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const mo = await makeUser(db, school.id, { name: 'Mentor Mo' });
		const sara = await makeUser(db, school.id, { name: 'Mentor Sara' });
		const team = await makeTeam(db, school.id, [mo.id, sara.id]);
		const otherTeam = await makeTeam(db, school.id);
		const wallBoard = await makeBoard(db, school.id, { kind: 'voortgangsbord', teamId: team.id });
		const kim = await makeStudent(db, school.id, { teamId: team.id, mentorId: mo.id });
		const lex = await makeStudent(db, school.id, { teamId: team.id, mentorId: sara.id });
		const foreign = await makeStudent(db, school.id, { teamId: otherTeam.id });
		const moClient = connect(wallBoard.id, await loginToken(db, mo));
		const saraClient = connect(wallBoard.id, await loginToken(db, sara));
		await eventually(() => moClient.provider.synced && saraClient.provider.synced);
		const events = async (studentId: string) =>
			db.select().from(studentEvent).where(eq(studentEvent.studentId, studentId));

		// One pass by Mo on Kim: a light, a changed mind, a flag, a line typed key by key.
		const students = studentsMap(moClient.doc);
		const entry = new Y.Map<unknown>();
		students.set(kim.id, entry);
		entry.set('stoplight', 'orange');
		entry.set('stoplight', 'red');
		entry.set('flag:verzuim', true);
		entry.set('flag:made-up', true);
		for (const note of ['B', 'Be', 'Bel', 'Bel ouders']) entry.set('note', note);
		// A key for a student of another team is no history of anyone.
		const stray = new Y.Map<unknown>();
		students.set(foreign.id, stray);
		stray.set('stoplight', 'red');

		await eventually(async () => (await events(kim.id)).length > 0, 8_000);
		await new Promise((r) => setTimeout(r, 2_000));
		const kimEvents = await events(kim.id);
		expect(kimEvents).toHaveLength(1);
		expect(kimEvents[0]).toMatchObject({
			boardId: wallBoard.id,
			kind: 'update',
			actorId: mo.id,
			actorName: 'Mentor Mo',
			data: { stoplight: 'red', flags: ['verzuim'], note: 'Bel ouders' }
		});
		expect(await events(foreign.id)).toEqual([]);

		// Mo, then Sara, on Lex: two people, two events, each with its own name.
		const lexEntry = new Y.Map<unknown>();
		students.set(lex.id, lexEntry);
		lexEntry.set('stoplight', 'green');
		await eventually(() => studentsMap(saraClient.doc).get(lex.id) instanceof Y.Map);
		(studentsMap(saraClient.doc).get(lex.id) as Y.Map<unknown>).set('stoplight', 'orange');
		// Sara leaves at once: what she changed is still written when the room unloads.
		await eventually(
			async () =>
				(await room(wallBoard.id))?.doc.getMap('students').toJSON()[lex.id]?.stoplight === 'orange'
		);
		for (const c of clients.splice(0)) c.destroy();
		await eventually(async () => (await events(lex.id)).length === 2, 8_000);
		const lexEvents = (await events(lex.id)).sort((x, y) => x.id - y.id);
		expect(lexEvents.map((e) => [e.actorName, e.data.stoplight])).toEqual([
			['Mentor Mo', 'green'],
			['Mentor Sara', 'orange']
		]);
		expect(
			await db
				.select()
				.from(studentEvent)
				.where(and(eq(studentEvent.boardId, wallBoard.id), eq(studentEvent.studentId, kim.id)))
		).toHaveLength(1);
	});

	it('rooms without a students map open and sync as before', async () => {
		const { board, team, school, token } = await teamBoard();
		const c = connect(board.id, token);
		await eventually(() => c.provider.synced);
		addCard(c.doc, { type: 'ideas', title: 'Schoolplein' });
		await eventually(async () => (await room(board.id))!.doc.getMap('cards').size === 1);
		// Watching for history defines nothing in a verbeterbord's document.
		expect((await room(board.id))!.doc.share.has('students')).toBe(false);

		// A progress wall whose `students` is a list (malformed): opens, syncs, writes nothing.
		const wallBoard = await makeBoard(rt.database.db, school.id, {
			kind: 'voortgangsbord',
			teamId: team.id
		});
		const broken = new Y.Doc();
		const updates: Uint8Array[] = [];
		broken.on('update', (u: Uint8Array) => updates.push(u));
		broken.getArray('students').push(['x']);
		await appendUpdates(rt.database.db, wallBoard.id, updates);
		const w = connect(wallBoard.id, token);
		await eventually(() => w.provider.synced && w.doc.getArray('students').length === 1);
		// Pushing more list content is refused by the update guard; a second client still syncs.
		const other = connect(wallBoard.id, token);
		await eventually(() => other.provider.synced && other.doc.getArray('students').length === 1);
		const rows = await rt.database.db
			.select()
			.from(studentEvent)
			.where(eq(studentEvent.boardId, wallBoard.id));
		expect(rows).toEqual([]);
	});

	async function room(boardId: string) {
		return syncOf(app).rooms.get(boardId);
	}
});
