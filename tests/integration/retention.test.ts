/**
 * The retention run on a fake clock against a real database (PGlite and PostgreSQL): it deletes
 * exactly what is due under the Dutch defaults (students who left more than two years ago with
 * their conversation boards, expired sessions, failed logins older than a day, audit rows older
 * than a year, dead invites and pairings), logs the counts as one `retention.run` row per
 * school with no names in it, and leaves everything else; the dry run reports the same and
 * deletes nothing. The maintenance timer runs it once a day on its injected clock.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/server/auth/tokens';
import {
	auditLog,
	board,
	boardStudent,
	boardInvite,
	loginAttempt,
	school as schoolTable,
	session,
	student,
	wallPairing
} from '../../src/lib/server/db/schema';
import { startMaintenance } from '../../src/lib/server/maintenance';
import { runRetention } from '../../src/lib/server/privacy/retention';
import { eraseStudentData } from '../../src/lib/server/privacy/erase';
import { appendUpdates, loadBoardDoc } from '../../src/lib/server/board-store';
import { applyStudentUpdate, studentsMap } from '../../src/lib/board/voortgang';
import * as Y from 'yjs';
import { tablesContaining } from '../helpers/byte-search';
import type { Database } from '../../src/lib/server/db';
import { drivers } from '../helpers/db';
import { makeBoard, makeSchool, makeStudent, makeUser } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const DAY = 86_400_000;
const NOW = new Date('2027-06-15T03:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

/** One school with one row of each kind that is due and one that is not. */
async function seed(db: Database) {
	const school = await makeSchool(db);
	const mentor = await makeUser(db, school.id);
	const leftLongAgo = await makeStudent(db, school.id, { mentorId: mentor.id });
	const leftRecently = await makeStudent(db, school.id, { mentorId: mentor.id });
	const stillHere = await makeStudent(db, school.id, { mentorId: mentor.id });
	await db
		.update(student)
		.set({ leftAt: ago(2 * 365 + 5), firstName: 'Vertrokken' })
		.where(eq(student.id, leftLongAgo.id));
	await db
		.update(student)
		.set({ leftAt: ago(300) })
		.where(eq(student.id, leftRecently.id));
	const dueTalk = await makeBoard(db, school.id, {
		kind: 'driehoeksgesprek',
		studentId: leftLongAgo.id
	});
	const keptTalk = await makeBoard(db, school.id, {
		kind: 'zorgoverleg',
		studentId: leftRecently.id
	});
	const sessionRow = (id: string, expiresAt: Date) => ({
		id,
		secretHash: new Uint8Array(32),
		kind: 'user' as const,
		userId: mentor.id,
		schoolId: school.id,
		expiresAt,
		absoluteExpiresAt: new Date(NOW.getTime() + DAY),
		createdAt: ago(1),
		lastActiveAt: ago(1)
	});
	const expiredSession = newId();
	const liveSession = newId();
	await db
		.insert(session)
		.values([
			sessionRow(expiredSession, ago(0.01)),
			sessionRow(liveSession, new Date(NOW.getTime() + 60_000))
		]);
	const oldAttempt = `old-${school.id}`;
	const freshAttempt = `fresh-${school.id}`;
	await db.insert(loginAttempt).values([
		{ emailKey: oldAttempt, createdAt: ago(1.5) },
		{ emailKey: freshAttempt, createdAt: ago(0.5) }
	]);
	const [oldAudit, freshAudit] = await db
		.insert(auditLog)
		.values([
			{ schoolId: school.id, actorKind: 'user', action: 'student.view', createdAt: ago(370) },
			{ schoolId: school.id, actorKind: 'user', action: 'student.view', createdAt: ago(300) }
		])
		.returning({ id: auditLog.id });
	const invite = (id: string, expiresAt: Date) => ({
		id,
		boardId: keptTalk.id,
		secretHash: new Uint8Array(32),
		role: 'parent' as const,
		expiresAt
	});
	const deadInvite = newId();
	const liveInvite = newId();
	await db
		.insert(boardInvite)
		.values([invite(deadInvite, ago(1)), invite(liveInvite, new Date(NOW.getTime() + DAY))]);
	const pairing = (id: string, sessionExpiresAt: Date) => ({
		id,
		codeHash: new Uint8Array(32),
		wallSecretHash: new Uint8Array(32),
		status: 'claimed' as const,
		schoolId: school.id,
		codeExpiresAt: ago(1),
		sessionExpiresAt
	});
	const deadPairing = newId();
	const livePairing = newId();
	await db
		.insert(wallPairing)
		.values([
			pairing(deadPairing, ago(0.5)),
			pairing(livePairing, new Date(NOW.getTime() + 3_600_000))
		]);
	return {
		school,
		leftLongAgo,
		leftRecently,
		stillHere,
		dueTalk,
		keptTalk,
		expiredSession,
		liveSession,
		oldAttempt,
		freshAttempt,
		oldAudit: oldAudit!.id,
		freshAudit: freshAudit!.id,
		deadInvite,
		liveInvite,
		deadPairing,
		livePairing
	};
}

