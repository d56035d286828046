/**
 * Sessions and live connections (issue 9): the sync server's periodic re-check must not keep
 * an idle staff session alive, and logout closes the session's open board sockets at once.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../server/app';
import { CloseCode } from '../../server/protocol';
import type { Actor } from '../../src/lib/server/auth/actor';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import { session } from '../../src/lib/server/db/schema';
import { actions as logoutActions } from '../../src/routes/logout/+page.server';
import { drivers } from '../helpers/db';
import { makeBoard, makeSchool, makeUser, testPolicy } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { closeCode, rawSocket, syncOf, upgradeStatus } from '../helpers/sync-client';
import { createUserSession } from '../../src/lib/server/auth/session';

const MIN = 60_000;

describe.each(drivers)('sessions and open sockets (%s)', (driver) => {
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

	async function setup() {
		const db = rt.database.db;
		const s = await makeSchool(db);
		const u = await makeUser(db, s.id);
		const b = await makeBoard(db, s.id, { members: [[u.id, 'owner']] });
		const login = await createUserSession(db, u, testPolicy);
		return { user: u, board: b, token: login.token, sessionId: login.session.id };
	}

	it('the periodic re-check never extends a session; the idle timeout still ends it', async () => {
		const db = rt.database.db;
		const { board, token, sessionId } = await setup();
		const ws = await rawSocket(app.url, board.id, token);
		const closed = closeCode(ws);

		// 25 minutes without a request: 5 minutes of the idle timeout left.
		const now = Date.now();
		const expiresAt = new Date(now + 5 * MIN);
		await db
			.update(session)
			.set({ lastActiveAt: new Date(now - 25 * MIN), expiresAt })
			.where(eq(session.id, sessionId));
		await syncOf(app).recheckAll();
		const [row] = await db.select().from(session).where(eq(session.id, sessionId));
		expect(row!.expiresAt.getTime()).toBe(expiresAt.getTime());
		expect(ws.readyState).toBe(ws.OPEN);

		// The idle timeout passes with the tab still open: the next re-check closes it.
		await db
			.update(session)
			.set({ expiresAt: new Date(Date.now() - 1_000) })
			.where(eq(session.id, sessionId));
		await syncOf(app).recheckAll();
		expect(await closed).toBe(CloseCode.unauthorized);
		expect(
			await upgradeStatus(app.url, `/sync/${board.id}`, { cookie: `groeibord_session=${token}` })
		).toBe(401);
	});

	it('a request still slides the session (the default)', async () => {
		const db = rt.database.db;
		const { token, sessionId } = await setup();
		const now = Date.now();
		await db
			.update(session)
			.set({ lastActiveAt: new Date(now - 25 * MIN), expiresAt: new Date(now + 5 * MIN) })
			.where(eq(session.id, sessionId));
		expect(await validateSessionToken(db, token, testPolicy)).not.toBeNull();
		const [row] = await db.select().from(session).where(eq(session.id, sessionId));
		expect(row!.expiresAt.getTime()).toBeGreaterThan(now + 29 * MIN);
	});

	it("logout closes the session's open board sockets at once", async () => {
		const db = rt.database.db;
		const { board, token } = await setup();
		const ws = await rawSocket(app.url, board.id, token);
		const closed = closeCode(ws);
		// A second tab of another session of the same user stays open.
		const { user } = await setup();
		const otherLogin = await createUserSession(db, user, testPolicy);
		const otherBoard = await makeBoard(db, user.schoolId, { members: [[user.id, 'owner']] });
		const other = await rawSocket(app.url, otherBoard.id, otherLogin.token);

		const actor = (await validateSessionToken(db, token, testPolicy)) as Actor;
		const url = new URL(`${app.url}/logout`);
		const cookies = { delete: () => {}, get: () => token, set: () => {} };
		const started = Date.now();
		const thrown = await Promise.resolve(
			logoutActions.default!({
				locals: { actor },
				cookies,
				url,
				setHeaders: () => {},
				request: new Request(url, { method: 'POST' })
				// eslint-disable-next-line @typescript-eslint/no-explicit-any
			} as any)
		).catch((e: unknown) => e);
		expect(thrown).toMatchObject({ status: 303, location: '/login' });
		// Well before the 30 s periodic re-check.
		expect(await closed).toBe(CloseCode.unauthorized);
		expect(Date.now() - started).toBeLessThan(3_000);
		await new Promise((r) => setTimeout(r, 200));
		expect(other.readyState).toBe(other.OPEN);
		other.close();
	});
});
