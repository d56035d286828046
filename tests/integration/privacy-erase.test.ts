/**
 * Erasure reaches board history and open rooms, over the real sync server and real y-websocket
 * clients: after erasing a marker text (a card on a verbeterbord, a progress-wall note, a
 * child's own words on a care meeting and its family part), no row of any table (update logs
 * and snapshots included) and no file under DATA_DIR holds it, connected clients no longer show
 * it, and app clients are told to drop their offline copy.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../server/app';
import * as Y from 'yjs';
import { HISTORY_QUIET_MS, watchStudentHistory } from '../../server/student-history';
import { addCard, cardsMap, updateCard } from '../../src/lib/board/verbeterbord';
import { applyStudentUpdate, readStudentState } from '../../src/lib/board/voortgang';
import { compactBoard, loadBoardDoc } from '../../src/lib/server/board-store';
import {
	auditLog,
	board as boardTable,
	boardRecord,
	boardUpdate,
	media,
	student as studentTable,
	studentEvent
} from '../../src/lib/server/db/schema';
import { eraseCard, eraseStudentData, erasurePreview } from '../../src/lib/server/privacy/erase';
import { editBoardDoc } from '../../src/lib/server/board-edit';
import { drivers } from '../helpers/db';
import { filesContaining, tablesContaining } from '../helpers/byte-search';
import {
	asUser,
	guestToken,
	loginToken,
	makeBoard,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser
} from '../helpers/factories';
import { familyPartOf, storageContains } from '../helpers/family';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import {
	connectAckClient,
	connectClient,
	eventually,
	syncOf,
	type TestClient
} from '../helpers/sync-client';

describe.each(drivers)('erasure reaches history and open rooms (%s)', (driver) => {
	let rt: TestRuntime;
	let app: AppServer;
	let dataDir: string;
	const clients: TestClient[] = [];

	beforeEach(async () => {
		dataDir = await mkdtemp(path.join(tmpdir(), 'groeibord-erase-'));
		rt = await startTestRuntime(driver, { DATA_DIR: dataDir, SYNC_ROOM_UNLOAD_MS: '200' });
		app = await startAppServer(rt.runtime, undefined, { port: 0, host: '127.0.0.1' });
	});

	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		await app.close();
		await rt.close();
		await rm(dataDir, { recursive: true, force: true });
	});

	async function school() {
		const db = rt.database.db;
		const s = await makeSchool(db);
		const admin = await makeUser(db, s.id, { role: 'admin', name: 'IB' });
		const mentor = await makeUser(db, s.id, { name: 'Mentor Mo' });
		const team = await makeTeam(db, s.id, [mentor.id]);
		return { school: s, admin, mentor, team, mentorToken: await loginToken(db, mentor) };
	}

	function client(boardId: string, token: string) {
		const c = connectClient(app.url, boardId, token);
		clients.push(c);
		return c;
	}

	/** An app-like client (saved=1) that records whether it was told to drop its cache. */
	function appClient(boardId: string, token: string) {
		const c = connectAckClient(app.url, boardId, token);
		clients.push(c);
		const state = { dropped: false };
		c.provider.messageHandlers[101] = () => {
			state.dropped = true;
		};
		return Object.assign(c, { state });
	}

	const synced = (...cs: TestClient[]) =>
		eventually(() => cs.every((c) => c.provider.synced), 10_000, 'clients did not sync');

	async function nowhere(marker: string) {
		expect(await tablesContaining(rt.database.db, marker), marker).toEqual([]);
		expect(await filesContaining(dataDir, marker), marker).toEqual([]);
	}

	it('a card on a verbeterbord: gone from snapshot, log, session records and every client', async () => {
		const { school: s, admin, mentor, mentorToken } = await school();
		const db = rt.database.db;
		const b = await makeBoard(db, s.id, { kind: 'verbeterbord', members: [[mentor.id, 'owner']] });
		const marker = 'WISMIJ-verbeterbord-7f3';
		const c = appClient(b.id, mentorToken);
		const other = client(b.id, mentorToken);
		await synced(c, other);
		addCard(c.doc, { type: 'successes', title: marker }, 'local', { id: 'gone1' });
		addCard(c.doc, { type: 'successes', title: 'Blijft staan' }, 'local', { id: 'stays' });
		await eventually(() => c.isSaved(), 5_000, 'never saved');
		// In the snapshot, and in later log rows too.
		await compactBoard(db, b.id);
		updateCard(c.doc, 'gone1', { body: `${marker}-body` }, 'local');
		await eventually(() => c.isSaved(), 5_000, 'edit never saved');
		// A session record of the board that named the card.
		await db.insert(boardRecord).values({
			boardId: b.id,
			kind: 'session',
			key: '2026-12-01T09:00:00.000Z',
			data: {
				successes: [
					{ title: marker, who: 'Mo' },
					{ title: 'Blijft staan', who: 'Mo' }
				]
			}
		});
		expect(await tablesContaining(db, marker)).not.toEqual([]);

		const result = await eraseCard(
			rt.runtime,
			s.id,
			{ kind: 'card', boardId: b.id, cardId: 'gone1' },
			asUser(admin)
		);
		expect(result).toBe('erased');
		await eventually(() => !cardsMap(other.doc).has('gone1'), 5_000, 'a client still shows it');
		expect(cardsMap(c.doc).has('gone1')).toBe(false);
		// Sent when the erasure is done; it reaches the client a moment later, like any message.
		await eventually(() => c.state.dropped, 5_000, 'never told to drop its copy');
		await nowhere(marker);

		// The rest of the board and its record stay, and the room keeps working.
		const [record] = await db.select().from(boardRecord).where(eq(boardRecord.boardId, b.id));
		expect(JSON.stringify(record!.data)).toContain('Blijft staan');
		addCard(other.doc, { type: 'ideas', title: 'Daarna' }, 'local', { id: 'after' });
		await eventually(() => cardsMap(c.doc).has('after'));
		await (await syncOf(app).rooms.get(b.id))!.flush();
		const { doc: stored } = await loadBoardDoc(db, b.id);
		expect(cardsMap(stored).has('stays') && cardsMap(stored).has('after')).toBe(true);
		expect(cardsMap(stored).has('gone1')).toBe(false);
		await nowhere(marker);
		const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'card.erase'));
		expect(JSON.stringify(audit)).not.toContain(marker);
	});

	it('a note on the progress wall: gone from the wall, its history and every client', async () => {
		const { school: s, admin, mentor, team, mentorToken } = await school();
		const db = rt.database.db;
		const wall = await makeBoard(db, s.id, {
			kind: 'voortgangsbord',
			teamId: team.id,
			members: [[mentor.id, 'owner']]
		});
		const pupil = await makeStudent(db, s.id, { teamId: team.id, mentorId: mentor.id });
		const marker = 'WISMIJ-muurnotitie-2c9';
		const c = client(wall.id, mentorToken);
		await synced(c);
		applyStudentUpdate(
			c.doc,
			pupil.id,
			{ stoplight: 'orange', flags: [], note: marker },
			{ name: 'Mentor Mo', at: new Date() },
			[]
		);
		// The server writes the history row itself once the mentor is quiet.
		await eventually(
			async () => (await db.select().from(studentEvent)).length > 0,
			HISTORY_QUIET_MS + 8_000,
			'no history row'
		);
		expect(await tablesContaining(db, marker)).toContain('student_event');

		const result = await eraseCard(
			rt.runtime,
			s.id,
			{ kind: 'note', boardId: wall.id, studentId: pupil.id },
			asUser(admin)
		);
		expect(result).toBe('erased');
		await eventually(
			() => readStudentState(c.doc, pupil.id).note === '',
			5_000,
			'note still shown'
		);
		// The stoplight is not the note: it stays, on the wall and in the history.
		expect(readStudentState(c.doc, pupil.id).stoplight).toBe('orange');
		const [event] = await db.select().from(studentEvent);
		expect(event!.data.stoplight).toBe('orange');
		await nowhere(marker);
	});

	it('a note erased while a lagging room still holds it is not written back by that room’s history', async () => {
		const { school: s, admin, mentor, team } = await school();
		const db = rt.database.db;
		const wall = await makeBoard(db, s.id, {
			kind: 'voortgangsbord',
			teamId: team.id,
			members: [[mentor.id, 'owner']]
		});
		const pupil = await makeStudent(db, s.id, { teamId: team.id, mentorId: mentor.id });
		const marker = 'WISMIJ-achterloper-8b2';
		// The wall as a room on another instance holds it, whose history writer is still waiting
		// for the mentor to be quiet, and which never hears of the erasure in time (Redis lags).
		const lagging = new Y.Doc();
		watchStudentHistory(
			rt.runtime,
			{
				boardId: wall.id,
				observeDocument: (attach) => attach(lagging),
				destroyed: false,
				flush: async () => {}
			},
			{ quietMs: 60_000, maxWaitMs: 60_000 }
		);
		const mentorConnection = { actor: asUser(mentor), role: 'owner', ws: null };
		lagging.transact(() => {
			applyStudentUpdate(
				lagging,
				pupil.id,
				{ stoplight: 'orange', flags: [], note: marker },
				{ name: 'Mentor Mo', at: new Date() },
				[]
			);
		}, mentorConnection);
		// Stored by that instance's group commit.
		await db.insert(boardUpdate).values({ boardId: wall.id, data: Y.encodeStateAsUpdate(lagging) });

		const result = await eraseCard(
			rt.runtime,
			s.id,
			{ kind: 'note', boardId: wall.id, studentId: pupil.id },
			asUser(admin)
		);
		expect(result).toBe('erased');
		// The room unloads: its writer writes what it holds open, now.
		lagging.destroy();
		const writes = rt.runtime.services.studentHistoryWrites as Set<Promise<void>>;
		await Promise.allSettled([...writes]);
		expect(await db.select().from(studentEvent)).toEqual([]);
		await nowhere(marker);
	});

	it("the child's own words on a care meeting: gone from the board, its family part and every client; the mentor may do it", async () => {
		const { school: s, mentor, mentorToken } = await school();
		const db = rt.database.db;
		const pupil = await makeStudent(db, s.id, { mentorId: mentor.id });
		const b = await makeBoard(db, s.id, {
			kind: 'zorgoverleg',
			studentId: pupil.id,
			members: [[mentor.id, 'owner']]
		});
		const child = await guestToken(db, b.id, 'child', mentor.id, 'Kim');
		const parent = await guestToken(db, b.id, 'parent', mentor.id, 'Moeder');
		const marker = 'WISMIJ-eigenwoorden-5d1';
		const kid = client(b.id, child.token);
		const mum = client(b.id, parent.token);
		const staff = client(b.id, mentorToken);
		await synced(kid, mum, staff);
		addCard(kid.doc, { type: 'wishes', title: marker, visibility: 'family' }, 'local', {
			id: 'words',
			createdBy: child.actorKey,
			createdByName: 'Kim'
		});
		await eventually(() => cardsMap(mum.doc).has('words'), 5_000, 'never reached the parent');
		const part = (await familyPartOf(db, b.id))!;
		await (await syncOf(app).rooms.get(part))!.flush();
		expect(await storageContains(db, part, marker)).toBe(true);

		// Another staff member who is not the mentor may not; the mentor may (permissions.ts).
		const colleague = await makeUser(db, s.id);
		const refused = await eraseCard(
			rt.runtime,
			s.id,
			{ kind: 'card', boardId: b.id, cardId: 'words' },
			asUser(colleague)
		);
		expect(refused).toBe('forbidden');
		const result = await eraseCard(
			rt.runtime,
			s.id,
			{ kind: 'card', boardId: b.id, cardId: 'words' },
			asUser(mentor)
		);
		expect(result).toBe('erased');
		await eventually(
			() => ![kid, mum, staff].some((c) => cardsMap(c.doc).has('words')),
			5_000,
			'a client still shows the words'
		);
		await nowhere(marker);
	});

	it('a card on a team board that names the student: listed in the preview, erased with them when ticked', async () => {
		const { school: s, admin, mentor, team, mentorToken } = await school();
		const db = rt.database.db;
		const noor = await makeStudent(db, s.id, { teamId: team.id, mentorId: mentor.id });
		await db
			.update(studentTable)
			.set({ firstName: 'Noor', lastName: 'de Jong' })
			.where(eq(studentTable.id, noor.id));
		const board = await makeBoard(db, s.id, { teamId: team.id, members: [[mentor.id, 'owner']] });
		const other = await makeBoard(db, s.id, { teamId: team.id, members: [[mentor.id, 'owner']] });
		const live = client(board.id, mentorToken);
		await synced(live);
		const marker = 'Noor de Jong helpt bij MERK-naam-5520';
		addCard(live.doc, { type: 'ideas', title: marker }, 'local', { id: 'named' });
		addCard(
			live.doc,
			{ type: 'ideas', title: 'Leesmaatjes', body: 'vraag noor j. MERK-kort-5520' },
			'local',
			{
				id: 'short'
			}
		);
		addCard(live.doc, { type: 'ideas', title: 'Noor Jansen helpt MERK-blijft-5520' }, 'local', {
			id: 'stays'
		});
		await eventually(async () => (await tablesContaining(db, 'MERK-blijft-5520')).length > 0);
		// Found on a board that is not open too, and left alone when not ticked.
		await editBoardDoc(
			other.id,
			(doc) =>
				addCard(doc, { type: 'ideas', title: 'Noor de Jong MERK-niet-5520' }, null, {
					id: 'unticked'
				}),
			{},
			rt.runtime
		);

		const preview = await erasurePreview(rt.runtime, s.id, noor.id);
		expect(preview!.mentions.map((m) => m.key).sort()).toEqual(
			[`${board.id}/named`, `${board.id}/short`, `${other.id}/unticked`].sort()
		);
		expect(await tablesContaining(db, 'MERK-naam-5520')).not.toEqual([]);

		await eraseStudentData(rt.runtime, s.id, noor.id, asUser(admin), {
			// A key of no mention (another school's board, a made-up card) erases nothing.
			mentions: [`${board.id}/named`, `${board.id}/short`, `${board.id}/stays`, 'x/y']
		});
		await eventually(() => !cardsMap(live.doc).has('named') && !cardsMap(live.doc).has('short'));
		await nowhere('MERK-naam-5520');
		await nowhere('MERK-kort-5520');
		expect(cardsMap(live.doc).has('stays')).toBe(true);
		expect(await tablesContaining(db, 'MERK-blijft-5520')).not.toEqual([]);
		expect(await tablesContaining(db, 'MERK-niet-5520')).not.toEqual([]);
		const audits = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'card.erase'), eq(auditLog.studentId, noor.id)));
		expect(audits.map((a) => a.subjectId)).toEqual([board.id, board.id]);
		expect(JSON.stringify(audits)).not.toContain('MERK');
	});

	it('a whole student: own boards closed and deleted, wall entry gone, rows gone, audit kept without content', async () => {
		const { school: s, admin, mentor, team, mentorToken } = await school();
		const db = rt.database.db;
		const wall = await makeBoard(db, s.id, {
			kind: 'voortgangsbord',
			teamId: team.id,
			members: [[mentor.id, 'owner']]
		});
		const pupil = await makeStudent(db, s.id, { teamId: team.id, mentorId: mentor.id });
		const keep = await makeStudent(db, s.id, { teamId: team.id, mentorId: mentor.id });
		await db
			.update(studentTable)
			.set({ firstName: 'Zwaantje', lastName: 'Wisdebeek' })
			.where(eq(studentTable.id, pupil.id));
		const meeting = await makeBoard(db, s.id, {
			kind: 'zorgoverleg',
			studentId: pupil.id,
			members: [[mentor.id, 'owner']]
		});
		await db.insert(media).values({
			id: 'photo-zwaantje',
			schoolId: s.id,
			studentId: pupil.id,
			purpose: 'student_photo',
			mime: 'image/jpeg',
			width: 1,
			height: 1,
			data: Buffer.from('FOTO-zwaantje-bytes'),
			thumbMime: 'image/jpeg',
			thumb: Buffer.from('FOTO-zwaantje-thumb')
		});
		const onMeeting = appClient(meeting.id, mentorToken);
		const onWall = client(wall.id, mentorToken);
		await synced(onMeeting, onWall);
		addCard(onMeeting.doc, { type: 'successes', title: 'WISMIJ-zwaantje-kaart' }, 'local');
		applyStudentUpdate(
			onWall.doc,
			pupil.id,
			{ stoplight: 'red', flags: [], note: 'WISMIJ-zwaantje-muur' },
			{ name: 'Mentor Mo', at: new Date() },
			[]
		);
		applyStudentUpdate(
			onWall.doc,
			keep.id,
			{ stoplight: 'green', flags: [], note: 'Blijft-op-de-muur' },
			{ name: 'Mentor Mo', at: new Date() },
			[]
		);
		await eventually(() => onMeeting.isSaved(), 5_000, 'never saved');
		await eventually(
			async () => (await db.select().from(studentEvent)).length >= 2,
			HISTORY_QUIET_MS + 8_000,
			'no history rows'
		);
		await (await syncOf(app).rooms.get(wall.id))!.flush();
		expect(await tablesContaining(db, 'WISMIJ-zwaantje-muur')).toContain('board_update');

		const counts = await eraseStudentData(rt.runtime, s.id, pupil.id, asUser(admin));
		expect(counts).toMatchObject({ boards: 1, cards: 1, wallEntries: 1, photos: 1, events: 1 });
		await eventually(() => onMeeting.state.dropped, 5_000, 'never told to drop its copy');
		await eventually(
			() => readStudentState(onWall.doc, pupil.id).stoplight === null,
			5_000,
			'the wall still shows the student'
		);
		expect(readStudentState(onWall.doc, keep.id).note).toBe('Blijft-op-de-muur');
		for (const marker of [
			'Zwaantje',
			'Wisdebeek',
			'WISMIJ-zwaantje-kaart',
			'WISMIJ-zwaantje-muur',
			'FOTO-zwaantje'
		]) {
			await nowhere(marker);
		}
		expect(await db.select().from(boardTable).where(eq(boardTable.studentId, pupil.id))).toEqual(
			[]
		);
		// Kept: the audit entries, with the erasure's counts and nothing a person wrote.
		const [erased] = await db.select().from(auditLog).where(eq(auditLog.action, 'student.erase'));
		expect(erased!.meta).toMatchObject({ boards: 1, photos: 1 });
		// Erasing again finds nothing: the student does not exist any more.
		expect(await eraseStudentData(rt.runtime, s.id, pupil.id, asUser(admin))).toBeNull();
	});
});
