/**
 * Login throttling that an attacker cannot turn into a lockout (issue 9): failures count per
 * (account, address) and per known device, under a per-account ceiling that the owner's
 * known browser passes; the owner is told; old rows are pruned on a timer.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootRuntime } from '../../server/boot';
import { loginWithPassword } from '../../src/lib/server/auth/login';
import { hashPassword } from '../../src/lib/server/auth/password';
import {
	MAX_CLIENT_FAILURES_PER_HOUR,
	MAX_FAILURES_PER_HOUR,
	clientKey,
	failedAttemptsBeforeLastLogin,
	recordFailure
} from '../../src/lib/server/auth/throttle';
import { loadConfig } from '../../src/lib/server/config';
import { knownDevice, loginAttempt, session } from '../../src/lib/server/db/schema';
import { startMaintenance } from '../../src/lib/server/maintenance';
import { setRuntime } from '../../src/lib/server/runtime';
import { createTestDatabase, drivers, type TestDatabase } from '../helpers/db';
import { makeSchool, makeUser, testPolicy } from '../helpers/factories';

const PASSWORD = 'een lange zin als wachtwoord';
const MIN = 60_000;

async function waitFor(check: () => Promise<boolean>, ms = 5_000) {
	const deadline = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((r) => setTimeout(r, 20));
	}
}

describe('clientKey', () => {
	it('keys IPv4 by address and IPv6 by its /64', () => {
		expect(clientKey('192.0.2.7')).toBe('192.0.2.7');
		expect(clientKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
		expect(clientKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
		expect(clientKey('2001:0db8:0001:0002:ffff::1')).toBe('2001:db8:1:2::/64');
		expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
		expect(clientKey(undefined)).toBe('');
	});
});

describe.each(drivers)('login throttle (%s)', (driver) => {
	let database: TestDatabase;
	let passwordHash: string;
	beforeAll(async () => {
		database = await createTestDatabase(driver);
		passwordHash = await hashPassword(PASSWORD);
	});
	afterAll(async () => {
		await database?.destroy();
	});

	async function owner() {
		const school = await makeSchool(database.db);
		return makeUser(database.db, school.id, { passwordHash });
	}

	it("an attacker's wrong tries from another address never stop the owner's login", async () => {
		const u = await owner();
		// Today's behaviour to beat: a handful of quick wrong tries put the account, not the
		// attacker, into a wait, and the owner's correct password was refused.
		for (let i = 0; i < 8; i++) {
			await loginWithPassword(database.db, u.email, 'fout', testPolicy, {
				address: '198.51.100.9'
			});
		}
		const fromHome = await loginWithPassword(database.db, u.email, PASSWORD, testPolicy, {
			address: '192.0.2.10'
		});
		expect(fromHome.ok).toBe(true);
		const deviceToken = fromHome.ok ? fromHome.deviceToken! : '';
		expect(deviceToken).toMatch(/^[a-z2-9]{24}\.[a-z2-9]{24}$/);

		// A distributed guess fills the account's ceiling from many addresses within the hour.
		const now = Date.now();
		for (let i = 0; i < MAX_FAILURES_PER_HOUR + 5; i++) {
			await recordFailure(
				database.db,
				u.email,
				{ clientKey: `203.0.113.${i % 200}` },
				new Date(now - 50 * MIN + i * 20_000)
			);
		}
		// An unknown browser is refused now, even with the right password...
		const unknown = await loginWithPassword(database.db, u.email, PASSWORD, testPolicy, {
			address: '192.0.2.99'
		});
		expect(unknown).toMatchObject({
			ok: false,
			reason: 'throttled',
			throttle: { reason: 'locked' }
		});
		// ...but the owner's browser gets in, also from the address the attacker used.
		for (const address of ['192.0.2.10', '198.51.100.9', '203.0.113.1']) {
			const known = await loginWithPassword(database.db, u.email, PASSWORD, testPolicy, {
				address,
				deviceToken
			});
			expect(known.ok, address).toBe(true);
			if (known.ok) expect(known.deviceToken).toBeNull(); // the browser is known already
		}
	});

	it("another account's device cookie is just a cookie", async () => {
		const victim = await owner();
		const attacker = await owner();
		const own = await loginWithPassword(database.db, attacker.email, PASSWORD, testPolicy, {
			address: '198.51.100.20'
		});
		const attackerDevice = own.ok ? own.deviceToken! : '';
		const now = Date.now();
		for (let i = 0; i < MAX_FAILURES_PER_HOUR; i++) {
			await recordFailure(
				database.db,
				victim.email,
				{ clientKey: `203.0.113.${i % 200}` },
				new Date(now - 50 * MIN + i * 20_000)
			);
		}
		const result = await loginWithPassword(database.db, victim.email, PASSWORD, testPolicy, {
			address: '198.51.100.20',
			deviceToken: attackerDevice
		});
		expect(result).toMatchObject({ ok: false, reason: 'throttled' });
	});

	it('brute force from one address is slowed, then refused even with the right password', async () => {
		const u = await owner();
		const from = { address: '198.51.100.30' };
		const answers: string[] = [];
		for (let i = 0; i < 8; i++) {
			const r = await loginWithPassword(database.db, u.email, `gok ${i}`, testPolicy, from);
			answers.push(r.ok ? 'ok' : r.reason === 'throttled' ? r.throttle.reason : r.reason);
		}
		// Five free failures, the sixth is counted, then the address must wait.
		expect(answers).toEqual([
			'invalid',
			'invalid',
			'invalid',
			'invalid',
			'invalid',
			'invalid',
			'slow_down',
			'slow_down'
		]);
		// Spread out past every delay, the pair still hits its hourly limit.
		const now = Date.now();
		for (let i = 0; i < MAX_CLIENT_FAILURES_PER_HOUR; i++) {
			await recordFailure(
				database.db,
				u.email,
				{ clientKey: clientKey(from.address) },
				new Date(now - 55 * MIN + i * MIN)
			);
		}
		const locked = await loginWithPassword(database.db, u.email, PASSWORD, testPolicy, from);
		expect(locked).toMatchObject({
			ok: false,
			reason: 'throttled',
			throttle: { reason: 'locked' }
		});
		// A guess with a stolen-looking but invalid device cookie is the same unknown browser.
		const forged = await loginWithPassword(database.db, u.email, PASSWORD, testPolicy, {
			...from,
			deviceToken: 'aaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaa'
		});
		expect(forged).toMatchObject({ ok: false, reason: 'throttled' });
	});

	it('tells the owner how many failed attempts there were since the last login', async () => {
		const u = await owner();
		const first = await loginWithPassword(database.db, u.email, PASSWORD, testPolicy);
		expect(first).toMatchObject({ ok: true, failedAttempts: 0 });
		for (let i = 0; i < 3; i++) {
			await loginWithPassword(database.db, u.email, 'fout', testPolicy, {
				address: '198.51.100.40'
			});
		}
		const next = await loginWithPassword(database.db, u.email, PASSWORD, testPolicy);
		expect(next).toMatchObject({ ok: true, failedAttempts: 3 });
		expect(await failedAttemptsBeforeLastLogin(database.db, u.id)).toBe(3);
		const after = await loginWithPassword(database.db, u.email, PASSWORD, testPolicy);
		expect(after).toMatchObject({ ok: true, failedAttempts: 0 });
		expect(await failedAttemptsBeforeLastLogin(database.db, u.id)).toBe(0);
	});

	it('prunes expired sessions, old attempts and unused devices on a timer', async () => {
		const u = await owner();
		const login = await loginWithPassword(database.db, u.email, PASSWORD, testPolicy);
		if (!login.ok) throw new Error('login failed');
		const now = Date.now();
		const [expired] = await database.db
			.insert(session)
			.values({
				id: `expired${now}`,
				secretHash: new Uint8Array(32),
				kind: 'user',
				userId: u.id,
				schoolId: u.schoolId,
				expiresAt: new Date(now - MIN),
				absoluteExpiresAt: new Date(now + MIN)
			})
			.returning();
		await recordFailure(
			database.db,
			`pruned-${now}@x.test`,
			{ clientKey: '' },
			new Date(now - 2 * 60 * MIN)
		);
		await recordFailure(database.db, `kept-${now}@x.test`, { clientKey: '' }, new Date(now));
		await database.db.insert(knownDevice).values({
			id: `olddevice${now}`,
			secretHash: new Uint8Array(32),
			userId: u.id,
			lastLoginAt: new Date(now - 400 * 24 * 60 * MIN)
		});

		const maintenance = startMaintenance(database.db, { intervalMs: 20 });
		try {
			await waitFor(async () => {
				const rows = await database.db.select().from(session).where(eq(session.id, expired!.id));
				return rows.length === 0;
			});
			await waitFor(async () => {
				const rows = await database.db
					.select()
					.from(knownDevice)
					.where(eq(knownDevice.userId, u.id));
				return rows.length === 1;
			});
		} finally {
			await maintenance.stop();
		}
		const attempts = await database.db.select().from(loginAttempt);
		expect(attempts.some((a) => a.emailKey === `pruned-${now}@x.test`)).toBe(false);
		expect(attempts.some((a) => a.emailKey === `kept-${now}@x.test`)).toBe(true);
		expect(
			await database.db.select().from(session).where(eq(session.id, login.session.session.id))
		).toHaveLength(1);
	});
});

describe('the process runs the housekeeping', () => {
	it('bootRuntime starts the maintenance timer and stops it at shutdown', async () => {
		// loadConfig resolves DATA_DIR to a path; the in-memory database is asked for directly.
		const config = { ...loadConfig({ NODE_ENV: 'test' }), dataDir: 'memory://' };
		const runtime = await bootRuntime(config);
		try {
			expect(runtime.services.maintenance).toBeDefined();
			expect(runtime.closers.length).toBeGreaterThan(0);
		} finally {
			for (const close of runtime.closers) await close();
			await runtime.database.close();
			setRuntime(undefined);
		}
	});
});
