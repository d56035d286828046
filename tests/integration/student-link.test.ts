/**
 * The student's personal link (issue 10) on real databases and a real sync server: made by the
 * mentor or an admin, one live link, redeemed into a student session that opens the student's
 * own conversation boards and preparation and nothing of another student (per URL: the routes'
 * own loads; per socket: /sync), revoked with every session and socket it opened. And the 16+
 * setting: a parent link opens nothing once the student chose `none`, and only from 16.
 */
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { startAppServer, type AppServer } from '../../server/app';
import { CloseCode } from '../../server/protocol';
import type { Actor } from '../../src/lib/server/auth/actor';
import {
	boardRole,
	canSeeStudent,
	loadRound,
	loadStudent,
	mayManageStudentLink,
	parentInviteRefused
} from '../../src/lib/server/auth/permissions';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import {
	checkStudentLink,
	createStudentLink,
	liveStudentLink,
	redeemStudentLink,
	revokeStudentLink,
	setFamilyShare,
	STUDENT_LINK_DAYS
} from '../../src/lib/server/auth/student-link';
import { hashSecret } from '../../src/lib/server/auth/tokens';
import {
	auditLog,
	photoConsent,
	session,
	student,
	studentGoal,
	studentLink
} from '../../src/lib/server/db/schema';
import { readMediaFor, storeImage } from '../../src/lib/server/photos/media';
import { createRound, studentPreparation } from '../../src/lib/server/review';
import { meetingParticipants, summaryReaderOf } from '../../src/lib/server/zorgoverleg';
import { load as boardLoad } from '../../src/routes/boards/[boardId=id]/+page.server';
import { load as meLoad } from '../../src/routes/me/+page.server';
import { GET as recordsGET } from '../../src/routes/boards/[boardId=id]/records/+server';
import { load as studentPageLoad } from '../../src/routes/students/[studentId=id]/+page.server';
import { actions as shareActions } from '../../src/routes/boards/[boardId=id]/share/+page.server';
import {
	actions as prepareActions,
	load as prepareLoad
} from '../../src/routes/reviews/[roundId=id]/prepare/[studentId=id]/+page.server';
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
import { connectClient, eventually, upgradeStatus, type TestClient } from '../helpers/sync-client';

const DAY = 86_400_000;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEvent = any;

function closeCodeOf(client: TestClient): Promise<number> {
	return new Promise((resolve) => {
		client.provider.on('connection-close', (event) => resolve(event?.code ?? -1));
	});
}

