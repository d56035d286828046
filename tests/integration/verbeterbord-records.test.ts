/** Session records and the successes archive on the real database (PGlite and PostgreSQL). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addCard,
	buildSessionRecord,
	endSession,
	listCards,
	reviewAction,
	setCheckIn,
	startSession
} from '../../src/lib/board/verbeterbord';
import {
	getSessionRecord,
	listSessionRecords,
	listTeamSuccesses,
	storeSessionRecord,
	teamMemberNames
} from '../../src/lib/board/verbeterbord-records.server';
import { createTestDatabase, drivers, type TestDatabase } from '../helpers/db';
import { makeBoard, makeSchool, makeTeam, makeUser } from '../helpers/factories';

describe.each(drivers)('verbeterbord records (%s)', (driver) => {
	let database: TestDatabase;

	beforeEach(async () => {
		database = await createTestDatabase(driver);
	});
	afterEach(async () => {
		await database.destroy();
	});

	it('the kwaliteitskaart holds each success once: 5 sessions of the same 11 successes give 11', async () => {
		const db = database.db;
		const school = await makeSchool(db);
		const anna = await makeUser(db, school.id, { name: 'Anna' });
		const team = await makeTeam(db, school.id, [anna.id]);
		const board = await makeBoard(db, school.id, { teamId: team.id });
		const doc = new Y.Doc();
		for (let i = 1; i <= 11; i++) addCard(doc, { type: 'successes', title: `Succes ${i}` });
		const start = Date.parse('2026-11-02T08:00:00Z');
		const week = 7 * 24 * 3_600_000;
		for (let session = 0; session < 5; session++) {
			// A session a week; the 11 successes stay on the board all the while.
			startSession(doc, 'Anna', null, new Date(start + session * week));
			const record = buildSessionRecord(doc, {}, new Date(start + session * week + 900_000));
			const successes = listCards(doc, 'successes').map((c) => ({
				cardId: c.id,
				title: c.title,
				who: c.type === 'successes' ? c.who : ''
			}));
			expect(successes).toHaveLength(11);
			expect((await storeSessionRecord(db, board, record, successes, anna.id)).created).toBe(true);
			endSession(doc);
		}
		expect(await listSessionRecords(db, board.id)).toHaveLength(5);
		const archive = await listTeamSuccesses(db, team.id);
		expect(archive).toHaveLength(11);
		expect(new Set(archive.map((s) => s.title)).size).toBe(11);
	});

	it('stores a session record, archives its successes and searches them', async () => {
		const db = database.db;
		const school = await makeSchool(db);
		const anna = await makeUser(db, school.id, { name: 'Anna' });
		const bas = await makeUser(db, school.id, { name: 'Bas' });
		const team = await makeTeam(db, school.id, [bas.id, anna.id]);
		const board = await makeBoard(db, school.id, { teamId: team.id });
		const other = await makeBoard(db, school.id, { teamId: null });

		expect(await teamMemberNames(db, team.id)).toEqual(['Anna', 'Bas']);

		const doc = new Y.Doc();
		const old = addCard(doc, { type: 'actions', title: 'Oud', who: 'Anna' });
		startSession(doc, 'Anna');
		setCheckIn(doc, 'anna', { name: 'Anna', value: 3 });
		addCard(doc, { type: 'successes', title: 'Rekenles met 100% inzet', who: 'Bas' });
		addCard(doc, { type: 'successes', title: 'Ouderavond goed bezocht' });
		if (old.ok) reviewAction(doc, old.value, 'carried');
		const record = buildSessionRecord(doc, { top: 'kort en krachtig' });
		const successes = listCards(doc, 'successes').map((c) => ({
			cardId: c.id,
			title: c.title,
			who: c.type === 'successes' ? c.who : ''
		}));
		const stored = await storeSessionRecord(db, board, record, successes, anna.id);
		expect(stored.created).toBe(true);
		const id = stored.id;
		// The same session again (a retry, a double click): the same record, nothing new.
		expect(await storeSessionRecord(db, board, record, successes, anna.id)).toEqual({
			id,
			created: false
		});
		endSession(doc);
		// The next session with the same successes still on the board archives none of them again.
		startSession(doc, 'Bas', null, new Date(Date.now() + 60_000));
		const next = buildSessionRecord(doc, {}, new Date(Date.now() + 120_000));
		expect((await storeSessionRecord(db, board, next, successes, bas.id)).created).toBe(true);

		const listed = await listSessionRecords(db, board.id);
		expect(listed.map((r) => r.id)).toContain(id);
		expect(listed).toHaveLength(2);
		expect(listed.find((r) => r.id === id)!.data.reviewed).toEqual([
			{ title: 'Oud', who: 'Anna', outcome: 'carried' }
		]);
		expect((await getSessionRecord(db, board.id, id))?.data.top).toBe('kort en krachtig');
		// Another board's id is not an oracle for this record.
		expect(await getSessionRecord(db, other.id, id)).toBeNull();

		const all = await listTeamSuccesses(db, team.id);
		expect(all.map((s) => s.title).sort()).toEqual([
			'Ouderavond goed bezocht',
			'Rekenles met 100% inzet'
		]);
		expect((await listTeamSuccesses(db, team.id, 'rekenles')).map((s) => s.title)).toEqual([
			'Rekenles met 100% inzet'
		]);
		// LIKE wildcards in the query are literal.
		expect((await listTeamSuccesses(db, team.id, '100%')).length).toBe(1);
		expect((await listTeamSuccesses(db, team.id, '_')).length).toBe(0);
		expect(await listTeamSuccesses(db, 'nosuchteam')).toEqual([]);
	});
});
