import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginWithPassword } from '../../src/lib/server/auth/login';
import { hashPassword } from '../../src/lib/server/auth/password';
import {
	createUserSession,
	invalidateUserSessions,
	validateSessionToken
} from '../../src/lib/server/auth/session';
import {
	MAX_FAILURES_PER_HOUR,
	checkThrottle,
	recordFailure
} from '../../src/lib/server/auth/throttle';
import {
	seedDemo,
	DEMO_PAST_CARE_MEETING_ID,
	DEMO_PAST_TALK_ID,
	DEMO_SCHOOL_ID
} from '../../src/lib/server/demo';
import {
	assessment,
	board,
	boardRecord,
	media,
	session,
	student,
	studentGoal,
	user
} from '../../src/lib/server/db/schema';
import { createTestDatabase, drivers, type TestDatabase } from '../helpers/db';
import { makeSchool, makeUser, testPolicy } from '../helpers/factories';

describe.each(drivers)('database and sessions (%s)', (driver) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(driver);
	});
	afterAll(async () => {
		await database?.destroy();
	});

	it('applies the migrations: every table exists', async () => {
		const result = await database.db.execute(
			sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`
		);
		const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{
			n: number;
		}>;
		expect(rows[0]!.n).toBeGreaterThanOrEqual(19);
	});

	it('stores only the hash of a session secret and validates the real token', async () => {
		const s = await makeSchool(database.db);
		const u = await makeUser(database.db, s.id);
		const { token } = await createUserSession(database.db, u, testPolicy);
		const [row] = await database.db.select().from(session).where(eq(session.userId, u.id));
		const [, secret] = token.split('.');
		expect(JSON.stringify(row)).not.toContain(secret);
		expect(Buffer.from(row!.secretHash).toString('hex')).not.toContain(
			Buffer.from(secret!).toString('hex')
		);

		const actor = await validateSessionToken(database.db, token, testPolicy);
		expect(actor?.kind).toBe('user');
		// One changed character of the secret: no session.
		const tampered = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
		expect(await validateSessionToken(database.db, tampered, testPolicy)).toBeNull();
	});

	it('slides the idle expiry but never past the absolute limit', async () => {
		const s = await makeSchool(database.db);
		const u = await makeUser(database.db, s.id);
		const t0 = new Date('2026-11-23T08:00:00Z');
		const { token } = await createUserSession(database.db, u, testPolicy, t0);
		const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

		// Active every 20 minutes: still valid after 11 hours.
		for (let minute = 20; minute <= 660; minute += 20) {
			expect(await validateSessionToken(database.db, token, testPolicy, at(minute))).not.toBeNull();
		}
		// Past 12 hours: gone, however active.
		expect(await validateSessionToken(database.db, token, testPolicy, at(721))).toBeNull();

		const other = await createUserSession(database.db, u, testPolicy, t0);
		// 31 idle minutes: gone.
		expect(await validateSessionToken(database.db, other.token, testPolicy, at(31))).toBeNull();
	});

	it('ends every session of a user at once', async () => {
		const s = await makeSchool(database.db);
		const u = await makeUser(database.db, s.id);
		const a = await createUserSession(database.db, u, testPolicy);
		const b = await createUserSession(database.db, u, testPolicy);
		await invalidateUserSessions(database.db, u.id);
		expect(await validateSessionToken(database.db, a.token, testPolicy)).toBeNull();
		expect(await validateSessionToken(database.db, b.token, testPolicy)).toBeNull();
	});

	it('throttles one account after 100 failures in an hour, not its neighbour', async () => {
		const s = await makeSchool(database.db);
		const passwordHash = await hashPassword('een lang wachtwoord');
		const victim = await makeUser(database.db, s.id, { passwordHash });
		const colleague = await makeUser(database.db, s.id, { passwordHash });
		const now = new Date();
		// Spread 101 failures over the last 50 minutes, as a slow attacker would.
		for (let i = 0; i <= MAX_FAILURES_PER_HOUR; i++) {
			await recordFailure(
				database.db,
				victim.email,
				{ clientKey: '' },
				new Date(now.getTime() - (50 - i * 0.45) * 60_000)
			);
		}
		const state = await checkThrottle(database.db, victim.email, { clientKey: '' }, now);
		expect(state).toMatchObject({ allowed: false, reason: 'locked' });

		// Even the right password is refused while locked, with the same generic result.
		const locked = await loginWithPassword(
			database.db,
			victim.email,
			'een lang wachtwoord',
			testPolicy
		);
		expect(locked).toMatchObject({ ok: false, reason: 'throttled' });

		const ok = await loginWithPassword(
			database.db,
			colleague.email,
			'een lang wachtwoord',
			testPolicy
		);
		expect(ok.ok).toBe(true);
	});

	it('answers a wrong password and an unknown account the same way', async () => {
		const s = await makeSchool(database.db);
		const u = await makeUser(database.db, s.id, {
			passwordHash: await hashPassword('juiste wachtwoord')
		});
		const wrong = await loginWithPassword(database.db, u.email, 'verkeerd wachtwoord', testPolicy);
		const unknown = await loginWithPassword(database.db, 'niemand@school.test', 'x', testPolicy);
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
		expect(unknown).toEqual({ ok: false, reason: 'invalid' });
	});

	it('seeds the demo school idempotently with generated avatars', async () => {
		expect((await seedDemo(database.db)).created).toBe(true);
		expect((await seedDemo(database.db)).created).toBe(false);
		const students = await database.db
			.select()
			.from(student)
			.where(eq(student.schoolId, DEMO_SCHOOL_ID));
		expect(students).toHaveLength(25);
		const users = await database.db.select().from(user).where(eq(user.schoolId, DEMO_SCHOOL_ID));
		expect(users.map((u) => u.email).sort()).toEqual([
			'docent@demo.groeibord.nl',
			'ib@demo.groeibord.nl',
			'mentor@demo.groeibord.nl'
		]);
		const photos = await database.db.select().from(media).where(eq(media.schoolId, DEMO_SCHOOL_ID));
		expect(photos).toHaveLength(25);
		// WebP (RIFF....WEBP), not a photo of anyone.
		expect(Buffer.from(photos[0]!.data.subarray(8, 12)).toString()).toBe('WEBP');
		const boards = await database.db.select().from(board).where(eq(board.schoolId, DEMO_SCHOOL_ID));
		// One board of each team kind, two care meetings (one waiting, one held) and a held talk.
		expect(boards.map((b) => b.kind).sort()).toEqual(
			[
				'verbeterbord',
				'voortgangsbord',
				'zorgbord',
				'zorgoverleg',
				'zorgoverleg',
				'driehoeksgesprek'
			].sort()
		);
		// The talk left its record, an assessment per view and the agreed goal on the student.
		const talk = await database.db
			.select({ kind: boardRecord.kind })
			.from(boardRecord)
			.where(eq(boardRecord.boardId, DEMO_PAST_TALK_ID));
		expect(talk).toEqual([{ kind: 'talk_record' }]);
		const views = await database.db
			.select({ perspective: assessment.perspective })
			.from(assessment)
			.where(eq(assessment.boardId, DEMO_PAST_TALK_ID));
		expect(views.map((v) => v.perspective).sort()).toEqual(
			['mentor', 'mentor', 'parent', 'student', 'student'].sort()
		);
		const agreed = await database.db
			.select({ text: studentGoal.text, actions: studentGoal.actions })
			.from(studentGoal)
			.where(eq(studentGoal.boardId, DEMO_PAST_TALK_ID));
		expect(agreed).toHaveLength(1);
		expect(agreed[0]!.actions).toHaveLength(2);
		const held = await database.db
			.select({ kind: boardRecord.kind, key: boardRecord.key })
			.from(boardRecord)
			.where(eq(boardRecord.boardId, DEMO_PAST_CARE_MEETING_ID));
		expect(held).toHaveLength(1);
		expect(held[0]!.kind).toBe('meeting_record');
		const login = await loginWithPassword(
			database.db,
			'mentor@demo.groeibord.nl',
			'groeibord-demo',
			testPolicy
		);
		expect(login.ok).toBe(true);
	});
});
