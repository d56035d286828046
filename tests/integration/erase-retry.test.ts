/**
 * A failed erasure can be retried: an entry that is already gone from the live board but whose
 * words are still in the update log or the snapshot (the live deletion went through and the
 * re-encode did not, or the run stopped between a board and its family part) is finished by a
 * second call, by card id, by wall note and by student, instead of "not found".
 */
import { and, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard, cardsMap } from '../../src/lib/board/verbeterbord';
import { applyStudentUpdate, readStudentState, studentsMap } from '../../src/lib/board/voortgang';
import type { Actor } from '../../src/lib/server/auth/actor';
import { editBoardDoc } from '../../src/lib/server/board-edit';
import { compactBoard, loadBoardDoc, reencodeBoard } from '../../src/lib/server/board-store';
import { auditLog, board, boardRecord } from '../../src/lib/server/db/schema';
import { eraseCard, eraseStudentData } from '../../src/lib/server/privacy/erase';
import { newId } from '../../src/lib/server/auth/tokens';
import { tablesContaining } from '../helpers/byte-search';
import { drivers } from '../helpers/db';
import {
	asUser,
	makeBoard,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser
} from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

describe.each(drivers)('a failed erasure can be retried (%s)', (driver) => {
	let rt: TestRuntime;
	let admin: Actor;
	let schoolId: string;

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const s = await makeSchool(rt.database.db);
		schoolId = s.id;
		admin = asUser(await makeUser(rt.database.db, s.id, { role: 'admin' }));
	});
	afterAll(async () => {
		await rt.close();
	});

	const db = () => rt.database.db;
	const erasures = (boardId: string) =>
		db()
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'card.erase'), eq(auditLog.subjectId, boardId)));
	const addIdea = (boardId: string, id: string, title: string) =>
		editBoardDoc(
			boardId,
			(doc) => addCard(doc, { type: 'ideas', title }, null, { id }),
			{},
			rt.runtime
		);

	it('a card deleted live but still in the log and the snapshot: the retry erases it', async () => {
		const b = await makeBoard(db(), schoolId);
		const marker = 'HERKANSING-kaart-4417';
		await addIdea(b.id, 'half', `${marker} half gewist`);
		await compactBoard(db(), b.id);
		// A derived row that holds the words without the card's id (a copied session note).
		await db()
			.insert(boardRecord)
			.values({ boardId: b.id, kind: 'note', data: { text: `zie ${marker} half gewist` } });
		// The first run's live step: the card leaves the board; then it stopped (a crash).
		await editBoardDoc(b.id, (doc) => cardsMap(doc).delete('half'), {}, rt.runtime);
		expect(cardsMap((await loadBoardDoc(db(), b.id)).doc).has('half')).toBe(false);
		expect(await tablesContaining(db(), marker)).toEqual(
			expect.arrayContaining(['board_snapshot', 'board_record'])
		);

		const result = await eraseCard(
			rt.runtime,
			schoolId,
			{ kind: 'card', boardId: b.id, cardId: 'half' },
			admin
		);

		expect(result).toBe('erased');
		expect(await tablesContaining(db(), marker)).toEqual([]);
		const rows = await erasures(b.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]!.meta).toMatchObject({ entry: 'ideas', historyOnly: true });
	});

	it('a run that stopped between the board and its family part: the retry erases the copy', async () => {
		const pupil = await makeStudent(db(), schoolId);
		const b = await makeBoard(db(), schoolId, { kind: 'zorgoverleg', studentId: pupil.id });
		const [part] = await db()
			.insert(board)
			.values({
				id: newId(),
				schoolId,
				kind: 'zorgoverleg',
				title: 'Thuis',
				studentId: pupil.id,
				partOf: b.id
			})
			.returning();
		const marker = 'HERKANSING-thuisdeel-9023';
		await addIdea(b.id, 'words', marker);
		await addIdea(part!.id, 'words', marker);
		// The main board was erased and re-encoded; the family part was not reached.
		await editBoardDoc(b.id, (doc) => cardsMap(doc).delete('words'), {}, rt.runtime);
		await reencodeBoard(db(), b.id);
		expect(await tablesContaining(db(), marker)).toEqual(['board_update']);

		const result = await eraseCard(
			rt.runtime,
			schoolId,
			{ kind: 'card', boardId: b.id, cardId: 'words' },
			admin
		);

		expect(result).toBe('erased');
		expect(await tablesContaining(db(), marker)).toEqual([]);
		expect(cardsMap((await loadBoardDoc(db(), part!.id)).doc).has('words')).toBe(false);
	});

	it('a wall note cleared live but still in the log: the retry erases it', async () => {
		const team = await makeTeam(db(), schoolId);
		const wall = await makeBoard(db(), schoolId, { kind: 'voortgangsbord', teamId: team.id });
		const pupil = await makeStudent(db(), schoolId, { teamId: team.id });
		const marker = 'HERKANSING-notitie-6630';
		await editBoardDoc(
			wall.id,
			(doc) =>
				applyStudentUpdate(
					doc,
					pupil.id,
					{ stoplight: 'orange', flags: [], note: marker },
					{ name: 'Mentor', at: new Date() },
					[]
				),
			{},
			rt.runtime
		);
		await editBoardDoc(
			wall.id,
			(doc) => (studentsMap(doc).get(pupil.id) as Y.Map<unknown>).delete('note'),
			{},
			rt.runtime
		);
		expect(readStudentState((await loadBoardDoc(db(), wall.id)).doc, pupil.id).note).toBe('');

		const result = await eraseCard(
			rt.runtime,
			schoolId,
			{ kind: 'note', boardId: wall.id, studentId: pupil.id },
			admin
		);

		expect(result).toBe('erased');
		expect(await tablesContaining(db(), marker)).toEqual([]);
		expect(readStudentState((await loadBoardDoc(db(), wall.id)).doc, pupil.id).stoplight).toBe(
			'orange'
		);
		expect((await erasures(wall.id))[0]!.meta).toMatchObject({ entry: 'note', historyOnly: true });
	});

	it('a student whose wall entry left the live wall but not its history: erased all the same', async () => {
		const team = await makeTeam(db(), schoolId);
		const wall = await makeBoard(db(), schoolId, { kind: 'voortgangsbord', teamId: team.id });
		const pupil = await makeStudent(db(), schoolId, { teamId: team.id });
		const marker = 'HERKANSING-leerling-2281';
		await editBoardDoc(
			wall.id,
			(doc) =>
				applyStudentUpdate(
					doc,
					pupil.id,
					{ stoplight: 'red', flags: [], note: marker },
					{ name: 'Mentor', at: new Date() },
					[]
				),
			{},
			rt.runtime
		);
		// The first run's wall step went live, then it stopped before the student's rows went.
		await editBoardDoc(wall.id, (doc) => studentsMap(doc).delete(pupil.id), {}, rt.runtime);
		expect(await tablesContaining(db(), marker)).toEqual(['board_update']);

		expect(await eraseStudentData(rt.runtime, schoolId, pupil.id, admin)).not.toBeNull();

		expect(await tablesContaining(db(), marker)).toEqual([]);
	});

	it('a card that was never there, or is erased completely, is still not found', async () => {
		const b = await makeBoard(db(), schoolId);
		await addIdea(b.id, 'once', 'HERKANSING-eenmaal-1170');
		const erase = (cardId: string) =>
			eraseCard(rt.runtime, schoolId, { kind: 'card', boardId: b.id, cardId }, admin);
		expect(await erase('never')).toBe('not_found');
		expect(await erase('once')).toBe('erased');
		// Only a tombstone is left: nothing to finish, and no second audit row.
		expect(await erase('once')).toBe('not_found');
		expect(await erasures(b.id)).toHaveLength(1);
	});
});
