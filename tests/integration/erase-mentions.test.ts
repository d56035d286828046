/**
 * Mentions everywhere (issue 12): a progress-wall note about *another* student that names the
 * student is found by the erasure preview like a card on another board, and erased (the note
 * only) when ticked; the retention dry-run page lists what names a student who is due, with a
 * link to their erasure page, and the real run leaves it for a person to decide.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard, cardsMap } from '../../src/lib/board/verbeterbord';
import { applyStudentUpdate, readStudentState } from '../../src/lib/board/voortgang';
import { editBoardDoc } from '../../src/lib/server/board-edit';
import { loadBoardDoc } from '../../src/lib/server/board-store';
import { auditLog, student } from '../../src/lib/server/db/schema';
import { eraseStudentData, erasurePreview } from '../../src/lib/server/privacy/erase';
import { runRetention } from '../../src/lib/server/privacy/retention';
import { load as retentionLoad } from '../../src/routes/admin/retention/+page.server';
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

describe.each(drivers)('mentions of a student elsewhere (%s)', (driver) => {
	let rt: TestRuntime;

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
	});
	afterAll(async () => {
		await rt.close();
	});

	/** A school with a team wall and a team board, the student and two classmates. */
	async function school(firstName: string, lastName: string) {
		const db = rt.database.db;
		const s = await makeSchool(db);
		const admin = asUser(await makeUser(db, s.id, { role: 'admin' }));
		const team = await makeTeam(db, s.id);
		const wall = await makeBoard(db, s.id, { kind: 'voortgangsbord', teamId: team.id });
		const teamBoard = await makeBoard(db, s.id, { teamId: team.id });
		const named = await makeStudent(db, s.id, { teamId: team.id });
		await db.update(student).set({ firstName, lastName }).where(eq(student.id, named.id));
		const other = await makeStudent(db, s.id, { teamId: team.id });
		const third = await makeStudent(db, s.id, { teamId: team.id });
		const note = (studentId: string, text: string) =>
			editBoardDoc(
				wall.id,
				(doc) =>
					applyStudentUpdate(
						doc,
						studentId,
						{ stoplight: 'orange', flags: [], note: text },
						{ name: 'Mentor', at: new Date() },
						[]
					),
				{},
				rt.runtime
			);
		return { db, s, admin, wall, teamBoard, named, other, third, note };
	}

	it('a wall note about another student that names them: in the preview, and only the note goes when ticked', async () => {
		const { db, s, admin, wall, named, other, third, note } = await school('Wobbe', 'Zijlstra');
		await note(named.id, 'Eigen notitie van Wobbe Zijlstra');
		await note(other.id, 'Ruzie met Wobbe Z. op het plein NOTITIE-merk-3310');
		await note(third.id, 'Speelt vaak met Wobbe Zijlstra, BLIJFT-merk-3311');

		const preview = await erasurePreview(rt.runtime, s.id, named.id);
		const notes = preview!.mentions.filter((m) => m.kind === 'note');
		// Their own note goes with their entry; the two notes about classmates are mentions.
		expect(notes.map((m) => m.key).sort()).toEqual(
			[`${wall.id}/note:${other.id}`, `${wall.id}/note:${third.id}`].sort()
		);
		expect(notes[0]).toMatchObject({ boardId: wall.id, studentName: 'Kim Test' });

		await eraseStudentData(rt.runtime, s.id, named.id, admin, {
			mentions: [`${wall.id}/note:${other.id}`]
		});

		expect(await tablesContaining(db, 'NOTITIE-merk-3310')).toEqual([]);
		const { doc } = await loadBoardDoc(db, wall.id);
		// Only the note: the classmate's stoplight stays, and the unticked note stays.
		expect(readStudentState(doc, other.id)).toMatchObject({ note: '', stoplight: 'orange' });
		expect(readStudentState(doc, third.id).note).toContain('BLIJFT-merk-3311');
		const [erased] = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.schoolId, s.id), eq(auditLog.action, 'student.erase')));
		expect(erased!.meta).toMatchObject({ mentions: 1, mentionsLeft: 1 });
	});

	it('the retention dry run lists what names a due student, with their erasure page; the run leaves it', async () => {
		const { db, s, admin, wall, teamBoard, named, other, note } = await school(
			'Sjoukje',
			'Hoekstra'
		);
		await db
			.update(student)
			.set({ leftAt: new Date(Date.now() - 3 * 365 * 86_400_000) })
			.where(eq(student.id, named.id));
		await editBoardDoc(
			teamBoard.id,
			(doc) =>
				addCard(doc, { type: 'ideas', title: 'Sjoukje H. helpt bij de musical' }, null, {
					id: 'musical'
				}),
			{},
			rt.runtime
		);
		await note(other.id, 'Mist Sjoukje Hoekstra erg');

		const page = (await retentionLoad({
			locals: { actor: admin },
			url: new URL('http://localhost/admin/retention')
		} as never)) as { students: Array<{ id: string; mentions: Array<{ key: string }> }> };
		const due = page.students.find((st) => st.id === named.id);
		// The page links each due student's erasure page (by id), where these can be ticked.
		expect(due?.mentions.map((m) => m.key).sort()).toEqual(
			[`${teamBoard.id}/musical`, `${wall.id}/note:${other.id}`].sort()
		);

		// The daily run erases the student but never another child's card on a name match.
		await runRetention(db, new Date(), {
			schoolId: s.id,
			eraseStudent: (schoolId, studentId) =>
				eraseStudentData(rt.runtime, schoolId, studentId, { kind: 'system' })
		});
		expect(await db.select().from(student).where(eq(student.id, named.id))).toEqual([]);
		expect(cardsMap((await loadBoardDoc(db, teamBoard.id)).doc).has('musical')).toBe(true);
		const wallDoc = (await loadBoardDoc(db, wall.id)).doc;
		expect(readStudentState(wallDoc, other.id).note).toBe('Mist Sjoukje Hoekstra erg');
		const [erased] = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.schoolId, s.id), eq(auditLog.action, 'student.erase')));
		expect(erased!.meta).toMatchObject({ mentions: 0, mentionsLeft: 2 });
	});
});
