/**
 * Access flows against a real database: tokens never stored raw, tampered and expired tokens
 * refused, throttling per account, sliding expiry, revocation ending sessions and announcing
 * itself to the sync server, wall pairing that only the wall can claim.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { onAccessChanged, type AccessChange } from '../../src/lib/server/access-events';
import { changePassword } from '../../src/lib/server/access/account';
import {
	claimPairing,
	listActivePairings,
	pairWithCode,
	revokePairing,
	startPairing
} from '../../src/lib/server/access/pairing';
import {
	checkBoardInvite,
	createBoardInvite,
	joinWithInvite,
	removeBoardMember,
	revokeBoardInvite
} from '../../src/lib/server/access/sharing';
import {
	acceptStaffInvite,
	createStaffInvite,
	findStaffInvite,
	setStaffActive,
	setStaffRole
} from '../../src/lib/server/access/staff';
import { setTeamArchived } from '../../src/lib/server/access/teams';
import { loginWithPassword } from '../../src/lib/server/auth/login';
import { hashPassword } from '../../src/lib/server/auth/password';
import { createUserSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { recordFailure } from '../../src/lib/server/auth/throttle';
import { session, wallPairing } from '../../src/lib/server/db/schema';
import type { Database } from '../../src/lib/server/db';
import { drivers } from '../helpers/db';
import { makeBoard, makeSchool, makeTeam, makeUser, testPolicy } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const HOUR = 3_600_000;
const MIN = 60_000;

/** Every value of every table as text, to search for a raw secret. */
async function dumpDatabase(db: Database): Promise<string> {
	const rowsOf = (r: unknown) => (r && typeof r === 'object' && 'rows' in r ? r.rows : r);
	const tables = rowsOf(
		await db.execute(
			sql`select table_name from information_schema.tables where table_schema = 'public'`
		)
	) as Array<{ table_name: string }>;
	let out = '';
	for (const { table_name } of tables) {
		const data = rowsOf(await db.execute(sql.raw(`select * from "${table_name}"`)));
		out += JSON.stringify(data, (_k, v: unknown) =>
			v instanceof Uint8Array
				? Buffer.from(v).toString('latin1')
				: typeof v === 'bigint'
					? v.toString()
					: v
		);
	}
	return out;
}

