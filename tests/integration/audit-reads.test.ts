/**
 * Every page that shows a student's data writes exactly one audit row per load, with ids and
 * small facts only (issue 12, "every read of a student's data is audited"). Table-driven over
 * the demo school, which holds one of everything: a child with growth, a held care meeting and
 * three-way talk with their records, a zorgbord with session history, a progress wall, a
 * student review and the team's criteria.
 */
import { and, desc, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSessionRecords } from '../../src/lib/board/verbeterbord-records.server';
import type { Actor } from '../../src/lib/server/auth/actor';
import { auditLog, boardRecord } from '../../src/lib/server/db/schema';
import {
	DEMO_PAST_CARE_MEETING_ID,
	DEMO_PAST_TALK_ID,
	DEMO_SCHOOL_ID,
	DEMO_TEAM_ID,
	demoAccounts,
	demoBoards,
	seedDemo
} from '../../src/lib/server/demo';
import { DEMO_REVIEW_ROUND_ID } from '../../src/lib/server/demo-review';
import { load as studentLoad } from '../../src/routes/students/[studentId=id]/+page.server';
import { load as growthLoad } from '../../src/routes/students/[studentId=id]/growth/+page.server';
import { load as evidenceLoad } from '../../src/routes/students/[studentId=id]/evidence/+page.server';
import { load as boardLoad } from '../../src/routes/boards/[boardId=id]/+page.server';
import { load as historyLoad } from '../../src/routes/boards/[boardId=id]/history/+page.server';
import { load as summaryLoad } from '../../src/routes/boards/[boardId=id]/summary/[recordId]/+page.server';
import { load as reviewStudentLoad } from '../../src/routes/reviews/[roundId=id]/students/[studentId=id]/+page.server';
import { load as plenaryLoad } from '../../src/routes/reviews/[roundId=id]/plenary/+page.server';
import { load as roundLoad } from '../../src/routes/reviews/[roundId=id]/+page.server';
import { load as prepareLoad } from '../../src/routes/reviews/[roundId=id]/prepare/[studentId=id]/+page.server';
import { load as passLoad } from '../../src/routes/teams/[teamId]/criteria/pass/+page.server';
import { load as meLoad } from '../../src/routes/me/+page.server';
import { drivers } from '../helpers/db';
import { asUser, fakeSession } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

// The demo's first two children: Noor (growth, her care meeting) and Sem (held meeting, talk).
const NOOR = 'demostudenta2222';
const SEM = 'demostudentb2222';
const [, zorgbord, wall] = demoBoards;

const mentor = asUser({ ...demoAccounts[1], schoolId: DEMO_SCHOOL_ID });
const sem: Actor = {
	kind: 'student',
	session: fakeSession,
	schoolId: DEMO_SCHOOL_ID,
	studentId: SEM,
	displayName: 'Sem'
};

type Load = (event: never) => unknown;

interface Read {
	page: string;
	load: Load;
	actor: Actor;
	params: () => Record<string, string>;
	expected: { action: string; subjectId: string; studentId: string | null };
}

