/**
 * Reads over `/sync` are audited, once per view: a care meeting's page load writes the row and
 * the live connection its page opens is the same read (no second row, also not on a
 * reconnect); a client that connects without the page (here a parent's guest link) writes its
 * own row, naming who and which board without content; a team board writes none; after
 * `BOARD_READ_WINDOW_MS` a connection is a new read.
 */
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../server/app';
import { addCard } from '../../src/lib/board/verbeterbord';
import { auditLog } from '../../src/lib/server/db/schema';
import { BOARD_READ_WINDOW_MS, recordBoardRead } from '../../src/lib/server/privacy/audit';
import { load as boardLoad } from '../../src/routes/boards/[boardId=id]/+page.server';
import { drivers } from '../helpers/db';
import {
	asUser,
	guestToken,
	loginToken,
	makeBoard,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser
} from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { connectClient, eventually, type TestClient } from '../helpers/sync-client';

const event = (actor: unknown, params: Record<string, string>) =>
	({ locals: { actor }, params, url: new URL('http://localhost/') }) as never;

describe.each(drivers)('reads over /sync in the audit log (%s)', (driver) => {
	let rt: TestRuntime;
	let app: AppServer;
	const clients: TestClient[] = [];

	beforeEach(async () => {
		rt = await startTestRuntime(driver);
		app = await startAppServer(rt.runtime, undefined, { port: 0, host: '127.0.0.1' });
	});
	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		await app.close();
		await rt.close();
	});

	async function synced(boardId: string, token: string) {
		const c = connectClient(app.url, boardId, token);
		clients.push(c);
		await eventually(() => c.provider.synced);
		return c;
	}

	async function world() {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const mentor = await makeUser(db, school.id, { name: 'Mentor Mo' });
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
		return { school, mentor, kim, care, teamBoard, token: await loginToken(db, mentor) };
	}

	const readsOf = (boardId: string) =>
		rt.database.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.subjectId, boardId), eq(auditLog.action, 'board.view')));

	it('a page view and the live connection it opens are one read; a reconnect too', async () => {
		const { mentor, care, token } = await world();
		await boardLoad(event(asUser(mentor), { boardId: care.id }));
		const first = await synced(care.id, token);
		first.destroy();
		await synced(care.id, token);
		const rows = await readsOf(care.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ actorKind: 'user', actorId: mentor.id });
		expect(rows[0]!.meta).toEqual({ boardKind: 'zorgoverleg' });
	});

	it('a connection without a page view is a read of its own, without content', async () => {
		const db = rt.database.db;
		const { mentor, kim, care, teamBoard, token } = await world();
		const parent = await guestToken(db, care.id, 'parent', mentor.id, 'Ouder van Kim');
		const writer = await synced(care.id, token);
		addCard(writer.doc, { type: 'successes', title: 'Geheim-succes-9913' }, 'local');
		await synced(care.id, parent.token);
		await synced(teamBoard.id, token);

		const rows = await readsOf(care.id);
		// The mentor's connection and the parent's: no page loads, so two reads.
		expect(rows.map((r) => [r.actorKind, r.actorId])).toEqual([
			['user', mentor.id],
			['guest', parent.actorKey]
		]);
		expect(rows[1]).toMatchObject({
			studentId: kim.id,
			meta: { boardKind: 'zorgoverleg', via: 'sync', guestRole: 'parent', guestBoardId: care.id }
		});
		for (const secret of ['Geheim-succes-9913', 'Ouder van Kim', 'Mentor Mo', parent.token]) {
			expect(JSON.stringify(rows)).not.toContain(secret);
		}
		// A team board is not a child's file.
		expect(await readsOf(teamBoard.id)).toHaveLength(0);
		expect(
			await db.select().from(auditLog).where(eq(auditLog.subjectId, teamBoard.id))
		).toHaveLength(0);
	});

	it('after the read window a connection is a new read', async () => {
		const { mentor, care } = await world();
		const db = rt.database.db;
		const then = new Date(Date.now() - BOARD_READ_WINDOW_MS - 1_000);
		await recordBoardRead(db, asUser(mentor), care, { now: then });
		await recordBoardRead(db, asUser(mentor), care, { via: 'sync' });
		expect(await readsOf(care.id)).toHaveLength(2);
		await recordBoardRead(db, asUser(mentor), care, { via: 'sync' });
		expect(await readsOf(care.id)).toHaveLength(2);
	});
});
