/** Session records and the successes archive on the real database (PGlite and PostgreSQL). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addCard,
	buildSessionRecord,
	endSession,
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
		const id = await storeSessionRecord(db, board, record, anna.id);
		endSession(doc);

		const listed = await listSessionRecords(db, board.id);
		expect(listed.map((r) => r.id)).toEqual([id]);
		expect(listed[0]!.data.reviewed).toEqual([{ title: 'Oud', who: 'Anna', outcome: 'carried' }]);
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
