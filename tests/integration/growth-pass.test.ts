/**
 * The weekly pass on one criterion (`/teams/<teamId>/criteria/pass`), against a real database
 * (PGlite and PostgreSQL): the rows are the team's students the reader sees (not another
 * team's, not one who left), each with the newest mentor's and student's view in the words of
 * the version it was given in; a row's level is stored as the mentor's view through growth's
 * writer; a student of another team or school, staff outside the team and bad input are
 * refused without storing anything.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/actor';
import { ensureDefaultSet, saveVersion } from '../../src/lib/server/criteria';
import { assessment, student, type Student } from '../../src/lib/server/db/schema';
import { recordAssessments } from '../../src/lib/server/growth';
import type { PassRow } from '../../src/lib/server/growth-pass';
import {
	actions as passActions,
	load as passLoad
} from '../../src/routes/teams/[teamId]/criteria/pass/+page.server';
import { drivers } from '../helpers/db';
import { asUser, makeSchool, makeStudent, makeTeam, makeUser } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/** What the pass page's load returns, as far as these tests read it. */
interface PassPage {
	chosen: { value: string; levels: { id: string; label: string }[] } | null;
	students: PassRow[];
}

describe.each(drivers)('weekly pass on a criterion (%s)', (driver) => {
	let rt: TestRuntime;
	let schoolId: string, teamId: string, setId: string, v1: string;
	let mentor: Actor & { kind: 'user' }, outsider: Actor & { kind: 'user' };
	let otherAdmin: Actor & { kind: 'user' };
	let kim: Student, noor: Student, left: Student, elsewhere: Student, foreign: Student;

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const db = rt.database.db;
		const school = await makeSchool(db);
		const other = await makeSchool(db, 'Andere school');
		schoolId = school.id;
		const uMentor = await makeUser(db, school.id, { name: 'Mehmet' });
		const uOut = await makeUser(db, school.id, { name: 'Buiten' });
		const uOther = await makeUser(db, other.id, { role: 'admin' });
		mentor = asUser(uMentor);
		outsider = asUser(uOut);
		otherAdmin = asUser(uOther);
		const t = await makeTeam(db, school.id, [uMentor.id]);
		const t2 = await makeTeam(db, school.id, [uMentor.id, uOut.id]);
		teamId = t.id;
		kim = await makeStudent(db, school.id, { teamId, mentorId: uMentor.id });
		noor = await makeStudent(db, school.id, { teamId });
		await db.update(student).set({ firstName: 'Noor' }).where(eq(student.id, noor.id));
		left = await makeStudent(db, school.id, { teamId });
		await db.update(student).set({ leftAt: new Date() }).where(eq(student.id, left.id));
		elsewhere = await makeStudent(db, school.id, { teamId: t2.id });
		foreign = await makeStudent(db, other.id, { teamId: (await makeTeam(db, other.id)).id });
		const [set] = await ensureDefaultSet(db, schoolId, teamId);
		setId = set!.set.id;
		v1 = set!.versionId;
	});
	afterAll(async () => {
		await rt?.close();
	});

	const load = async (actor: Actor, query = '') => {
		const event = {
			locals: { actor },
			params: { teamId },
			url: new URL(`http://localhost/teams/${teamId}/criteria/pass${query}`)
		};
		try {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			return (await passLoad(event as any)) as PassPage;
		} catch (e) {
			return { thrown: (e as { status?: number }).status } as const;
		}
	};
	const post = async (actor: Actor, fields: Record<string, string>) => {
		const form = new FormData();
		for (const [k, v] of Object.entries(fields)) form.append(k, v);
		const event = {
			locals: { actor },
			params: { teamId },
			request: new Request('http://localhost/', { method: 'POST', body: form })
		};
		try {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			return (await passActions.level!(event as any)) as unknown;
		} catch (e) {
			return { thrown: (e as { status?: number }).status };
		}
	};
	const mentorViews = (studentId: string) =>
		rt.database.db
			.select()
			.from(assessment)
			.where(and(eq(assessment.studentId, studentId), eq(assessment.perspective, 'mentor')));

	it('lists the team’s students with the newest views in the words they were given in', async () => {
		const db = rt.database.db;
		// Kim's mentor gave "soms" in version 1; version 2 rewords it. Kim herself said "zelf".
		await db.transaction((tx) =>
			recordAssessments(tx, [
				{
					schoolId,
					studentId: kim.id,
					versionId: v1,
					criterionId: 'plannen',
					levelId: 'soms',
					perspective: 'mentor',
					authorName: 'Mehmet',
					assessedOn: '2026-10-01'
				},
				{
					schoolId,
					studentId: kim.id,
					versionId: v1,
					criterionId: 'plannen',
					levelId: 'zelf',
					perspective: 'student',
					authorName: 'Kim',
					assessedOn: '2026-10-02'
				}
			])
		);
		const [set] = await ensureDefaultSet(db, schoolId, teamId);
		const reworded = structuredClone(set!.content);
		reworded.criteria[0]!.levels[1]!.label = 'Ik plan het af en toe zelf';
		await saveVersion(db, schoolId, setId, { name: 'Leerhouding', content: reworded });

		const page = await load(mentor, `?criterium=${setId}:plannen`);
		if ('thrown' in page) throw new Error(`load refused: ${page.thrown}`);
		expect(page.chosen?.value).toBe(`${setId}:plannen`);
		expect(page.chosen?.levels.map((l) => l.label)[1]).toBe('Ik plan het af en toe zelf');
		expect(page.students.map((s) => s.id).sort()).toEqual([kim.id, noor.id].sort());
		const kimRow = page.students.find((s) => s.id === kim.id)!;
		expect(kimRow).toMatchObject({
			mine: true,
			mentor: { levelId: 'soms', levelLabel: 'Ik plan soms zelf', assessedOn: '2026-10-01' },
			student: { levelId: 'zelf', levelLabel: 'Ik plan mijn werk zelf' }
		});
		expect(page.students.find((s) => s.id === noor.id)).toMatchObject({
			mine: false,
			mentor: null,
			student: null
		});
		// An unknown criterion falls back to the team's first; staff outside the team and
		// another school's admin are not let in.
		const fallback = await load(mentor, '?criterium=nope:nope');
		expect('chosen' in fallback && fallback.chosen?.value).toBe(`${setId}:plannen`);
		expect(await load(outsider)).toEqual({ thrown: 404 });
		expect(await load(otherAdmin)).toEqual({ thrown: 404 });
	});

	it('stores a row’s level as the mentor’s view on the current version', async () => {
		const before = (await mentorViews(noor.id)).length;
		expect(
			await post(mentor, { studentId: noor.id, criterion: `${setId}:feedback`, level: 'zelf' })
		).toEqual({ level: { studentId: noor.id, levelId: 'zelf', error: null } });
		const rows = await mentorViews(noor.id);
		expect(rows.length).toBe(before + 1);
		const stored = rows.find((r) => r.criterionId === 'feedback')!;
		expect(stored).toMatchObject({ levelId: 'zelf', authorName: 'Mehmet', schoolId });
		expect(stored.versionId).not.toBe(v1);
		const page = await load(mentor, `?criterium=${setId}:feedback`);
		expect('students' in page && page.students.find((s) => s.id === noor.id)?.mentor?.levelId).toBe(
			'zelf'
		);
	});

	it('refuses other teams’ and schools’ students, outsiders and bad input, storing nothing', async () => {
		const level = { criterion: `${setId}:plannen`, level: 'zelf' };
		expect(await post(mentor, { studentId: elsewhere.id, ...level })).toEqual({ thrown: 404 });
		expect(await post(mentor, { studentId: foreign.id, ...level })).toEqual({ thrown: 404 });
		expect(await post(mentor, { studentId: left.id, ...level })).toEqual({ thrown: 404 });
		expect(await post(outsider, { studentId: kim.id, ...level })).toEqual({ thrown: 404 });
		expect(
			await post(mentor, { studentId: kim.id, criterion: `${setId}:plannen`, level: 'tien' })
		).toEqual({
			status: 400,
			data: { level: { studentId: kim.id, error: 'unknown_level' } }
		});
		expect(await post(mentor, { studentId: kim.id, criterion: 'x', level: 'zelf' })).toMatchObject({
			status: 400,
			data: { level: { studentId: kim.id } }
		});
		for (const s of [elsewhere, foreign, left]) expect(await mentorViews(s.id)).toEqual([]);
		// Kim still has only the one view given before these were refused.
		expect((await mentorViews(kim.id)).length).toBe(1);
	});
});
