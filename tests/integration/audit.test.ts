/**
 * The audit log against a real database (PGlite and PostgreSQL): reading a child's file writes
 * exactly one row that names who, what and when but holds no content and no token; a login
 * failure writes one row without the password or the typed address; consent, role changes,
 * guest invites and joins are logged where they happen.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../../src/lib/server/auth/login';
import { hashPassword } from '../../src/lib/server/auth/password';
import { auditLog, boardMember, session } from '../../src/lib/server/db/schema';
import { recordConsent } from '../../src/lib/server/photos/consent';
import { setBoardMember } from '../../src/lib/server/access/sharing';
import { setStaffRole } from '../../src/lib/server/access/staff';
import { auditFilterSchema, browseAudit } from '../../src/lib/server/privacy/audit-browse';
import { exportStudent } from '../../src/lib/server/privacy/export';
import { addSibling } from '../../src/lib/server/zorgoverleg';
import { load as studentLoad } from '../../src/routes/students/[studentId=id]/+page.server';
import { load as boardLoad } from '../../src/routes/boards/[boardId=id]/+page.server';
import { actions as shareActions } from '../../src/routes/boards/[boardId=id]/share/+page.server';
import { drivers } from '../helpers/db';
import {
	asUser,
	guestToken,
	makeBoard,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser,
	testPolicy
} from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const event = (actor: unknown, params: Record<string, string>) =>
	({ locals: { actor }, params, url: new URL('http://localhost/') }) as never;

describe.each(drivers)('audit log (%s)', (driver) => {
	let rt: TestRuntime;
	const rows = () => rt.database.db.select().from(auditLog).orderBy(auditLog.id);

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
	});
	afterAll(async () => {
		await rt?.close();
	});

	it("reading a student's page adds exactly one row, with no content", async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const mentor = await makeUser(db, school.id, { name: 'Mentor Mo' });
		const team = await makeTeam(db, school.id, [mentor.id]);
		const kim = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const before = (await rows()).length;

		await studentLoad(event(asUser(mentor), { studentId: kim.id }));

		const added = (await rows()).slice(before);
		expect(added).toHaveLength(1);
		const [row] = added;
		expect(row).toMatchObject({
			schoolId: school.id,
			actorKind: 'user',
			actorId: mentor.id,
			action: 'student.view',
			subjectType: 'student',
			subjectId: kim.id,
			studentId: kim.id
		});
		// Only small facts: whether the timeline was part of the page, never its text or a name.
		expect(row!.meta).toEqual({ timeline: true });
		expect(JSON.stringify(row)).not.toContain('Kim');
		expect(JSON.stringify(row)).not.toContain('Mentor Mo');
	});

	it('opening a care meeting logs one read naming the guest by role and board; a team board none', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const mentor = await makeUser(db, school.id);
		const team = await makeTeam(db, school.id, [mentor.id]);
		const kim = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const care = await makeBoard(db, school.id, {
			kind: 'zorgoverleg',
			teamId: team.id,
			studentId: kim.id,
			members: [[mentor.id, 'owner']]
		});
		const teamBoard = await makeBoard(db, school.id, {
			teamId: team.id,
			members: [[mentor.id, 'owner']]
		});
		const guest = await guestToken(db, care.id, 'parent', mentor.id, 'Ouder');
		const [guestSession] = await db.select().from(session).where(eq(session.id, guest.actorKey));
		const guestActor = {
			kind: 'guest',
			session: guestSession,
			schoolId: school.id,
			boardId: care.id,
			role: 'parent',
			displayName: 'Ouder'
		};
		const before = (await rows()).length;
		await boardLoad(event(guestActor, { boardId: care.id }));
		await boardLoad(event(asUser(mentor), { boardId: teamBoard.id }));
		const added = (await rows()).slice(before);
		expect(added).toHaveLength(1);
		expect(added[0]).toMatchObject({
			actorKind: 'guest',
			actorId: guest.actorKey,
			action: 'board.view',
			subjectId: care.id,
			studentId: kim.id,
			meta: { guestRole: 'parent', guestBoardId: care.id, boardKind: 'zorgoverleg' }
		});
		// The invite and the join were logged when they happened.
		const access = (await rows()).filter((r) => r.subjectId === care.id || r.studentId === kim.id);
		expect(access.map((r) => r.action)).toEqual(
			expect.arrayContaining(['guest.invite', 'guest.join'])
		);
	});

	it('a login failure logs one row without the password or the address', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const password = 'geheim-wachtwoord-123';
		const email = `juf-${school.id}@school.test`;
		const u = await makeUser(db, school.id, { email, passwordHash: await hashPassword(password) });

		const before = (await rows()).length;
		const wrong = await loginWithPassword(db, email, 'fout-wachtwoord-456', testPolicy);
		expect(wrong.ok).toBe(false);
		const added = (await rows()).slice(before);
		expect(added).toHaveLength(1);
		expect(added[0]).toMatchObject({
			schoolId: school.id,
			actorKind: 'user',
			actorId: u.id,
			action: 'login.failure',
			meta: { reason: 'invalid' }
		});
		const text = JSON.stringify(added[0]);
		for (const secret of ['fout-wachtwoord-456', password, email, 'juf-']) {
			expect(text).not.toContain(secret);
		}

		// An address without an account: no school, no person, no trace of what was typed.
		const unknown = await loginWithPassword(db, 'niemand-hier@school.test', 'x', testPolicy);
		expect(unknown.ok).toBe(false);
		const [anon] = (await rows()).slice(before + 1);
		expect(anon).toMatchObject({
			schoolId: null,
			actorKind: 'system',
			actorId: null,
			action: 'login.failure'
		});
		expect(JSON.stringify(anon)).not.toContain('niemand');

		const ok = await loginWithPassword(db, email, password, testPolicy);
		expect(ok.ok).toBe(true);
		const success = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.actorId, u.id), eq(auditLog.action, 'login.success')));
		expect(success).toHaveLength(1);
		expect(JSON.stringify(success[0])).not.toContain(password);
	});

	it('consent and role changes are logged with the rule, never content', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const admin = await makeUser(db, school.id, { role: 'admin' });
		const colleague = await makeUser(db, school.id);
		const kim = await makeStudent(db, school.id, { mentorId: admin.id });
		await recordConsent(db, asUser(admin), kim, 'given');
		expect(await setStaffRole(db, school.id, admin.id, colleague.id, 'admin')).toEqual({
			ok: true
		});
		const logged = (await rows()).filter((r) => r.schoolId === school.id);
		expect(logged.map((r) => [r.action, r.actorId, r.meta])).toEqual([
			['consent.change', admin.id, { status: 'given', givenBy: 'parent' }],
			['role.change', admin.id, { from: 'staff', to: 'admin' }]
		]);
	});

	it('a role change on a care meeting for two children names each child: in each one’s export and the admin’s student filter', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const admin = await makeUser(db, school.id, { role: 'admin' });
		const mentor = await makeUser(db, school.id);
		const colleague = await makeUser(db, school.id);
		const team = await makeTeam(db, school.id, [mentor.id, colleague.id]);
		const noor = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const sem = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const other = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const meeting = await makeBoard(db, school.id, {
			kind: 'zorgoverleg',
			studentId: noor.id,
			members: [[mentor.id, 'owner']]
		});
		expect(await addSibling(db, asUser(mentor), meeting, { studentId: sem.id })).toMatchObject({
			ok: true
		});
		const teamBoard = await makeBoard(db, school.id, { teamId: team.id });
		const who = { kind: 'account', userId: mentor.id } as const;

		expect(await setBoardMember(db, meeting, colleague.id, 'viewer', who)).toBe(true);
		expect(await setBoardMember(db, teamBoard, colleague.id, 'viewer', who)).toBe(true);

		const changes = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'role.change'), eq(auditLog.schoolId, school.id)));
		const onMeeting = changes.filter((r) => r.meta.boardId === meeting.id);
		expect(onMeeting.map((r) => r.studentId).sort()).toEqual([noor.id, sem.id].sort());
		expect(onMeeting.every((r) => r.subjectId === colleague.id)).toBe(true);
		// A team board is about no child.
		expect(changes.filter((r) => r.meta.boardId === teamBoard.id).map((r) => r.studentId)).toEqual([
			null
		]);
		for (const child of [noor, sem]) {
			const exported = await exportStudent(rt.runtime, school.id, child.id, asUser(admin));
			expect(exported!.auditEntries.filter((e) => e.action === 'role.change')).toHaveLength(1);
			const browsed = await browseAudit(
				db,
				school.id,
				auditFilterSchema.parse({ student: child.id })
			);
			expect(browsed.rows.filter((r) => r.action === 'role.change')).toHaveLength(1);
		}
		const ofOther = await exportStudent(rt.runtime, school.id, other.id, asUser(admin));
		expect(ofOther!.auditEntries.filter((e) => e.action === 'role.change')).toEqual([]);
	});

	it('a board role and its audit row are stored together or not at all', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const owner = await makeUser(db, school.id);
		const viewer = await makeUser(db, school.id);
		const newcomer = await makeUser(db, school.id);
		const b = await makeBoard(db, school.id, {
			members: [
				[owner.id, 'owner'],
				[viewer.id, 'viewer']
			]
		});
		const who = { kind: 'account', userId: owner.id } as const;
		const roles = async () =>
			Object.fromEntries(
				(await db.select().from(boardMember).where(eq(boardMember.boardId, b.id))).map((m) => [
					m.userId,
					m.role
				])
			);
		// The audit log refuses writes (a full disk, a broken constraint): no role may change.
		await db.execute(
			sql.raw(`create function test_refuse_audit() returns trigger language plpgsql as $$
				begin raise exception 'audit log unavailable'; end $$`)
		);
		await db.execute(
			sql.raw(`create trigger test_refuse_audit before insert on audit_log
				for each row execute function test_refuse_audit()`)
		);
		try {
			await expect(setBoardMember(db, b, viewer.id, 'editor', who)).rejects.toThrow();
			await expect(setBoardMember(db, b, newcomer.id, 'viewer', who)).rejects.toThrow();
		} finally {
			await db.execute(sql.raw('drop trigger test_refuse_audit on audit_log'));
			await db.execute(sql.raw('drop function test_refuse_audit()'));
		}
		expect(await roles()).toEqual({ [owner.id]: 'owner', [viewer.id]: 'viewer' });

		expect(await setBoardMember(db, b, viewer.id, 'editor', who)).toBe(true);
		expect(await roles()).toEqual({ [owner.id]: 'owner', [viewer.id]: 'editor' });
		const logged = (await rows()).filter((r) => r.schoolId === school.id);
		expect(logged.map((r) => [r.action, r.subjectId, r.meta])).toEqual([
			['role.change', viewer.id, { from: 'viewer', to: 'editor', boardId: b.id }]
		]);
	});

	it('removing a colleague from a care meeting for two children is a role change naming each child, in the same transaction', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const mentor = await makeUser(db, school.id);
		const colleague = await makeUser(db, school.id);
		const team = await makeTeam(db, school.id, [mentor.id, colleague.id]);
		const noor = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const sem = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const meeting = await makeBoard(db, school.id, {
			kind: 'zorgoverleg',
			studentId: noor.id,
			members: [
				[mentor.id, 'owner'],
				[colleague.id, 'editor']
			]
		});
		expect(await addSibling(db, asUser(mentor), meeting, { studentId: sem.id })).toMatchObject({
			ok: true
		});
		/** The share page's "Verwijderen" for `userId`, through the real action. */
		const removeByForm = (userId: string) => {
			const body = new FormData();
			body.set('userId', userId);
			return shareActions.removeMember!({
				locals: { actor: asUser(mentor) },
				params: { boardId: meeting.id },
				request: new Request(`http://school.test/boards/${meeting.id}/share?/removeMember`, {
					method: 'POST',
					body
				})
			} as never);
		};
		const member = async () =>
			db
				.select({ role: boardMember.role })
				.from(boardMember)
				.where(and(eq(boardMember.boardId, meeting.id), eq(boardMember.userId, colleague.id)));
		const removals = async () =>
			(await rows()).filter(
				(r) => r.schoolId === school.id && r.action === 'role.change' && r.meta.to === null
			);

		// The audit log refuses writes: the colleague keeps their role.
		await db.execute(
			sql.raw(`create function test_refuse_audit() returns trigger language plpgsql as $$
				begin raise exception 'audit log unavailable'; end $$`)
		);
		await db.execute(
			sql.raw(`create trigger test_refuse_audit before insert on audit_log
				for each row execute function test_refuse_audit()`)
		);
		try {
			await expect(removeByForm(colleague.id)).rejects.toThrow();
		} finally {
			await db.execute(sql.raw('drop trigger test_refuse_audit on audit_log'));
			await db.execute(sql.raw('drop function test_refuse_audit()'));
		}
		expect(await member()).toEqual([{ role: 'editor' }]);

		expect(await removeByForm(colleague.id)).toEqual({ done: 'removed' });
		expect(await member()).toEqual([]);
		const logged = await removals();
		expect(logged.map((r) => r.studentId).sort()).toEqual([noor.id, sem.id].sort());
		for (const r of logged) {
			expect(r).toMatchObject({
				actorKind: 'user',
				actorId: mentor.id,
				subjectType: 'user',
				subjectId: colleague.id,
				meta: { boardId: meeting.id, from: 'editor', to: null }
			});
		}
		// Removing them again changes nothing and writes nothing; no id at all is a 400.
		expect(await removeByForm(colleague.id)).toEqual({ done: 'removed' });
		expect(await removals()).toHaveLength(2);
		expect(await removeByForm('')).toMatchObject({ status: 400 });
	});
});
