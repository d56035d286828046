/**
 * A school reconnecting at once (after a restart or a network blip): upgrades beyond the
 * active limit wait in line instead of being refused, their board lookups go to the database
 * in batches that keep every school's boards its own, and the periodic access re-check runs
 * per connection when it is due, not for everyone at one moment.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type WebSocket from 'ws';
import { startAppServer, type AppServer } from '../../server/app';
import { CloseCode } from '../../server/protocol';
import { boardAccessMany } from '../../src/lib/server/auth/permissions';
import { validateSessionToken, validateSessionTokens } from '../../src/lib/server/auth/session';
import { session, user } from '../../src/lib/server/db/schema';
import { drivers } from '../helpers/db';
import {
	loginToken,
	makeBoard,
	makeSchool,
	makeTeam,
	makeUser,
	testPolicy
} from '../helpers/factories';
import { runtimeForEachTest } from '../helpers/runtime-hooks';
import { closeCode, rawSocket, syncOf, upgradeStatus } from '../helpers/sync-client';

describe.each(drivers)('a reconnect storm (%s)', (driver) => {
	const rt = runtimeForEachTest(driver, {
		SYNC_MAX_CONNECTIONS_PER_SESSION: '1000',
		SYNC_MAX_CONNECTIONS_PER_BOARD: '1000'
	});
	let app: AppServer;
	const open: WebSocket[] = [];

	beforeEach(async () => {
		app = await startAppServer(rt.runtime, undefined, { port: 0, host: '127.0.0.1' });
	});
	afterEach(async () => {
		for (const ws of open.splice(0)) ws.terminate();
		await app.close();
	});

	it('300 upgrades during a database stall from 30 logins all open; another school in the same burst gets 403', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const staff = await Promise.all(Array.from({ length: 30 }, () => makeUser(db, school.id)));
		const boards = await Promise.all(
			Array.from({ length: 10 }, (_, b) =>
				makeBoard(db, school.id, {
					members: staff.filter((_, i) => i % 10 === b).map((u) => [u.id, 'editor'] as const)
				})
			)
		);
		const tokens = await Promise.all(staff.map((u) => loginToken(db, u)));
		const other = await makeSchool(db);
		const stranger = await makeUser(db, other.id, { role: 'admin' });
		const strangerToken = await loginToken(db, stranger);

		// The database stalls (a long transaction holds the session table): every upgrade waits,
		// more than the 256 that may authenticate at once.
		let release = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		let locked = () => {};
		const isLocked = new Promise<void>((resolve) => (locked = resolve));
		const stall = db.transaction(async (tx) => {
			await tx.execute(sql`lock table "session" in access exclusive mode`);
			locked();
			await held;
		});
		await isLocked;
		const attempts = Array.from({ length: 300 }, (_, i) =>
			rawSocket(app.url, boards[i % 10]!.id, tokens[i % 30]!)
		);
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		release();
		await stall;
		const strangers = boards.map((b) =>
			upgradeStatus(app.url, `/sync/${b.id}`, { cookie: `groeibord_session=${strangerToken}` })
		);
		const results = await Promise.allSettled(attempts);
		for (const r of results) if (r.status === 'fulfilled') open.push(r.value);
		const refused = results.filter((r) => r.status === 'rejected');
		expect(refused.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
		expect(syncOf(app).connectionCount()).toBe(300);
		expect(await Promise.all(strangers)).toEqual(boards.map(() => 403));
	});

	it('the periodic re-check of a socket runs when it is due, not before', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const u = await makeUser(db, school.id);
		const b = await makeBoard(db, school.id, { members: [[u.id, 'owner']] });
		const token = await loginToken(db, u);
		const ws = await rawSocket(app.url, b.id, token);
		open.push(ws);
		const closed = closeCode(ws);
		const actor = await validateSessionToken(db, token, testPolicy);
		await db.delete(session).where(eq(session.id, actor!.session.id));

		// Just connected: its re-check is about 30 s away (±10 %), so nothing is checked yet.
		await syncOf(app).recheckDue(Date.now() + 20_000);
		expect(ws.readyState).toBe(ws.OPEN);
		await syncOf(app).recheckDue(Date.now() + 40_000);
		expect(await closed).toBe(CloseCode.unauthorized);
	});
});

describe.each(drivers)('boardAccessMany (%s)', (driver) => {
	const rt = runtimeForEachTest(driver);

	it('answers each pair as boardRole would, each scoped to its own school', async () => {
		const db = rt.database.db;
		const a = await makeSchool(db);
		const b = await makeSchool(db);
		const member = await makeUser(db, a.id);
		const teamMate = await makeUser(db, a.id);
		const outsider = await makeUser(db, a.id);
		const admin = await makeUser(db, a.id, { role: 'admin' });
		const foreign = await makeUser(db, b.id);
		const team = await makeTeam(db, a.id, [teamMate.id]);
		const board = await makeBoard(db, a.id, { teamId: team.id, members: [[member.id, 'viewer']] });
		const foreignBoard = await makeBoard(db, b.id, { members: [[foreign.id, 'owner']] });
		const actorOf = async (u: { id: string; schoolId: string }) =>
			(await validateSessionToken(db, await loginToken(db, u), testPolicy))!;

		const asked = [
			{ actor: await actorOf(member), boardId: board.id },
			{ actor: await actorOf(teamMate), boardId: board.id },
			{ actor: await actorOf(outsider), boardId: board.id },
			{ actor: await actorOf(admin), boardId: board.id },
			// Another school's member asks for this board in the same batch as its own members.
			{ actor: await actorOf(foreign), boardId: board.id },
			{ actor: await actorOf(foreign), boardId: foreignBoard.id },
			{ actor: await actorOf(member), boardId: foreignBoard.id },
			{ actor: await actorOf(member), boardId: 'no-such-board' }
		];
		const answers = await boardAccessMany(db, asked);
		expect(answers.map((x) => x && { id: x.board.id, role: x.role })).toEqual([
			{ id: board.id, role: 'viewer' },
			{ id: board.id, role: 'editor' },
			{ id: board.id, role: null },
			{ id: board.id, role: 'owner' },
			null,
			{ id: foreignBoard.id, role: 'owner' },
			null,
			null
		]);
	});

	it('validateSessionTokens answers each token as validateSessionToken does, in order', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const alive = await loginToken(db, await makeUser(db, school.id));
		const gone = await makeUser(db, school.id);
		const goneToken = await loginToken(db, gone);
		await db.update(user).set({ deactivatedAt: new Date() }).where(eq(user.id, gone.id));
		const expired = await loginToken(db, await makeUser(db, school.id));
		const expiredId = expired.split('.')[0]!;
		await db
			.update(session)
			.set({ expiresAt: new Date(Date.now() - 1_000) })
			.where(eq(session.id, expiredId));
		const tampered = `${alive.split('.')[0]}.${'a'.repeat(24)}`;
		const tokens = [alive, goneToken, expired, tampered, 'not-a-token', alive];

		const many = await validateSessionTokens(db, tokens, testPolicy);
		expect(many.map((a) => a?.session.id ?? null)).toEqual([
			alive.split('.')[0],
			null,
			null,
			null,
			null,
			alive.split('.')[0]
		]);
		// The expired session was ended, as one validation would have done.
		expect(await db.select().from(session).where(eq(session.id, expiredId))).toEqual([]);
		for (const token of tokens) {
			expect((await validateSessionToken(db, token, testPolicy))?.session.id ?? null).toBe(
				many[tokens.indexOf(token)]?.session.id ?? null
			);
		}
	});
});