describe.each(drivers)('every read of a student’s data is audited (%s)', (driver) => {
	let rt: TestRuntime;
	const record = { care: '', talk: '', zorgbord: '' };

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		await seedDemo(rt.database.db);
		const newest = async (boardId: string) => {
			const [row] = await rt.database.db
				.select({ id: boardRecord.id })
				.from(boardRecord)
				.where(eq(boardRecord.boardId, boardId))
				.orderBy(desc(boardRecord.id))
				.limit(1);
			return String(row!.id);
		};
		record.care = await newest(DEMO_PAST_CARE_MEETING_ID);
		record.talk = await newest(DEMO_PAST_TALK_ID);
		// A zorgbord also keeps archived successes: its summary page shows a session record.
		record.zorgbord = String((await listSessionRecords(rt.database.db, zorgbord!.id))[0]!.id);
	});
	afterAll(async () => {
		await rt?.close();
	});

	const reads: Read[] = [
		{
			page: '/students/<id>',
			load: studentLoad,
			actor: mentor,
			params: () => ({ studentId: NOOR }),
			expected: { action: 'student.view', subjectId: NOOR, studentId: NOOR }
		},
		{
			page: '/students/<id>/growth',
			load: growthLoad,
			actor: mentor,
			params: () => ({ studentId: NOOR }),
			expected: { action: 'student.timeline.view', subjectId: NOOR, studentId: NOOR }
		},
		{
			page: '/students/<id>/growth (the student’s own link)',
			load: growthLoad,
			actor: sem,
			params: () => ({ studentId: SEM }),
			expected: { action: 'student.timeline.view', subjectId: SEM, studentId: SEM }
		},
		{
			page: '/students/<id>/evidence',
			load: evidenceLoad,
			actor: mentor,
			params: () => ({ studentId: NOOR }),
			expected: { action: 'student.evidence.view', subjectId: NOOR, studentId: NOOR }
		},
		{
			page: '/boards/<id> (zorgoverleg)',
			load: boardLoad,
			actor: mentor,
			params: () => ({ boardId: DEMO_PAST_CARE_MEETING_ID }),
			expected: { action: 'board.view', subjectId: DEMO_PAST_CARE_MEETING_ID, studentId: SEM }
		},
		{
			page: '/boards/<id> (driehoeksgesprek)',
			load: boardLoad,
			actor: mentor,
			params: () => ({ boardId: DEMO_PAST_TALK_ID }),
			expected: { action: 'board.view', subjectId: DEMO_PAST_TALK_ID, studentId: SEM }
		},
		{
			page: '/boards/<id> (zorgbord)',
			load: boardLoad,
			actor: mentor,
			params: () => ({ boardId: zorgbord!.id }),
			expected: { action: 'board.view', subjectId: zorgbord!.id, studentId: null }
		},
		{
			page: '/boards/<id> (voortgangsbord)',
			load: boardLoad,
			actor: mentor,
			params: () => ({ boardId: wall!.id }),
			expected: { action: 'student.particulars.view', subjectId: wall!.id, studentId: null }
		},
		{
			page: '/boards/<id>/summary/<record> (zorgoverleg)',
			load: summaryLoad,
			actor: mentor,
			params: () => ({ boardId: DEMO_PAST_CARE_MEETING_ID, recordId: record.care }),
			expected: {
				action: 'board.record.view',
				subjectId: DEMO_PAST_CARE_MEETING_ID,
				studentId: SEM
			}
		},
		{
			page: '/boards/<id>/summary/<record> (driehoeksgesprek, the student’s own link)',
			load: summaryLoad,
			actor: sem,
			params: () => ({ boardId: DEMO_PAST_TALK_ID, recordId: record.talk }),
			expected: { action: 'board.record.view', subjectId: DEMO_PAST_TALK_ID, studentId: SEM }
		},
		{
			page: '/boards/<id>/summary/<record> (zorgbord)',
			load: summaryLoad,
			actor: mentor,
			params: () => ({ boardId: zorgbord!.id, recordId: record.zorgbord }),
			expected: { action: 'board.record.view', subjectId: zorgbord!.id, studentId: null }
		},
		{
			page: '/boards/<id>/history (zorgbord)',
			load: historyLoad,
			actor: mentor,
			params: () => ({ boardId: zorgbord!.id }),
			expected: { action: 'board.record.view', subjectId: zorgbord!.id, studentId: null }
		},
		{
			page: '/reviews/<round>/students/<id>',
			load: reviewStudentLoad,
			actor: mentor,
			params: () => ({ roundId: DEMO_REVIEW_ROUND_ID, studentId: NOOR }),
			expected: { action: 'student.review.view', subjectId: NOOR, studentId: NOOR }
		},
		{
			page: '/reviews/<round>/prepare/<id> (the student’s own link)',
			load: prepareLoad,
			actor: sem,
			params: () => ({ roundId: DEMO_REVIEW_ROUND_ID, studentId: SEM }),
			expected: { action: 'student.review.view', subjectId: SEM, studentId: SEM }
		},
		{
			page: '/teams/<id>/criteria/pass',
			load: passLoad,
			actor: mentor,
			params: () => ({ teamId: DEMO_TEAM_ID }),
			expected: { action: 'team.pass.view', subjectId: DEMO_TEAM_ID, studentId: null }
		},
		{
			page: '/me (the student’s own link)',
			load: meLoad,
			actor: sem,
			params: () => ({}),
			expected: { action: 'student.view', subjectId: SEM, studentId: SEM }
		}
	];

	it('/reviews/<round>/plenary reads each child with a big question once: one row per child, none for a reload within the read window', async () => {
		const db = rt.database.db;
		// The care coordinator (an admin): no read of these children's reviews yet.
		const admin = asUser({ ...demoAccounts[0], schoolId: DEMO_SCHOOL_ID });
		const [last] = await db
			.select({ id: auditLog.id })
			.from(auditLog)
			.orderBy(desc(auditLog.id))
			.limit(1);
		const event = {
			locals: { actor: admin },
			params: { roundId: DEMO_REVIEW_ROUND_ID },
			url: new URL('http://localhost/')
		} as never;
		const page = (await plenaryLoad(event)) as { agenda: Array<{ studentId: string }> };
		const onAgenda = page.agenda.map((a) => a.studentId);
		expect(onAgenda.length).toBeGreaterThan(0);
		// Reloaded after an outcome is recorded: the same read.
		await plenaryLoad(event);
		const added = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.schoolId, DEMO_SCHOOL_ID), gt(auditLog.id, last?.id ?? 0)));
		expect(added.map((r) => r.studentId).sort()).toEqual([...onAgenda].sort());
		for (const row of added) {
			expect(row).toMatchObject({
				action: 'student.review.view',
				subjectType: 'student',
				subjectId: row.studentId,
				actorId: admin.user.id,
				meta: { plenary: true }
			});
		}
		const text = JSON.stringify(added);
		for (const name of ['Noor', 'Sem', 'Mehmet', 'Yilmaz', 'Jansen', 'de Jong', 'vwo']) {
			expect(text).not.toContain(name);
		}
	});

	it('/reviews/<round> (the round overview) reads each child it lists once: one row per child, none for a reload within the read window', async () => {
		const db = rt.database.db;
		// A subject teacher of the team (no other test reads as them): no read of these reviews yet.
		const teacher = asUser({ ...demoAccounts[2], schoolId: DEMO_SCHOOL_ID });
		const [last] = await db
			.select({ id: auditLog.id })
			.from(auditLog)
			.orderBy(desc(auditLog.id))
			.limit(1);
		const event = {
			locals: { actor: teacher },
			params: { roundId: DEMO_REVIEW_ROUND_ID },
			url: new URL('http://localhost/reviews/x?subject=Wiskunde')
		} as never;
		const page = (await roundLoad(event)) as { students: Array<{ id: string }> };
		const listed = page.students.map((s) => s.id);
		expect(listed.length).toBeGreaterThan(1);
		// Reloaded after each advice given: the same read.
		await roundLoad(event);
		const added = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.schoolId, DEMO_SCHOOL_ID), gt(auditLog.id, last?.id ?? 0)));
		expect(added.map((r) => r.studentId).sort()).toEqual([...listed].sort());
		for (const row of added) {
			expect(row).toMatchObject({
				action: 'student.review.view',
				subjectType: 'student',
				subjectId: row.studentId,
				actorKind: 'user',
				actorId: teacher.user.id,
				meta: { overview: true }
			});
		}
		const text = JSON.stringify(added);
		for (const name of ['Noor', 'Sem', 'Daan', 'de Vries', 'Jansen', 'Wiskunde']) {
			expect(text).not.toContain(name);
		}
	});

	it.each(reads)('$page adds exactly one row, without content', async (read) => {
		const db = rt.database.db;
		const [last] = await db
			.select({ id: auditLog.id })
			.from(auditLog)
			.orderBy(desc(auditLog.id))
			.limit(1);
		const event = {
			locals: { actor: read.actor },
			params: read.params(),
			url: new URL('http://localhost/')
		} as never;
		// The page itself answers (a 404 here would also write no row, and say nothing).
		expect(await read.load(event)).toBeTruthy();
		const added = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.schoolId, DEMO_SCHOOL_ID), gt(auditLog.id, last?.id ?? 0)));
		expect(added).toHaveLength(1);
		expect(added[0]).toMatchObject(read.expected);
		// Who: the staff member's id, or the student's own link; never a name or what was shown.
		expect(added[0]!.actorId).toBe(
			read.actor.kind === 'user' ? read.actor.user.id : `student:${SEM}`
		);
		const text = JSON.stringify(added[0]);
		for (const name of ['Noor', 'Sem', 'Mehmet', 'Yilmaz', 'Jansen', 'de Jong']) {
			expect(text).not.toContain(name);
		}
	});
});
