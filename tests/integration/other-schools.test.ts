/**
 * Two schools on one database: an admin of school B holds every id of school A (ids leak: a
 * team id is on every team board) and still reaches nothing of A. Each lookup by id is scoped
 * to the actor's school in the query itself, so even a round that names A's team from B finds
 * none of A's students. The same through HTTP: tests/integration/access-matrix.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Actor } from '../../src/lib/server/auth/actor';
import {
	boardRole,
	canSeeStudent,
	isTeamMember,
	loadBoard,
	loadRound,
	loadStudent,
	loadTeam
} from '../../src/lib/server/auth/permissions';
import { newId } from '../../src/lib/server/auth/tokens';
import {
	reviewAdvice,
	reviewDecision,
	reviewRound,
	studentEvent,
	teamMember,
	type ReviewRound
} from '../../src/lib/server/db/schema';
import {
	createRound,
	decide,
	giveAdvice,
	roundStudents,
	studentPreparation
} from '../../src/lib/server/review';
import { defaultThresholds } from '../../src/lib/board/voortgang';
import { recordStudentEvent, saveThresholds } from '../../src/lib/server/voortgang';
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

describe.each(drivers)('another school reaches nothing (%s)', (driver) => {
	let rt: TestRuntime;
	const a = {} as { schoolId: string; teamId: string; studentId: string; boardId: string };
	let adminB: Actor & { kind: 'user' };

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const db = rt.database.db;
		const schoolA = await makeSchool(db, 'School A');
		const schoolB = await makeSchool(db, 'School B');
		const mentorA = await makeUser(db, schoolA.id);
		const teamA = await makeTeam(db, schoolA.id, [mentorA.id]);
		const s = await makeStudent(db, schoolA.id, { teamId: teamA.id, mentorId: mentorA.id });
		const wall = await makeBoard(db, schoolA.id, { teamId: teamA.id, kind: 'voortgangsbord' });
		Object.assign(a, {
			schoolId: schoolA.id,
			teamId: teamA.id,
			studentId: s.id,
			boardId: wall.id
		});
		adminB = asUser(await makeUser(db, schoolB.id, { role: 'admin', name: 'Admin B' }));
	});
	afterAll(async () => {
		await rt?.close();
	});

	it('createRound refuses a team of another school and stores nothing', async () => {
		const db = rt.database.db;
		const r = await createRound(db, adminB, { teamId: a.teamId, title: 'Overname' });
		expect(r).toEqual({ ok: false, status: 404, errors: {} });
		expect(await db.select().from(reviewRound)).toEqual([]);
	});

	it("a round of B naming A's team lists none of A's students and writes nothing", async () => {
		const db = rt.database.db;
		// A forged row, as today's stand-in round was: B's school, A's team.
		const [forged] = await db
			.insert(reviewRound)
			.values({
				id: newId(),
				schoolId: adminB.user.schoolId,
				teamId: a.teamId,
				title: 'Vals',
				createdById: adminB.user.id
			})
			.returning();
		const round = forged as ReviewRound;
		expect(await roundStudents(db, round)).toEqual([]);
		const advice = await giveAdvice(db, adminB, round, {
			studentId: a.studentId,
			subject: 'Wiskunde',
			stoplight: 'red',
			advice: 'Stoppen'
		});
		expect(advice).toMatchObject({ ok: false, status: 404 });
		const decision = await decide(db, adminB, round, a.studentId, {
			status: 'question',
			question: 'Naar een andere school?'
		});
		expect(decision).toMatchObject({ ok: false, status: 404 });
		expect(await studentPreparation(db, adminB, round, a.studentId)).toBeNull();
		expect(await db.select().from(reviewAdvice)).toEqual([]);
		expect(await db.select().from(reviewDecision)).toEqual([]);
		expect(
			await db.select().from(studentEvent).where(eq(studentEvent.studentId, a.studentId))
		).toEqual([]);
	});

	it('every loader by id answers null for an id of another school', async () => {
		const db = rt.database.db;
		const b = adminB.user.schoolId;
		expect(await loadBoard(db, b, a.boardId)).toBeNull();
		expect(await loadStudent(db, b, a.studentId)).toBeNull();
		expect(await loadTeam(db, b, a.teamId)).toBeNull();
		expect(await boardRole(db, adminB, a.boardId)).toBeNull();
		expect(await loadBoard(db, a.schoolId, a.boardId)).not.toBeNull();
		const s = await loadStudent(db, a.schoolId, a.studentId);
		expect(await canSeeStudent(db, adminB, s!)).toBe(false);
		// Even a membership row that crosses schools (a broken import) grants nothing.
		await db.insert(teamMember).values({ teamId: a.teamId, userId: adminB.user.id });
		expect(await isTeamMember(db, b, a.teamId, adminB.user.id)).toBe(false);
		expect(await saveThresholds(db, adminB, a.teamId, defaultThresholds)).toBe(false);
		// History is written by the server from a room's document; even called with another
		// school's actor it writes nothing.
		const update = await recordStudentEvent(db, {
			boardId: a.boardId,
			studentId: a.studentId,
			update: { stoplight: 'red', flags: [], note: '' },
			by: { actor: adminB, role: 'owner' }
		});
		expect(update).toBeNull();
		const rounds = await db.select().from(reviewRound);
		expect(await loadRound(db, a.schoolId, rounds[0]!.id)).toBeNull();
	});
});