describe.each(drivers)('access flows (%s)', (driver) => {
	let rt: TestRuntime;
	let db: Database;
	let changes: AccessChange[];
	let stop: () => void;

	beforeEach(async () => {
		rt = await startTestRuntime(driver);
		db = rt.database.db;
		changes = [];
		stop = onAccessChanged((c) => changes.push(c));
	});
	afterEach(async () => {
		stop();
		await rt.close();
	});

	it('never stores a raw session, invite, staff-invite or wall token', async () => {
		const school = await makeSchool(db);
		const admin = await makeUser(db, school.id, { role: 'admin' });
		const t = await makeTeam(db, school.id, [admin.id]);
		const board = await makeBoard(db, school.id, { teamId: t.id });
		const userSession = await createUserSession(db, admin, testPolicy);
		const invite = await createBoardInvite(
			db,
			board.id,
			{ role: 'editor', expiresHours: 24, singleUse: false, label: '' },
			admin.id
		);
		const guest = await joinWithInvite(db, invite.token, 'Ouder');
		const staff = await createStaffInvite(db, {
			schoolId: school.id,
			email: 'nieuw@school.test',
			name: 'Nieuw',
			role: 'staff',
			createdById: admin.id
		});
		const wall = await startPairing(db);
		await pairWithCode(db, admin, wall.code, t.id, [t.id], { absoluteHours: 12 });
		const device = await claimPairing(db, wall.cookie);
		expect(guest.ok && device).toBeTruthy();

		const dump = await dumpDatabase(db);
		expect(dump).toContain(board.id); // the dump does see the data
		const secrets = [
			userSession.token,
			invite.token,
			staff.token,
			wall.cookie,
			device!.token,
			guest.ok ? guest.session.token : 'x.x'
		].map((tok) => tok.split('.')[1]!);
		for (const secret of secrets) {
			expect(secret.length).toBeGreaterThanOrEqual(24);
			expect(dump).not.toContain(secret);
		}
		expect(dump).not.toContain(wall.code);
	});

	it('refuses tampered and expired tokens', async () => {
		const school = await makeSchool(db);
		const u = await makeUser(db, school.id);
		const { token } = await createUserSession(db, u, testPolicy);
		const [id, secret] = token.split('.') as [string, string];
		const flipped = secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a');
		expect(await validateSessionToken(db, `${id}.${flipped}`, testPolicy)).toBeNull();
		expect(await validateSessionToken(db, `${id}.${secret}x`, testPolicy)).toBeNull();
		expect(await validateSessionToken(db, token, testPolicy)).not.toBeNull();
		const later = new Date(Date.now() + 31 * MIN);
		expect(await validateSessionToken(db, token, testPolicy, later)).toBeNull();

		const board = await makeBoard(db, school.id);
		const now = new Date();
		const inv = await createBoardInvite(
			db,
			board.id,
			{ role: 'viewer', expiresHours: 1, singleUse: false, label: '' },
			u.id,
			now
		);
		const tamperedInvite = inv.token.slice(0, -1) + (inv.token.endsWith('a') ? 'b' : 'a');
		expect((await checkBoardInvite(db, tamperedInvite)).ok).toBe(false);
		expect(await joinWithInvite(db, tamperedInvite, 'X')).toEqual({
			ok: false,
			reason: 'invalid'
		});
		const expiredAt = new Date(now.getTime() + HOUR + 1);
		expect(await joinWithInvite(db, inv.token, 'X', expiredAt)).toEqual({
			ok: false,
			reason: 'expired'
		});
		// A guest session made earlier also stops at the invite's expiry.
		const joined = await joinWithInvite(db, inv.token, 'Ouder', now);
		expect(joined.ok).toBe(true);
		if (!joined.ok) return;
		expect(await validateSessionToken(db, joined.session.token, testPolicy, now)).toMatchObject({
			kind: 'guest',
			role: 'viewer',
			displayName: 'Ouder'
		});
		expect(await validateSessionToken(db, joined.session.token, testPolicy, expiredAt)).toBeNull();

		const staff = await createStaffInvite(
			db,
			{ schoolId: school.id, email: 'a@b.nl', name: 'A', role: 'staff', createdById: u.id },
			now
		);
		expect((await findStaffInvite(db, staff.token, now)).ok).toBe(true);
		expect(
			await findStaffInvite(db, staff.token, new Date(now.getTime() + 7 * 24 * HOUR + 1))
		).toEqual({ ok: false, reason: 'expired' });
		const tamperedStaff = staff.token.slice(0, -1) + (staff.token.endsWith('a') ? 'b' : 'a');
		expect(await findStaffInvite(db, tamperedStaff, now)).toEqual({ ok: false, reason: 'invalid' });
	});

	it('throttles one account after 100 failures in an hour, not a colleague on the same IP', async () => {
		const school = await makeSchool(db);
		const passwordHash = await hashPassword('een lange zin als wachtwoord');
		await makeUser(db, school.id, { email: 'doelwit@school.test', passwordHash });
		await makeUser(db, school.id, { email: 'collega@school.test', passwordHash });
		const now = Date.now();
		// 100 failures over the last 50 minutes (the last one 10 minutes ago, past any delay).
		for (let i = 0; i < 100; i++) {
			await recordFailure(
				db,
				'doelwit@school.test',
				{ clientKey: '' },
				new Date(now - 60 * MIN + 30_000 + i * 30_000)
			);
		}
		// The 101st try is refused, even with the right password.
		const blocked = await loginWithPassword(
			db,
			'doelwit@school.test',
			'een lange zin als wachtwoord',
			testPolicy
		);
		expect(blocked).toMatchObject({
			ok: false,
			reason: 'throttled',
			throttle: { reason: 'locked' }
		});
		const colleague = await loginWithPassword(
			db,
			'collega@school.test',
			'een lange zin als wachtwoord',
			testPolicy
		);
		expect(colleague.ok).toBe(true);
	});

	it('slides a staff session: 30 min idle, 12 h absolute', async () => {
		const school = await makeSchool(db);
		const u = await makeUser(db, school.id);
		const t0 = new Date('2026-03-02T08:00:00Z');
		const { token } = await createUserSession(db, u, testPolicy, t0);
		const at = (ms: number) => new Date(t0.getTime() + ms);
		// Active every 25 minutes: the session lives on ...
		let t = 0;
		while (t + 25 * MIN < 12 * HOUR) {
			t += 25 * MIN;
			expect(await validateSessionToken(db, token, testPolicy, at(t))).not.toBeNull();
		}
		// ... but never past 12 hours.
		expect(await validateSessionToken(db, token, testPolicy, at(12 * HOUR + 1))).toBeNull();

		const second = await createUserSession(db, u, testPolicy, t0);
		expect(await validateSessionToken(db, second.token, testPolicy, at(20 * MIN))).not.toBeNull();
		expect(await validateSessionToken(db, second.token, testPolicy, at(51 * MIN))).toBeNull();
	});

	it('revoking an invite ends its guest sessions and tells the sync server', async () => {
		const school = await makeSchool(db);
		const owner = await makeUser(db, school.id);
		const board = await makeBoard(db, school.id, { members: [[owner.id, 'owner']] });
		const inv = await createBoardInvite(
			db,
			board.id,
			{ role: 'editor', expiresHours: 24, singleUse: true, label: 'ouders' },
			owner.id
		);
		const first = await joinWithInvite(db, inv.token, 'Moeder');
		expect(first.ok).toBe(true);
		expect(await joinWithInvite(db, inv.token, 'Vader')).toEqual({ ok: false, reason: 'used' });
		expect(await revokeBoardInvite(db, board.id, inv.invite.id)).toBe(true);
		expect(changes).toContainEqual({ kind: 'invite', inviteId: inv.invite.id, boardId: board.id });
		if (first.ok) {
			expect(await validateSessionToken(db, first.session.token, testPolicy)).toBeNull();
		}
		expect(await checkBoardInvite(db, inv.token)).toEqual({ ok: false, reason: 'revoked' });

		expect(
			await removeBoardMember(db, board, owner.id, { kind: 'account', userId: owner.id })
		).toBe(true);
		expect(changes).toContainEqual({ kind: 'board', boardId: board.id });
	});

	it('deactivation, role removal and a password change end sessions', async () => {
		const school = await makeSchool(db);
		const admin = await makeUser(db, school.id, { role: 'admin' });
		const other = await makeUser(db, school.id, { role: 'admin' });
		const a = await createUserSession(db, other, testPolicy);
		expect(await setStaffRole(db, school.id, admin.id, other.id, 'staff')).toEqual({ ok: true });
		expect(await validateSessionToken(db, a.token, testPolicy)).toBeNull();
		expect(changes).toContainEqual({ kind: 'user', userId: other.id });

		const b = await createUserSession(db, other, testPolicy);
		expect(await setStaffActive(db, school.id, admin.id, admin.id, false)).toEqual({
			ok: false,
			reason: 'self'
		});
		await setStaffActive(db, school.id, admin.id, other.id, false);
		expect(await validateSessionToken(db, b.token, testPolicy)).toBeNull();

		const hash = await hashPassword('oud wachtwoord 123');
		const me = await makeUser(db, school.id, { passwordHash: hash });
		const here = await createUserSession(db, me, testPolicy);
		const elsewhere = await createUserSession(db, me, testPolicy);
		changes.length = 0;
		expect(
			await changePassword(db, me.id, here.session.id, 'fout', 'nieuw wachtwoord 456')
		).toMatchObject({ ok: false, field: 'current' });
		expect(
			await changePassword(db, me.id, here.session.id, 'oud wachtwoord 123', 'nieuw wachtwoord 456')
		).toEqual({ ok: true });
		expect(await validateSessionToken(db, here.token, testPolicy)).not.toBeNull();
		expect(await validateSessionToken(db, elsewhere.token, testPolicy)).toBeNull();
		expect(changes).toEqual([{ kind: 'user', userId: me.id }]);
	});

	it('a staff invite makes one account, once', async () => {
		const school = await makeSchool(db);
		const admin = await makeUser(db, school.id, { role: 'admin' });
		const inv = await createStaffInvite(db, {
			schoolId: school.id,
			email: 'Nieuw@School.test',
			name: 'Nieuw',
			role: 'staff',
			createdById: admin.id
		});
		expect((await findStaffInvite(db, inv.token)).ok).toBe(true);
		const created = await acceptStaffInvite(db, inv.invite.id, {
			name: 'Nieuwe Collega',
			passwordHash: await hashPassword('mijn eigen zin 42')
		});
		expect(created).toMatchObject({ name: 'Nieuwe Collega', role: 'staff', schoolId: school.id });
		expect(await findStaffInvite(db, inv.token)).toEqual({ ok: false, reason: 'used' });
		expect(
			await acceptStaffInvite(db, inv.invite.id, { name: 'Nog eens', passwordHash: 'x' })
		).toBeNull();
	});

	it('pairs a wall: only the wall with the secret claims, once; revocation ends it', async () => {
		const school = await makeSchool(db);
		const staff = await makeUser(db, school.id);
		const mine = await makeTeam(db, school.id, [staff.id]);
		const foreign = await makeTeam(db, school.id);
		const wall = await startPairing(db);
		expect(await claimPairing(db, wall.cookie)).toBeNull(); // not paired yet
		expect(
			await pairWithCode(db, staff, wall.code, foreign.id, [mine.id], { absoluteHours: 12 })
		).toEqual({ ok: false, reason: 'team' });
		expect(
			await pairWithCode(db, staff, 'AAAAAA', mine.id, [mine.id], { absoluteHours: 12 })
		).toEqual({ ok: false, reason: 'code' });
		const paired = await pairWithCode(db, staff, wall.code.toLowerCase(), mine.id, [mine.id], {
			absoluteHours: 12
		});
		expect(paired.ok).toBe(true);
		// Someone who saw the code but lacks the wall's secret gets nothing.
		const pid = wall.cookie.split('.')[0]!;
		expect(await claimPairing(db, `${pid}.${'a'.repeat(32)}`)).toBeNull();
		const device = await claimPairing(db, wall.cookie);
		expect(device).not.toBeNull();
		expect(await claimPairing(db, wall.cookie)).toBeNull(); // once
		const actor = await validateSessionToken(db, device!.token, testPolicy);
		expect(actor).toMatchObject({ kind: 'device', teamId: mine.id });
		expect(device!.session.absoluteExpiresAt.getTime() - Date.now()).toBeLessThanOrEqual(12 * HOUR);

		// The code is spent: typing it again pairs nothing.
		expect(
			await pairWithCode(db, staff, wall.code, mine.id, [mine.id], { absoluteHours: 12 })
		).toEqual({ ok: false, reason: 'code' });

		const active = await listActivePairings(db, [mine.id]);
		expect(active.map((p) => p.id)).toEqual([pid]);
		expect(await revokePairing(db, pid, [foreign.id])).toBe(false);
		expect(await revokePairing(db, pid, [mine.id])).toBe(true);
		expect(changes).toContainEqual({ kind: 'pairing', pairingId: pid });
		expect(await validateSessionToken(db, device!.token, testPolicy)).toBeNull();
		expect(await db.select().from(session).where(eq(session.wallPairingId, pid))).toEqual([]);
		const [row] = await db.select().from(wallPairing).where(eq(wallPairing.id, pid));
		expect(row?.status).toBe('revoked');
	});

	it('archiving a team unpairs its walls', async () => {
		const school = await makeSchool(db);
		const staff = await makeUser(db, school.id);
		const t = await makeTeam(db, school.id, [staff.id]);
		const wall = await startPairing(db);
		await pairWithCode(db, staff, wall.code, t.id, [t.id], { absoluteHours: 12 });
		const device = await claimPairing(db, wall.cookie);
		expect(await validateSessionToken(db, device!.token, testPolicy)).not.toBeNull();
		expect(await setTeamArchived(db, school.id, t.id, true)).toBe(true);
		expect(await validateSessionToken(db, device!.token, testPolicy)).toBeNull();
		expect(changes).toContainEqual({ kind: 'pairing', pairingId: wall.cookie.split('.')[0] });
	});

	it('an expired pairing code pairs nothing', async () => {
		const school = await makeSchool(db);
		const staff = await makeUser(db, school.id);
		const t = await makeTeam(db, school.id, [staff.id]);
		const t0 = new Date();
		const wall = await startPairing(db, t0);
		const later = new Date(t0.getTime() + 11 * MIN);
		expect(
			await pairWithCode(db, staff, wall.code, t.id, [t.id], { absoluteHours: 12 }, later)
		).toEqual({ ok: false, reason: 'code' });
	});
});