const expectedCounts = {
	students: 1,
	studentBoards: 1,
	careBoards: 0,
	auditRows: 1,
	sessions: 1,
	boardInvites: 1,
	staffInvites: 0,
	wallPairings: 1
};

describe.each(drivers)('retention run (%s)', (driver) => {
	let rt: TestRuntime;
	beforeAll(async () => {
		rt = await startTestRuntime(driver);
	});
	afterAll(async () => {
		await rt?.close();
	});

	it('the dry run lists what is due and deletes nothing; the run deletes exactly that and logs the counts', async () => {
		const db = rt.database.db;
		const w = await seed(db);

		const dry = await runRetention(db, NOW, { dryRun: true, schoolId: w.school.id });
		expect(dry.schools).toHaveLength(1);
		expect(dry.schools[0]!.counts).toEqual(expectedCounts);
		expect(dry.schools[0]!.students.map((s) => [s.id, s.firstName])).toEqual([
			[w.leftLongAgo.id, 'Vertrokken']
		]);
		const allStudents = [w.leftLongAgo.id, w.leftRecently.id, w.stillHere.id];
		expect(await db.select().from(student).where(inArray(student.id, allStudents))).toHaveLength(3);

		const done = await runRetention(db, NOW);
		const mine = done.schools.find((s) => s.schoolId === w.school.id)!;
		expect(mine.counts).toEqual(dry.schools[0]!.counts);
		expect(mine.students.map((s) => s.id)).toEqual(dry.schools[0]!.students.map((s) => s.id));
		expect(done.global.loginAttempts).toBeGreaterThanOrEqual(1);

		// Gone: exactly what was due.
		const ids = async <T>(rows: Promise<T[]>) => (await rows).length;
		expect(
			(await db.select({ id: student.id }).from(student).where(inArray(student.id, allStudents)))
				.map((r) => r.id)
				.sort()
		).toEqual([w.leftRecently.id, w.stillHere.id].sort());
		expect(
			(
				await db
					.select({ id: board.id })
					.from(board)
					.where(inArray(board.id, [w.dueTalk.id, w.keptTalk.id]))
			).map((r) => r.id)
		).toEqual([w.keptTalk.id]);
		expect(
			(
				await db
					.select({ id: session.id })
					.from(session)
					.where(inArray(session.id, [w.expiredSession, w.liveSession]))
			).map((r) => r.id)
		).toEqual([w.liveSession]);
		expect(
			(
				await db
					.select({ k: loginAttempt.emailKey })
					.from(loginAttempt)
					.where(inArray(loginAttempt.emailKey, [w.oldAttempt, w.freshAttempt]))
			).map((r) => r.k)
		).toEqual([w.freshAttempt]);
		expect(
			(
				await db
					.select({ id: auditLog.id })
					.from(auditLog)
					.where(inArray(auditLog.id, [w.oldAudit, w.freshAudit]))
			).map((r) => r.id)
		).toEqual([w.freshAudit]);
		expect(
			await ids(
				db
					.select()
					.from(boardInvite)
					.where(inArray(boardInvite.id, [w.deadInvite, w.liveInvite]))
			)
		).toBe(1);
		expect(
			(
				await db
					.select({ id: wallPairing.id })
					.from(wallPairing)
					.where(inArray(wallPairing.id, [w.deadPairing, w.livePairing]))
			).map((r) => r.id)
		).toEqual([w.livePairing]);

		// Logged: one row for the school, counts only, by the system, at the run's clock.
		const logs = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.schoolId, w.school.id), eq(auditLog.action, 'retention.run')));
		expect(logs).toHaveLength(1);
		expect(logs[0]).toMatchObject({
			actorKind: 'system',
			actorId: null,
			studentId: null,
			meta: { counts: expectedCounts }
		});
		expect(logs[0]!.createdAt.toISOString()).toBe(NOW.toISOString());
		expect(JSON.stringify(logs[0])).not.toContain('Vertrokken');

		// A second run the same day finds nothing more for this school.
		const again = await runRetention(db, NOW, { dryRun: true, schoolId: w.school.id });
		expect(Object.values(again.schools[0]!.counts).every((n) => n === 0)).toBe(true);
	});

	it("a school's shorter care-notes policy removes a left student's care meetings before the file", async () => {
		const db = rt.database.db;
		const w = await seed(db);
		await db
			.update(schoolTable)
			.set({ settings: { retention: { studentFileYears: 2, careNotesYears: 0, auditMonths: 12 } } })
			.where(eq(schoolTable.id, w.school.id));
		const dry = await runRetention(db, NOW, { dryRun: true, schoolId: w.school.id });
		expect(dry.schools[0]!.counts.careBoards).toBe(1);
		await runRetention(db, NOW, { schoolId: w.school.id });
		expect(await db.select().from(board).where(eq(board.id, w.keptTalk.id))).toHaveLength(0);
		// The student (left 300 days ago) stays: only the care meeting was due.
		expect(await db.select().from(student).where(eq(student.id, w.leftRecently.id))).toHaveLength(
			1
		);
	});

	it("the care-notes rule leaves a care meeting shared with a sibling (the sibling's words are not theirs to lose)", async () => {
		const db = rt.database.db;
		const w = await seed(db);
		await db
			.update(schoolTable)
			.set({ settings: { retention: { studentFileYears: 2, careNotesYears: 0, auditMonths: 12 } } })
			.where(eq(schoolTable.id, w.school.id));
		const sibling = await makeStudent(db, w.school.id);
		await db
			.insert(boardStudent)
			.values({ boardId: w.keptTalk.id, studentId: sibling.id, schoolId: w.school.id });
		const dry = await runRetention(db, NOW, { dryRun: true, schoolId: w.school.id });
		expect(dry.schools[0]!.counts.careBoards).toBe(0);
		await runRetention(db, NOW, { schoolId: w.school.id });
		expect(await db.select().from(board).where(eq(board.id, w.keptTalk.id))).toHaveLength(1);
	});

	it("the daily job erases a due student everywhere: their note leaves a shared progress wall's stored history", async () => {
		const db = rt.database.db;
		const w = await seed(db);
		const wall = await makeBoard(db, w.school.id, { kind: 'voortgangsbord' });
		const doc = new Y.Doc();
		const by = { name: 'Mentor Mo', at: ago(800) };
		applyStudentUpdate(
			doc,
			w.leftLongAgo.id,
			{ stoplight: 'red', flags: [], note: 'BEWAARTERMIJN-weg' },
			by,
			[]
		);
		applyStudentUpdate(
			doc,
			w.stillHere.id,
			{ stoplight: 'green', flags: [], note: 'BEWAARTERMIJN-blijft' },
			by,
			[]
		);
		await appendUpdates(db, wall.id, [Y.encodeStateAsUpdate(doc)]);
		expect(await tablesContaining(db, 'BEWAARTERMIJN-weg')).not.toEqual([]);

		const erased: string[] = [];
		const done = await runRetention(db, NOW, {
			schoolId: w.school.id,
			eraseStudent: async (schoolId, studentId) => {
				erased.push(studentId);
				await eraseStudentData(rt.runtime, schoolId, studentId, { kind: 'system' });
			}
		});
		expect(erased).toEqual([w.leftLongAgo.id]);
		expect(done.schools[0]!.counts.students).toBe(1);
		expect(done.schools[0]!.counts.studentBoards).toBe(1);
		expect(await tablesContaining(db, 'BEWAARTERMIJN-weg')).toEqual([]);
		const stored = (await loadBoardDoc(db, wall.id)).doc;
		expect(studentsMap(stored).has(w.leftLongAgo.id)).toBe(false);
		expect(JSON.stringify(studentsMap(stored).toJSON())).toContain('BEWAARTERMIJN-blijft');
		expect(await db.select().from(student).where(eq(student.id, w.leftLongAgo.id))).toHaveLength(0);
	});

	it('the maintenance timer runs retention once a day on its clock', async () => {
		const db = rt.database.db;
		const w = await seed(db);
		let now = NOW;
		const maintenance = startMaintenance(db, { intervalMs: 15, now: () => now });
		const runs = async () =>
			(
				await db
					.select()
					.from(auditLog)
					.where(and(eq(auditLog.schoolId, w.school.id), eq(auditLog.action, 'retention.run')))
			).length;
		try {
			await waitFor(async () => (await runs()) === 1);
			await new Promise((r) => setTimeout(r, 100));
			expect(await runs()).toBe(1);
			now = new Date(NOW.getTime() + DAY);
			await waitFor(async () => (await runs()) === 2);
		} finally {
			await maintenance.stop();
		}
	});
});

async function waitFor(check: () => Promise<boolean>, ms = 10_000) {
	const until = Date.now() + ms;
	while (Date.now() < until) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 20));
	}
	throw new Error('timed out');
}
