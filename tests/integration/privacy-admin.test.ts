/**
 * The admin's privacy pages against a real database: only a school's admins open the audit
 * log and the retention page (staff, guests and walls get the same 404 as elsewhere, nobody is
 * sent to log in); the audit log filters by student and person within the admin's own school,
 * refuses a bad filter with a 400; marking a student as left and undoing it is logged.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/actor';
import { auditLog, student } from '../../src/lib/server/db/schema';
import { load as auditLoad } from '../../src/routes/admin/audit/+page.server';
import {
	actions as retentionActions,
	load as retentionLoad
} from '../../src/routes/admin/retention/+page.server';
import { actions as studentActions } from '../../src/routes/admin/students/+page.server';
import { load as studentPage } from '../../src/routes/students/[studentId=id]/+page.server';
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

type Handler = (event: never) => unknown;

async function status(handler: Handler, actor: Actor | null, query = '', form?: object) {
	const url = new URL(`http://localhost/admin/x${query}`);
	const request = form
		? new Request(url, {
				method: 'POST',
				body: new URLSearchParams(form as Record<string, string>)
			})
		: new Request(url);
	try {
		const result = (await handler({ locals: { actor }, params: {}, url, request } as never)) as
			Record<string, unknown> | undefined;
		if (result && typeof result.status === 'number' && 'data' in result) {
			return { status: result.status, data: result.data as Record<string, unknown> };
		}
		return { status: 200, data: result };
	} catch (e) {
		const thrown = e as { status?: number; location?: string };
		if (typeof thrown.status !== 'number') throw e;
		return { status: thrown.status, location: thrown.location, data: undefined };
	}
}

describe.each(drivers)('privacy admin pages (%s)', (driver) => {
	let rt: TestRuntime;
	beforeAll(async () => {
		rt = await startTestRuntime(driver);
	});
	afterAll(async () => {
		await rt?.close();
	});

	it('only admins open the audit log and the retention page', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const admin = await makeUser(db, school.id, { role: 'admin' });
		const staff = await makeUser(db, school.id);
		const team = await makeTeam(db, school.id, [staff.id]);
		const wall: Actor = {
			kind: 'device',
			session: fakeSession,
			schoolId: school.id,
			teamId: team.id,
			wallPairingId: 'pairing1'
		};
		const guest: Actor = {
			kind: 'guest',
			session: fakeSession,
			schoolId: school.id,
			boardId: 'board1',
			role: 'parent',
			displayName: 'Ouder'
		};
		for (const page of [auditLoad, retentionLoad] as Handler[]) {
			expect((await status(page, asUser(admin))).status).toBe(200);
			expect((await status(page, asUser(staff))).status).toBe(404);
			expect((await status(page, wall)).status).toBe(404);
			expect((await status(page, guest)).status).toBe(404);
			expect(await status(page, null)).toMatchObject({ status: 303, location: '/login' });
		}
		expect((await status(retentionActions.settings as Handler, asUser(staff), '', {})).status).toBe(
			404
		);
	});

	it('filters the log by student and by person, within the school, and refuses a bad filter', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const other = await makeSchool(db, 'Andere school');
		const admin = await makeUser(db, school.id, { role: 'admin', name: 'Beheer Bo' });
		const mentor = await makeUser(db, school.id, { name: 'Mentor Mo' });
		const otherAdmin = await makeUser(db, other.id, { role: 'admin' });
		const kim = await makeStudent(db, school.id, { mentorId: mentor.id });
		const sam = await makeStudent(db, school.id, { mentorId: mentor.id });
		const read = (who: typeof mentor, s: typeof kim) =>
			studentPage({ locals: { actor: asUser(who) }, params: { studentId: s.id } } as never);
		await read(mentor, kim);
		await read(mentor, sam);
		await read(admin, kim);

		const byStudent = await status(auditLoad as Handler, asUser(admin), `?student=${kim.id}`);
		const log = byStudent.data!.log as {
			total: number;
			rows: Array<{ who: { name: string }; studentName: string; action: string }>;
		};
		expect(log.total).toBe(2);
		expect(log.rows.map((r) => r.who.name).sort()).toEqual(['Beheer Bo', 'Mentor Mo']);
		expect(log.rows.every((r) => r.studentName === 'Kim Test' && r.action === 'student.view')).toBe(
			true
		);
		const byPerson = await status(auditLoad as Handler, asUser(admin), `?person=${mentor.id}`);
		expect((byPerson.data!.log as { total: number }).total).toBe(2);
		// A period is in school days (Europe/Amsterdam): near midnight UTC the day differs.
		const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' });
		const period = await status(
			auditLoad as Handler,
			asUser(admin),
			`?from=2020-01-01&to=2020-12-31`
		);
		expect((period.data!.log as { total: number }).total).toBe(0);
		const now = await status(auditLoad as Handler, asUser(admin), `?from=${today}&to=${today}`);
		expect((now.data!.log as { total: number }).total).toBe(3);
		// Another school's admin sees none of it, even with the student's id.
		const foreign = await status(auditLoad as Handler, asUser(otherAdmin), `?student=${kim.id}`);
		expect((foreign.data!.log as { total: number }).total).toBe(0);

		for (const bad of ['?from=2026-02-31', '?page=0', '?from=2026-05-02&to=2026-05-01']) {
			expect((await status(auditLoad as Handler, asUser(admin), bad)).status, bad).toBe(400);
		}
	});

	it('marks a student as left and undoes it, logged; a future date is refused', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const admin = await makeUser(db, school.id, { role: 'admin' });
		const kim = await makeStudent(db, school.id);
		const left = studentActions.left as Handler;
		const future = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
		expect(
			(await status(left, asUser(admin), '', { studentId: kim.id, leftOn: future })).status
		).toBe(400);
		expect(
			(await status(left, asUser(admin), '', { studentId: kim.id, leftOn: '2026-07-10' })).status
		).toBe(200);
		const [row] = await db.select().from(student).where(eq(student.id, kim.id));
		expect(row!.leftAt?.toISOString()).toBe('2026-07-10T12:00:00.000Z');
		await status(left, asUser(admin), '', { studentId: kim.id, intent: 'undo' });
		const [back] = await db.select().from(student).where(eq(student.id, kim.id));
		expect(back!.leftAt).toBeNull();
		const logged = await db.select().from(auditLog).where(eq(auditLog.studentId, kim.id));
		expect(logged.map((r) => [r.action, r.meta])).toEqual([
			['student.left', { left: true }],
			['student.left', { left: false }]
		]);
	});

	it('saves retention settings into the school and shows them back', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const admin = await makeUser(db, school.id, { role: 'admin' });
		const save = retentionActions.settings as Handler;
		const refused = await status(save, asUser(admin), '', {
			studentFileYears: '2',
			careNotesYears: '3',
			auditMonths: '12'
		});
		expect(refused).toMatchObject({ status: 400, data: { field: 'careNotesYears' } });
		await status(save, asUser(admin), '', {
			studentFileYears: '3',
			careNotesYears: '1',
			auditMonths: '6'
		});
		const page = await status(retentionLoad as Handler, asUser(admin));
		expect(page.data!.settings).toEqual({ studentFileYears: 3, careNotesYears: 1, auditMonths: 6 });
	});
});
