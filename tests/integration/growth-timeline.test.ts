/**
 * The growth timeline, stagnation questions, a level recorded outside a talk and the weekly
 * planning, against a real database (PGlite and PostgreSQL): what the page reads and writes,
 * for whom, and that another student's or school's ids are not found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../src/lib/server/auth/actor';
import { newId } from '../../src/lib/server/auth/tokens';
import { ensureDefaultSet } from '../../src/lib/server/criteria';
import { DEMO_SCHOOL_ID, seedDemo } from '../../src/lib/server/demo';
import { loadStudent } from '../../src/lib/server/auth/permissions';
import {
	assessment,
	board,
	boardRecord,
	goalStep,
	studentGoal,
	type Student
} from '../../src/lib/server/db/schema';
import { markGoalDone, recordAgreedGoals, recordAssessments } from '../../src/lib/server/growth';
import { loadGrowthTimeline } from '../../src/lib/server/growth-timeline';
import { weekPlan } from '../../src/lib/server/planning';
import {
	actions as growthActions,
	load as growthLoad
} from '../../src/routes/students/[studentId=id]/growth/+page.server';
import { drivers } from '../helpers/db';
import {
	asUser,
	fakeSession,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser
} from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const studentActor = (s: Student): Actor => ({
	kind: 'student',
	session: fakeSession,
	schoolId: s.schoolId,
	studentId: s.id,
	displayName: 'Kim'
});

describe.each(drivers)('growth timeline and planning (%s)', (driver) => {
	let rt: TestRuntime;
	let kim: Student, sam: Student, foreign: Student;
	let mentor: Actor & { kind: 'user' }, outsider: Actor & { kind: 'user' };
	let setId: string, versionId: string, goalId: string, samGoalId: string;

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const db = rt.database.db;
		const school = await makeSchool(db);
		const other = await makeSchool(db, 'Andere school');
		const uMentor = await makeUser(db, school.id, { name: 'Mehmet' });
		const uOut = await makeUser(db, school.id, { name: 'Buiten' });
		const team = await makeTeam(db, school.id, [uMentor.id]);
		await makeTeam(db, school.id, [uOut.id]);
		mentor = asUser(uMentor);
		outsider = asUser(uOut);
		kim = await makeStudent(db, school.id, { teamId: team.id, mentorId: uMentor.id });
		sam = await makeStudent(db, school.id, { teamId: team.id, mentorId: uMentor.id });
		foreign = await makeStudent(db, other.id, { teamId: (await makeTeam(db, other.id)).id });
		const [set] = await ensureDefaultSet(db, school.id, team.id);
		setId = set!.set.id;
		versionId = set!.versionId;
		const row = (
			criterionId: string,
			levelId: string,
			perspective: 'student' | 'mentor',
			on: string
		) => ({
			schoolId: school.id,
			studentId: kim.id,
			versionId,
			criterionId,
			levelId,
			perspective,
			authorName: perspective === 'mentor' ? 'Mehmet' : 'Kim',
			assessedOn: on
		});
		const talkId = newId();
		await db.insert(board).values({
			id: talkId,
			schoolId: school.id,
			studentId: kim.id,
			kind: 'driehoeksgesprek',
			title: 'Driehoeksgesprek Kim'
		});
		await db.insert(boardRecord).values({
			boardId: talkId,
			kind: 'talk_record',
			key: 'talk',
			data: {},
			createdAt: new Date('2026-09-12T10:00:00Z')
		});
		await db.transaction(async (tx) => {
			await recordAssessments(tx, [
				row('plannen', 'begin', 'student', '2026-09-12'),
				row('plannen', 'begin', 'mentor', '2026-09-12'),
				row('plannen', 'soms', 'mentor', '2026-11-14'),
				row('feedback', 'soms', 'student', '2026-09-12'),
				row('feedback', 'soms', 'mentor', '2026-09-12'),
				row('feedback', 'soms', 'student', '2026-11-14'),
				row('feedback', 'soms', 'mentor', '2026-11-14')
			]);
			const kimGoals = await recordAgreedGoals(tx, {
				schoolId: school.id,
				studentId: kim.id,
				boardId: talkId,
				writtenBy: 'Mehmet',
				agreedAt: new Date('2026-09-12T10:00:00Z'),
				goals: [{ text: 'Ik plan elke maandag' }, { text: 'Ik vraag om feedback' }]
			});
			goalId = kimGoals[0]!;
			const samGoals = await recordAgreedGoals(tx, {
				schoolId: school.id,
				studentId: sam.id,
				boardId: null,
				writtenBy: 'Mehmet',
				goals: [{ text: 'Sams doel' }]
			});
			samGoalId = samGoals[0]!;
		});
	});
	afterAll(async () => {
		await rt?.close();
	});

	it('reads per criterion the talk and each level with its step, and asks only about feedback', async () => {
		const db = rt.database.db;
		const { timeline, signals } = await loadGrowthTimeline(
			db,
			kim,
			{ from: null, to: null },
			new Date('2026-12-01T12:00:00Z')
		);
		const plannen = timeline.criteria.find((c) => c.criterionId === 'plannen')!;
		expect(
			plannen.points.map((p) =>
				p.kind === 'level'
					? `${p.on} ${p.perspective} ${p.levelLabel} ${p.change}`
					: `${p.on} ${p.kind}`
			)
		).toEqual([
			'2026-09-12 talk',
			'2026-09-12 student Ik begin met hulp first',
			'2026-09-12 mentor Ik begin met hulp first',
			'2026-11-14 mentor Ik plan soms zelf step'
		]);
		expect(signals.map((s) => [s.criterionId, s.since, s.perspectives])).toEqual([
			['feedback', '2026-09-12', ['student', 'mentor']]
		]);
		expect(timeline.general.filter((p) => p.kind === 'goal_set')).toHaveLength(2);
		// Another student's timeline holds none of Kim's points.
		const other = await loadGrowthTimeline(db, sam);
		expect(other.timeline.criteria.flatMap((c) => c.points)).toEqual([]);
	});

	it('shows a reached goal on the day it was marked, and a later edit does not move it', async () => {
		const db = rt.database.db;
		expect(await markGoalDone(db, sam, samGoalId, new Date('2027-01-20T10:00:00Z'))).toBe(true);
		const reachedOn = async () =>
			(await loadGrowthTimeline(db, sam)).timeline.general.map((p) => `${p.kind} ${p.on}`);
		const before = await reachedOn();
		expect(before.map((p) => p.split(' ')[0])).toEqual(['goal_set', 'goal_reached']);
		expect(before[1]).toBe('goal_reached 2027-01-20');
		// Weeks later someone rewrites the goal's words: "reached on" stays where it was.
		await db
			.update(studentGoal)
			.set({ text: 'Ik plan mijn week elke maandag', updatedAt: new Date('2027-03-01T09:00:00Z') })
			.where(eq(studentGoal.id, samGoalId));
		expect(await reachedOn()).toEqual(before);
	});

	const call = async (
		action: 'level' | 'step' | 'stepDone',
		fields: Record<string, string>,
		actor: Actor,
		studentId = kim.id
	) => {
		const form = new FormData();
		for (const [k, v] of Object.entries(fields)) form.set(k, v);
		const event = {
			locals: { actor },
			params: { studentId },
			request: new Request('http://localhost/', { method: 'POST', body: form })
		};
		try {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			return (await growthActions[action]!(event as any)) as unknown;
		} catch (e) {
			return { thrown: (e as { status?: number }).status };
		}
	};
	const load = async (actor: Actor, studentId: string, search = '') => {
		try {
			const event = {
				locals: { actor },
				params: { studentId },
				url: new URL(`http://localhost/students/${studentId}/growth${search}`)
			};
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			return (await growthLoad(event as any)) as Record<string, unknown>;
		} catch (e) {
			return { thrown: (e as { status?: number }).status };
		}
	};

	it('opens the page to the student and their staff, and not to another student or school', async () => {
		expect(await load(studentActor(kim), kim.id)).toMatchObject({ viewer: 'student' });
		expect(await load(mentor, kim.id)).toMatchObject({ viewer: 'staff' });
		expect(await load(studentActor(sam), kim.id)).toEqual({ thrown: 404 });
		expect(await load(outsider, kim.id)).toEqual({ thrown: 404 });
		expect(await load(mentor, foreign.id)).toEqual({ thrown: 404 });
		expect(await load(mentor, kim.id, '?van=2026-13-01')).toMatchObject({ periodError: true });
		expect(await load(mentor, kim.id, '?van=2026-11-01&tot=2026-11-30')).toMatchObject({
			periodError: false,
			period: { from: '2026-11-01', to: '2026-11-30' }
		});
	});

	it('records a self-evaluation in the student’s perspective, and refuses bad input with a 400', async () => {
		const db = rt.database.db;
		const criterion = `${setId}:hulp-vragen`;
		expect(
			await call('level', { criterion, level: 'zelf', note: 'Ik vraag het nu' }, studentActor(kim))
		).toEqual({ level: { criterion, error: null } });
		const [row] = await db
			.select()
			.from(assessment)
			.where(and(eq(assessment.studentId, kim.id), eq(assessment.criterionId, 'hulp-vragen')));
		expect(row).toMatchObject({
			perspective: 'student',
			levelId: 'zelf',
			note: 'Ik vraag het nu',
			versionId
		});
		expect(await call('level', { criterion, level: 'zelf' }, mentor)).toEqual({
			level: { criterion, error: null }
		});
		const bad = (r: unknown) => r as { status: number; data: unknown };
		expect(bad(await call('level', { criterion, level: 'tien' }, mentor))).toMatchObject({
			status: 400,
			data: { level: { error: 'unknown_level' } }
		});
		expect(
			bad(await call('level', { criterion: `${setId}:nergens`, level: 'zelf' }, mentor))
		).toMatchObject({
			status: 400,
			data: { level: { error: 'unknown_criterion' } }
		});
		expect(bad(await call('level', { criterion: 'x', level: '' }, mentor))).toMatchObject({
			status: 400,
			data: { level: { error: 'invalid' } }
		});
		expect(
			bad(await call('level', { criterion, level: 'zelf', note: 'x'.repeat(281) }, mentor))
		).toMatchObject({ status: 400, data: { level: { error: 'too_long' } } });
		// Another student cannot record on Kim.
		expect(await call('level', { criterion, level: 'zelf' }, studentActor(sam))).toEqual({
			thrown: 404
		});
	});

	it('plans steps on the student’s own open goals only, at most seven a week, and ticks them', async () => {
		const db = rt.database.db;
		const me = studentActor(kim);
		expect(await call('step', { goalId, text: 'Maandag weektaak indelen' }, me)).toEqual({
			step: { goalId, error: null }
		});
		const bad = (r: unknown) => r as { status: number; data: unknown };
		// Sam's goal is not Kim's; an empty step is no step.
		expect(bad(await call('step', { goalId: samGoalId, text: 'x' }, me))).toMatchObject({
			status: 400,
			data: { step: { error: 'unknown_goal' } }
		});
		expect(bad(await call('step', { goalId, text: '   ' }, me))).toMatchObject({
			status: 400,
			data: { step: { error: 'required' } }
		});
		for (let i = 0; i < 6; i++) await call('step', { goalId, text: `Stap ${i}` }, mentor);
		expect(bad(await call('step', { goalId, text: 'Nog een' }, me))).toMatchObject({
			status: 400,
			data: { step: { error: 'too_many' } }
		});
		const [first] = await db
			.select()
			.from(goalStep)
			.where(and(eq(goalStep.goalId, goalId), eq(goalStep.addedBy, 'student')));
		expect(first).toMatchObject({ text: 'Maandag weektaak indelen', schoolId: kim.schoolId });
		expect(await call('stepDone', { stepId: first!.id, done: 'true' }, me)).toEqual({
			stepDone: true
		});
		const plan = await weekPlan(db, kim, first!.weekOf);
		const goal = plan.find((g) => g.id === goalId)!;
		expect(goal.steps).toHaveLength(7);
		expect(goal.steps[0]).toMatchObject({
			text: 'Maandag weektaak indelen',
			done: true,
			addedBy: 'student'
		});
		expect(goal.steps.filter((s) => s.addedBy === 'mentor')).toHaveLength(6);
		// Sam's page does not tick Kim's step, and a student cannot tick through another's page.
		expect(await call('stepDone', { stepId: first!.id, done: 'false' }, mentor, sam.id)).toEqual({
			thrown: 404
		});
		expect(
			await call('stepDone', { stepId: first!.id, done: 'false' }, studentActor(sam), kim.id)
		).toEqual({
			thrown: 404
		});
		expect(bad(await call('stepDone', { stepId: first!.id, done: 'maybe' }, me))).toMatchObject({
			status: 400
		});
	});

	it('the demo gives Noor a year in four talks: growth on two criteria, a question on feedback', async () => {
		const db = rt.database.db;
		await seedDemo(db);
		const noor = (await loadStudent(db, DEMO_SCHOOL_ID, 'demostudenta2222'))!;
		const { timeline, signals } = await loadGrowthTimeline(db, noor);
		const changes = (criterionId: string, perspective: string) =>
			timeline.criteria
				.find((c) => c.criterionId === criterionId)!
				.points.flatMap((p) =>
					p.kind === 'level' && p.perspective === perspective ? [p.change] : []
				);
		expect(changes('hulp-vragen', 'student')).toEqual(['first', 'step', 'same', 'step']);
		expect(changes('hulp-vragen', 'mentor')).toEqual(['first', 'same', 'step', 'same']);
		expect(changes('plannen', 'mentor')).toEqual(['first', 'same', 'same', 'step']);
		expect(changes('feedback', 'student')).toEqual(['first', 'same', 'same', 'same']);
		expect(signals.map((s) => [s.criterionId, s.perspectives, s.levelLabel])).toEqual([
			['feedback', ['student', 'mentor'], 'Ik probeer de feedback soms']
		]);
		expect(timeline.general.flatMap((p) => (p.kind === 'goal_reached' ? [p.text] : []))).toEqual([
			'Ik schrijf mijn huiswerk elke dag in mijn agenda'
		]);
	});
});
