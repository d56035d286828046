/**
 * The stoplight student review end to end on a real database: 3 subject teachers, 1 mentor,
 * 6 students. Only students with a big question reach the plenary agenda; a stoplight
 * without advice is refused with a clear message; the student sees only their own advice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/actor';
import { eq } from 'drizzle-orm';
import { board, reviewAction, user, type ReviewRound } from '../../src/lib/server/db/schema';
import { newId } from '../../src/lib/server/auth/tokens';
import {
	addComment,
	addGoal,
	adviceComments,
	createRound,
	decide,
	giveAdvice,
	loadRound,
	plenaryAgenda,
	recordOutcome,
	roundAdvice,
	studentPreparation
} from '../../src/lib/server/review';
import { studentTimeline } from '../../src/lib/server/voortgang';
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

describe.each(drivers)('leerlingbespreking (%s)', (driver) => {
	let rt: TestRuntime;
	let teachers: Array<Actor & { kind: 'user' }>;
	let mentor: Actor & { kind: 'user' };
	let outsider: Actor & { kind: 'user' };
	let students: Array<{ id: string; birthDate: string | null }>;
	let round: ReviewRound;
	let schoolId: string;
	const subjects = ['Nederlands', 'Wiskunde', 'Engels'];

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const db = rt.database.db;
		const school = await makeSchool(db);
		schoolId = school.id;
		const t = await Promise.all(
			subjects.map((s) => makeUser(db, school.id, { name: `Docent ${s}` }))
		);
		const m = await makeUser(db, school.id, { name: 'Mentor Mia' });
		const o = await makeUser(db, school.id, { name: 'Buiten Team' });
		const team = await makeTeam(db, school.id, [...t.map((x) => x.id), m.id]);
		teachers = t.map(asUser);
		mentor = asUser(m);
		outsider = asUser(o);
		students = [];
		for (let i = 0; i < 6; i++) {
			students.push(await makeStudent(db, school.id, { teamId: team.id, mentorId: m.id }));
		}
		const created = await createRound(db, mentor, { teamId: team.id, title: 'Periode 1' });
		expect(created.ok).toBe(true);
		round = (await loadRound(db, school.id, created.ok ? created.value : ''))!;
		expect((await createRound(db, outsider, { teamId: team.id, title: 'x' })).ok).toBe(false);
	});
	afterAll(async () => {
		await rt?.close();
	});

	it('refuses a stoplight without advice, with a clear message', async () => {
		const db = rt.database.db;
		const refused = await giveAdvice(db, teachers[0]!, round, {
			studentId: students[0]!.id,
			subject: 'Nederlands',
			stoplight: 'orange',
			advice: '   '
		});
		expect(refused).toEqual({ ok: false, status: 400, errors: { advice: 'advice_required' } });
		const noLight = await giveAdvice(db, teachers[0]!, round, {
			studentId: students[0]!.id,
			subject: 'Nederlands',
			advice: 'Lees elke dag 15 minuten'
		});
		expect(noLight).toMatchObject({ ok: false, errors: { stoplight: 'stoplight_required' } });
		expect(await roundAdvice(db, round.id)).toEqual([]);
		// Someone outside the team cannot give advice at all.
		expect(
			await giveAdvice(db, outsider, round, {
				studentId: students[0]!.id,
				subject: 'Gym',
				stoplight: 'green',
				advice: 'Goed zo'
			})
		).toMatchObject({ ok: false, status: 404 });
	});

	it('runs the flow: only students with a big question reach the plenary agenda', async () => {
		const db = rt.database.db;
		// 1. Three subject teachers each advise all six students.
		for (const [ti, teacher] of teachers.entries()) {
			for (const [si, s] of students.entries()) {
				const light = si === 2 || (si === 4 && ti === 1) ? 'red' : si % 2 ? 'orange' : 'green';
				const r = await giveAdvice(db, teacher, round, {
					studentId: s.id,
					subject: subjects[ti],
					stoplight: light,
					advice: `Advies ${subjects[ti]} voor leerling ${si}`
				});
				expect(r.ok).toBe(true);
			}
		}
		// Changing an advice updates it instead of adding a second one.
		await giveAdvice(db, teachers[0]!, round, {
			studentId: students[0]!.id,
			subject: 'Nederlands',
			stoplight: 'green',
			advice: 'Blijf hardop lezen'
		});
		expect(await roundAdvice(db, round.id)).toHaveLength(18);

		// 2. The mentor reads through: all three side by side, asks one teacher a question.
		const forFirst = await roundAdvice(db, round.id, [students[2]!.id]);
		expect(forFirst.map((a) => a.subject).sort()).toEqual([...subjects].sort());
		const asked = await addComment(db, mentor, round, {
			adviceId: forFirst[0]!.id,
			body: 'Kun je dit concreter maken?'
		});
		expect(asked.ok).toBe(true);
		await addComment(db, teachers[0]!, round, {
			adviceId: forFirst[0]!.id,
			body: 'Ja: elke week één samenvatting.'
		});
		expect((await adviceComments(db, [forFirst[0]!.id])).map((c) => c.body)).toEqual([
			'Kun je dit concreter maken?',
			'Ja: elke week één samenvatting.'
		]);

		// Big questions for students 2 and 4; 0, 1, 3 clear; 5 not read yet.
		for (const i of [0, 1, 3]) {
			expect((await decide(db, mentor, round, students[i]!.id, { status: 'clear' })).ok).toBe(true);
		}
		expect(await decide(db, mentor, round, students[2]!.id, { status: 'question' })).toEqual({
			ok: false,
			status: 400,
			errors: { question: 'question_required' }
		});
		await decide(db, mentor, round, students[2]!.id, {
			status: 'question',
			question: 'Kan zij naar vwo?'
		});
		await decide(db, mentor, round, students[4]!.id, {
			status: 'question',
			question: 'Extra begeleiding wiskunde?'
		});
		// A subject teacher is not the mentor: cannot decide.
		expect(
			(
				await decide(db, teachers[1]!, round, students[5]!.id, {
					status: 'question',
					question: 'x'
				})
			).ok
		).toBe(false);
		// Changing one's mind: student 1 first question, then clear again.
		await decide(db, mentor, round, students[1]!.id, { status: 'question', question: 'Twijfel' });
		await decide(db, mentor, round, students[1]!.id, { status: 'clear' });

		// 3. Plenary: big questions only.
		const agenda = await plenaryAgenda(db, round);
		expect(agenda.map((a) => a.studentId).sort()).toEqual(
			[students[2]!.id, students[4]!.id].sort()
		);
		expect(agenda.find((a) => a.studentId === students[2]!.id)!.question).toBe('Kan zij naar vwo?');

		// Each outcome becomes an action with an owner and a date; only for agenda items.
		const outcome = await recordOutcome(db, mentor, round, {
			studentId: students[2]!.id,
			outcome: 'Proefperiode vwo tot de kerst',
			ownerId: mentor.user.id,
			dueDate: '2026-12-19'
		});
		expect(outcome.ok).toBe(true);
		expect(
			await recordOutcome(db, mentor, round, {
				studentId: students[0]!.id,
				outcome: 'Niet op de agenda',
				ownerId: mentor.user.id,
				dueDate: '2026-12-19'
			})
		).toMatchObject({ ok: false, status: 404 });
		expect(
			await recordOutcome(db, mentor, round, {
				studentId: students[4]!.id,
				outcome: 'Bijles',
				ownerId: '',
				dueDate: ''
			})
		).toMatchObject({ ok: false, status: 400 });
		const after = await plenaryAgenda(db, round);
		expect(after.find((a) => a.studentId === students[2]!.id)!.actions).toEqual([
			expect.objectContaining({
				outcome: 'Proefperiode vwo tot de kerst',
				ownerName: 'Mentor Mia',
				dueDate: '2026-12-19'
			})
		]);

		// The advice is part of the student's history.
		const history = await studentTimeline(db, students[2]!.id);
		expect(history.filter((e) => e.kind === 'review_advice')).toHaveLength(3);
	});

	it('the student sees only their own advice and writes their own goals', async () => {
		const db = rt.database.db;
		const [talk] = await db
			.insert(board)
			.values({
				id: newId(),
				schoolId,
				studentId: students[2]!.id,
				kind: 'driehoeksgesprek',
				title: 'Gesprek'
			})
			.returning();
		const child: Actor = {
			kind: 'guest',
			session: fakeSession,
			schoolId,
			boardId: talk!.id,
			role: 'child',
			displayName: 'Leerling',
			// A child link belongs to its child (board_invite.student_id).
			childId: students[2]!.id
		};
		const own = await studentPreparation(db, child, round, students[2]!.id);
		expect(own!.advice.map((a) => a.subject).sort()).toEqual([...subjects].sort());
		expect(own!.advice.every((a) => a.advice.endsWith('leerling 2'))).toBe(true);
		expect(Object.keys(own!.advice[0]!).sort()).toEqual(['advice', 'id', 'stoplight', 'subject']);
		expect(await studentPreparation(db, child, round, students[3]!.id)).toBeNull();

		const goal = await addGoal(db, child, round, students[2]!.id, {
			text: 'Elke week één samenvatting maken',
			dueDate: '2026-12-19'
		});
		expect(goal.ok).toBe(true);
		expect((await addGoal(db, child, round, students[3]!.id, { text: 'x', dueDate: '' })).ok).toBe(
			false
		);
		const viewer: Actor = { ...child, role: 'viewer' } as Actor;
		expect((await addGoal(db, viewer, round, students[2]!.id, { text: 'x', dueDate: '' })).ok).toBe(
			false
		);
		// A parent on the child's own talk neither reads the advice nor writes the child's goals.
		const parent: Actor = { ...child, role: 'parent', childId: null } as Actor;
		expect(await studentPreparation(db, parent, round, students[2]!.id)).toBeNull();
		expect((await addGoal(db, parent, round, students[2]!.id, { text: 'x', dueDate: '' })).ok).toBe(
			false
		);
		const again = await studentPreparation(db, mentor, round, students[2]!.id);
		expect(again!.goals).toEqual([
			expect.objectContaining({ text: 'Elke week één samenvatting maken', writtenBy: 'student' })
		]);
	});

	it('a plenary outcome needs an active owner of the school and an agenda student; refused ones store nothing', async () => {
		const db = rt.database.db;
		const left = await makeUser(db, schoolId, { name: 'Vertrokken Docent' });
		await db.update(user).set({ deactivatedAt: new Date() }).where(eq(user.id, left.id));
		const elsewhere = await makeSchool(db, 'Andere school');
		const foreign = await makeUser(db, elsewhere.id, { name: 'Andere Docent' });
		const foreignStudent = await makeStudent(db, elsewhere.id);
		const actions = async () => (await db.select().from(reviewAction)).length;
		const before = await actions();
		const outcome = (fields: Record<string, string>) =>
			recordOutcome(db, mentor, round, {
				studentId: students[4]!.id,
				outcome: 'Bijles wiskunde',
				ownerId: mentor.user.id,
				dueDate: '2026-12-19',
				...fields
			});

		expect(await outcome({ ownerId: left.id })).toEqual({
			ok: false,
			status: 400,
			errors: { ownerId: 'owner_required' }
		});
		expect(await outcome({ ownerId: foreign.id })).toMatchObject({ ok: false, status: 400 });
		expect(await outcome({ ownerId: 'nobody2222222222' })).toMatchObject({ status: 400 });
		expect(await outcome({ dueDate: '2026-02-31' })).toEqual({
			ok: false,
			status: 400,
			errors: { dueDate: 'date_required' }
		});
		expect(await outcome({ studentId: foreignStudent.id })).toMatchObject({ status: 404 });
		expect(await actions()).toBe(before);
		expect((await outcome({})).ok).toBe(true);
		expect(await actions()).toBe(before + 1);
	});
});