/** A birth date that makes a student `years` old today (a day past the birthday). */
function bornYearsAgo(years: number): string {
	const d = new Date(Date.now() - DAY);
	return `${d.getUTCFullYear() - years}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** A route load's HTTP answer: 200, or the status it threw (404, a redirect…). */
async function statusOf(run: () => unknown): Promise<number> {
	try {
		await run();
		return 200;
	} catch (error) {
		return (error as { status?: number }).status ?? 500;
	}
}

describe.each(drivers)('the student link (%s)', (driver) => {
	let rt: TestRuntime;
	let app: AppServer;

	beforeEach(async () => {
		rt = await startTestRuntime(driver);
		app = await startAppServer(rt.runtime, undefined, { port: 0, host: '127.0.0.1' });
	});
	afterEach(async () => {
		await app.close();
		await rt.close();
	});

	async function world() {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const admin = await makeUser(db, school.id, { role: 'admin' });
		const mentor = await makeUser(db, school.id, { name: 'Mentor Mo' });
		const colleague = await makeUser(db, school.id);
		const team = await makeTeam(db, school.id, [mentor.id, colleague.id]);
		const sem = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const other = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const talk = await makeBoard(db, school.id, { kind: 'zorgoverleg', studentId: sem.id });
		const otherTalk = await makeBoard(db, school.id, { kind: 'zorgoverleg', studentId: other.id });
		const teamBoard = await makeBoard(db, school.id, { teamId: team.id });
		const schoolB = await makeSchool(db, 'School B');
		const adminB = await makeUser(db, schoolB.id, { role: 'admin' });
		return {
			db,
			school,
			admin,
			mentor,
			colleague,
			team,
			sem,
			other,
			talk,
			otherTalk,
			teamBoard,
			schoolB,
			adminB
		};
	}

	const actorOf = async (token: string) =>
		(await validateSessionToken(rt.database.db, token, testPolicy)) as Actor;

	async function redeemed(w: Awaited<ReturnType<typeof world>>, s = w.sem) {
		const { token } = await createStudentLink(w.db, asUser(w.mentor), s);
		const result = await redeemStudentLink(w.db, token);
		if (!result.ok) throw new Error('redeem failed');
		return { linkToken: token, token: result.session.token, session: result.session.session };
	}

	it('only the mentor or a school admin may make or revoke the link, for a student who has not left', async () => {
		const w = await world();
		expect(mayManageStudentLink(asUser(w.mentor), w.sem)).toBe(true);
		expect(mayManageStudentLink(asUser(w.admin), w.sem)).toBe(true);
		expect(mayManageStudentLink(asUser(w.colleague), w.sem)).toBe(false);
		expect(mayManageStudentLink(asUser(w.adminB), w.sem)).toBe(false);
		expect(mayManageStudentLink(null, w.sem)).toBe(false);
		const { token } = await guestToken(w.db, w.talk.id, 'parent', w.mentor.id);
		expect(mayManageStudentLink(await actorOf(token), w.sem)).toBe(false);
		expect(mayManageStudentLink(asUser(w.mentor), { ...w.sem, leftAt: new Date() })).toBe(false);
		const own = await redeemed(w);
		expect(mayManageStudentLink(await actorOf(own.token), w.sem)).toBe(false);
	});

	it('a link keeps only the hash of its secret, lasts a year, and a new one revokes the old one', async () => {
		const w = await world();
		const now = new Date();
		const first = await createStudentLink(w.db, asUser(w.mentor), w.sem, now);
		const secret = first.token.split('.')[1]!;
		expect(Buffer.from(first.link.secretHash)).toEqual(Buffer.from(hashSecret(secret)));
		expect(first.link.expiresAt.getTime() - now.getTime()).toBe(STUDENT_LINK_DAYS * DAY);
		const phone = await redeemStudentLink(w.db, first.token);
		expect(phone.ok).toBe(true);

		const second = await createStudentLink(w.db, asUser(w.admin), w.sem);
		const live = await w.db
			.select()
			.from(studentLink)
			.where(and(eq(studentLink.studentId, w.sem.id)));
		expect(live.filter((l) => l.revokedAt === null).map((l) => l.id)).toEqual([second.link.id]);
		// The old link opens nothing, and the session it opened has ended.
		expect((await checkStudentLink(w.db, first.token)).ok).toBe(false);
		expect(phone.ok && (await actorOf(phone.session.token))).toBeNull();
		expect((await checkStudentLink(w.db, second.token)).ok).toBe(true);
		const audits = await w.db
			.select({ action: auditLog.action, actorKind: auditLog.actorKind })
			.from(auditLog)
			.where(eq(auditLog.studentId, w.sem.id));
		expect(audits.filter((a) => a.action === 'student_link.create')).toHaveLength(2);
	});

	it('redeeming opens a student session: the student actor, 14 days idle within 90 days', async () => {
		const w = await world();
		const now = new Date();
		const { token } = await createStudentLink(w.db, asUser(w.mentor), w.sem, now);
		const result = await redeemStudentLink(w.db, token, now);
		if (!result.ok) throw new Error('redeem failed');
		const row = result.session.session;
		expect(row.kind).toBe('student');
		expect(row.studentId).toBe(w.sem.id);
		expect(row.expiresAt.getTime() - now.getTime()).toBe(14 * DAY);
		expect(row.absoluteExpiresAt.getTime() - now.getTime()).toBe(90 * DAY);
		const actor = await validateSessionToken(w.db, result.session.token, testPolicy, now);
		expect(actor).toMatchObject({
			kind: 'student',
			studentId: w.sem.id,
			schoolId: w.school.id,
			displayName: 'Kim'
		});
		// A request ten days later slides the idle expiry, never past the absolute one.
		const later = new Date(now.getTime() + 10 * DAY);
		await validateSessionToken(w.db, result.session.token, testPolicy, later);
		const [slid] = await w.db.select().from(session).where(eq(session.id, row.id));
		expect(slid!.expiresAt.getTime()).toBe(later.getTime() + 14 * DAY);
		expect((await liveStudentLink(w.db, w.sem))?.lastUsedAt?.getTime()).toBe(later.getTime());
		// Made late in the link's year: the session ends with the link, not 90 days on.
		const late = new Date(now.getTime() + (STUDENT_LINK_DAYS - 10) * DAY);
		const lastDays = await redeemStudentLink(w.db, token, late);
		expect(lastDays.ok && lastDays.session.session.absoluteExpiresAt.getTime()).toBe(
			now.getTime() + STUDENT_LINK_DAYS * DAY
		);
		// Idle for longer than 14 days: gone.
		const idle = new Date(later.getTime() + 15 * DAY);
		expect(await validateSessionToken(w.db, result.session.token, testPolicy, idle)).toBeNull();
	});

	it('a bad, revoked or expired token, or one of a student who left, gets the same no', async () => {
		const w = await world();
		const { token } = await createStudentLink(w.db, asUser(w.mentor), w.sem);
		expect(await checkStudentLink(w.db, 'nonsense')).toEqual({ ok: false });
		expect(await checkStudentLink(w.db, `${token.slice(0, -2)}zz`)).toEqual({ ok: false });
		const yearLater = new Date(Date.now() + (STUDENT_LINK_DAYS + 1) * DAY);
		expect(await redeemStudentLink(w.db, token, yearLater)).toEqual({ ok: false });

		const session = await redeemed(w, w.other);
		await w.db.update(student).set({ leftAt: new Date() }).where(eq(student.id, w.other.id));
		expect(await redeemStudentLink(w.db, session.linkToken)).toEqual({ ok: false });
		expect(await actorOf(session.token)).toBeNull();

		expect(await revokeStudentLink(w.db, asUser(w.mentor), w.sem)).toBe(true);
		expect(await redeemStudentLink(w.db, token)).toEqual({ ok: false });
		expect(await revokeStudentLink(w.db, asUser(w.mentor), w.sem)).toBe(false);
		expect(
			await w.db
				.select({ action: auditLog.action })
				.from(auditLog)
				.where(and(eq(auditLog.studentId, w.sem.id), eq(auditLog.action, 'student_link.revoke')))
		).toHaveLength(1);
	});

	it('a link row pointing at a student of another school opens nothing', async () => {
		const w = await world();
		const foreign = await makeStudent(w.db, w.schoolB.id);
		const { token } = await createStudentLink(w.db, asUser(w.mentor), w.sem);
		const id = token.split('.')[0]!;
		// As a corrupted or hand-edited row would hold it: school A's link, school B's student.
		await w.db.update(studentLink).set({ studentId: foreign.id }).where(eq(studentLink.id, id));
		expect(await redeemStudentLink(w.db, token)).toEqual({ ok: false });
	});

	it("the student opens their own conversation board as the child, and nothing of another student's", async () => {
		const w = await world();
		const { token } = await redeemed(w);
		const actor = await actorOf(token);
		expect(await boardRole(w.db, actor, w.talk)).toBe('child');
		expect(await boardRole(w.db, actor, w.otherTalk)).toBeNull();
		expect(await boardRole(w.db, actor, w.teamBoard)).toBeNull();
		expect(await canSeeStudent(w.db, actor, w.sem)).toBe(true);
		expect(await canSeeStudent(w.db, actor, w.other)).toBe(false);

		// The board page: the child, in child mode, keyed as the same child the meeting lists.
		const page = (await boardLoad({
			locals: { actor },
			params: { boardId: w.talk.id }
		} as AnyEvent)) as AnyEvent;
		expect(page.role).toBe('child');
		expect(page.actorKey).toBe(`student:${w.sem.id}`);
		expect(page.board.teamId).toBeNull();
		expect(page.meeting.isChild).toBe(true);
		const children = (await meetingParticipants(w.db, w.talk)).filter((p) => p.label === 'child');
		expect(children.map((p) => p.key)).toEqual([`student:${w.sem.id}`]);
		expect(summaryReaderOf(actor)).toBe('child');
		// The team's staff names (for the board leader) are not for a link: that endpoint is a 404.
		expect(
			await statusOf(() =>
				recordsGET({ locals: { actor }, params: { boardId: w.talk.id } } as AnyEvent)
			)
		).toBe(404);
		expect(
			await statusOf(() =>
				boardLoad({ locals: { actor }, params: { boardId: w.otherTalk.id } } as AnyEvent)
			)
		).toBe(404);
		expect(
			await statusOf(() =>
				boardLoad({ locals: { actor }, params: { boardId: w.teamBoard.id } } as AnyEvent)
			)
		).toBe(404);

		// /me lists their own conversation, never the other student's.
		const home = (await meLoad({ locals: { actor } } as AnyEvent)) as AnyEvent;
		expect(home.conversations.map((c: { id: string }) => c.id)).toEqual([w.talk.id]);
		expect(home.familyShare).toBeNull(); // no birth date: not offered
		expect(await statusOf(() => meLoad({ locals: { actor: asUser(w.mentor) } } as AnyEvent))).toBe(
			404
		);
	});

	it('the student prepares their own review talk (goals written by the student), never another student', async () => {
		const w = await world();
		const { token } = await redeemed(w);
		const actor = await actorOf(token);
		const round = await createRound(w.db, asUser(w.mentor), { teamId: w.team.id, title: 'P2' });
		if (!round.ok) throw new Error('round');
		const home = (await meLoad({ locals: { actor } } as AnyEvent)) as AnyEvent;
		expect(home.rounds).toEqual([
			{ id: round.value, title: 'P2', href: `/reviews/${round.value}/prepare/${w.sem.id}` }
		]);

		const params = { roundId: round.value, studentId: w.sem.id };
		const page = (await prepareLoad({ locals: { actor }, params } as AnyEvent)) as AnyEvent;
		expect(page.canWrite).toBe(true);
		const request = new Request('http://school.test/x', {
			method: 'POST',
			body: new URLSearchParams({ text: 'Elke dag tien minuten lezen', dueDate: '' })
		});
		await prepareActions.goal!({ locals: { actor }, params, request } as AnyEvent);
		const goals = await w.db.select().from(studentGoal).where(eq(studentGoal.studentId, w.sem.id));
		expect(goals.map((g) => [g.text, g.writtenBy])).toEqual([
			['Elke dag tien minuten lezen', 'student']
		]);

		const theirs = { roundId: round.value, studentId: w.other.id };
		expect(
			await statusOf(() => prepareLoad({ locals: { actor }, params: theirs } as AnyEvent))
		).toBe(404);
		const roundRow = (await loadRound(w.db, w.school.id, round.value))!;
		expect(await studentPreparation(w.db, actor, roundRow, w.other.id)).toBeNull();
	});

	it("the student's own photo opens for them; another student's does not", async () => {
		const w = await world();
		const png = await sharp({
			create: { width: 32, height: 32, channels: 3, background: { r: 10, g: 90, b: 60 } }
		})
			.png()
			.toBuffer();
		const photos: Record<string, string> = {};
		for (const s of [w.sem, w.other]) {
			photos[s.id] = await storeImage(w.db, png, {
				schoolId: w.school.id,
				studentId: s.id,
				purpose: 'student_photo'
			});
			await w.db
				.insert(photoConsent)
				.values({ studentId: s.id, status: 'given', givenBy: 'parent', recordedById: w.admin.id });
		}
		const { token } = await redeemed(w);
		const actor = await actorOf(token);
		expect(await readMediaFor(w.db, actor, photos[w.sem.id]!, 'thumb')).not.toBeNull();
		expect(await readMediaFor(w.db, actor, photos[w.other.id]!, 'thumb')).toBeNull();
	});

	it('the /sync socket: own conversation board accepted as the child, others refused; revoking closes it at once', async () => {
		const w = await world();
		const { token } = await redeemed(w);
		const cookie = { cookie: `groeibord_session=${token}` };
		expect(await upgradeStatus(app.url, `/sync/${w.otherTalk.id}`, cookie)).toBe(403);
		expect(await upgradeStatus(app.url, `/sync/${w.teamBoard.id}`, cookie)).toBe(403);
		expect(await upgradeStatus(app.url, `/sync/${w.talk.id}`, cookie)).toBe(101);

		const client = connectClient(app.url, w.talk.id, token);
		const closed = closeCodeOf(client);
		try {
			await eventually(() => client.provider.synced);
			await revokeStudentLink(w.db, asUser(w.mentor), w.sem);
			expect(await closed).toBe(CloseCode.unauthorized);
		} finally {
			client.destroy();
		}
		expect(await upgradeStatus(app.url, `/sync/${w.talk.id}`, cookie)).toBe(401);
	});

	it('16+ and `none`: a parent link opens nothing (page and socket), open parent sockets close; `family` lets them in', async () => {
		const w = await world();
		await w.db
			.update(student)
			.set({ birthDate: bornYearsAgo(16) })
			.where(eq(student.id, w.sem.id));
		const parent = await guestToken(w.db, w.talk.id, 'parent', w.mentor.id, 'Mama');
		const parentActor = await actorOf(parent.token);
		const cookie = { cookie: `groeibord_session=${parent.token}` };
		expect(await boardRole(w.db, parentActor, w.talk)).toBe('parent');
		expect(await upgradeStatus(app.url, `/sync/${w.talk.id}`, cookie)).toBe(101);

		const parentClient = connectClient(app.url, w.talk.id, parent.token);
		const closed = closeCodeOf(parentClient);
		const { token } = await redeemed(w);
		const sem = (await actorOf(token)) as Extract<Actor, { kind: 'student' }>;
		try {
			await eventually(() => parentClient.provider.synced);
			const home = (await meLoad({ locals: { actor: sem } } as AnyEvent)) as AnyEvent;
			expect(home.familyShare).toBe('family');
			expect(await setFamilyShare(w.db, sem, 'none')).toBe(true);
			expect(await closed).toBe(CloseCode.forbidden);
		} finally {
			parentClient.destroy();
		}
		const refreshed = await actorOf(parent.token);
		expect(await boardRole(w.db, refreshed, w.talk)).toBeNull();
		const now16 = (await loadStudent(w.db, w.school.id, w.sem.id))!;
		expect(await canSeeStudent(w.db, refreshed, now16)).toBe(false);
		expect(await upgradeStatus(app.url, `/sync/${w.talk.id}`, cookie)).toBe(403);
		expect(
			await statusOf(() =>
				boardLoad({ locals: { actor: refreshed }, params: { boardId: w.talk.id } } as AnyEvent)
			)
		).toBe(404);
		expect(await parentInviteRefused(w.db, w.talk)).toBe(true);
		// The share page says why, and makes no link.
		const invite = (role: string) =>
			shareActions.createInvite!({
				locals: { actor: asUser(w.mentor) },
				params: { boardId: w.talk.id },
				url: new URL(`http://school.test/boards/${w.talk.id}/share`),
				request: new Request('http://school.test/x', {
					method: 'POST',
					body: new URLSearchParams({ role, expiresHours: '24', label: '' })
				})
			} as AnyEvent) as Promise<AnyEvent>;
		expect(await invite('parent')).toMatchObject({
			status: 400,
			data: { problem: 'family_none' }
		});
		expect(await invite('child')).toMatchObject({ created: { role: 'child' } });
		// The student themselves and the mentor still open it.
		expect(await boardRole(w.db, sem, w.talk)).toBe('child');
		expect(await boardRole(w.db, asUser(w.mentor), w.talk)).toBe('owner');
		const [audit] = await w.db
			.select({ actorKind: auditLog.actorKind, meta: auditLog.meta })
			.from(auditLog)
			.where(and(eq(auditLog.studentId, w.sem.id), eq(auditLog.action, 'student.family_share')));
		expect(audit).toEqual({ actorKind: 'student', meta: { from: 'family', to: 'none' } });

		expect(await setFamilyShare(w.db, sem, 'family')).toBe(true);
		expect(await boardRole(w.db, refreshed, w.talk)).toBe('parent');
		expect(await upgradeStatus(app.url, `/sync/${w.talk.id}`, cookie)).toBe(101);
		expect(await parentInviteRefused(w.db, w.talk)).toBe(false);
	});

	it("the student's page: the mentor sees whether a link works (never its token) and a 16+ choice", async () => {
		const w = await world();
		const page = async (actor: Actor) =>
			(await studentPageLoad({
				locals: { actor },
				params: { studentId: w.sem.id }
			} as AnyEvent)) as AnyEvent;
		expect((await page(asUser(w.mentor))).studentLink).toEqual({ live: null });
		// The colleague in the team sees the student, but the link is not theirs to see or make.
		expect((await page(asUser(w.colleague))).studentLink).toBeNull();
		expect((await page(asUser(w.mentor))).familyChoice).toBeNull(); // no birth date

		const { linkToken, token } = await redeemed(w);
		const mentorView = await page(asUser(w.mentor));
		expect(mentorView.studentLink.live.lastUsedAt).not.toBeNull();
		expect(JSON.stringify(mentorView)).not.toContain(linkToken.split('.')[1]);

		await w.db
			.update(student)
			.set({ birthDate: bornYearsAgo(16) })
			.where(eq(student.id, w.sem.id));
		const sem = (await actorOf(token)) as Extract<Actor, { kind: 'student' }>;
		expect((await page(asUser(w.mentor))).familyChoice).toEqual({
			name: 'Kim',
			age: 16,
			choice: 'family'
		});
		await setFamilyShare(w.db, sem, 'none');
		expect((await page(asUser(w.colleague))).familyChoice).toMatchObject({ choice: 'none' });
	});

	it('under 16 the setting is not offered and not applied', async () => {
		const w = await world();
		await w.db
			.update(student)
			.set({ birthDate: bornYearsAgo(15), familyShare: 'none' })
			.where(eq(student.id, w.sem.id));
		const { token } = await redeemed(w);
		const sem = (await actorOf(token)) as Extract<Actor, { kind: 'student' }>;
		const home = (await meLoad({ locals: { actor: sem } } as AnyEvent)) as AnyEvent;
		expect(home.familyShare).toBeNull();
		expect(await setFamilyShare(w.db, sem, 'family')).toBe(false);
		// Even a stored `none` (set before a birth date was corrected) does not shut parents out.
		const parent = await guestToken(w.db, w.talk.id, 'parent', w.mentor.id, 'Papa');
		expect(await boardRole(w.db, await actorOf(parent.token), w.talk)).toBe('parent');
		expect(await parentInviteRefused(w.db, w.talk)).toBe(false);
	});
});
