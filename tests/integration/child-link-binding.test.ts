/**
 * A guest link with the `child` role on a care meeting for several children is one child's
 * device, bound to that child (board_invite.student_id), on real servers and real databases:
 * it is listed under its own child only, writes only in its own child's column, and when its
 * child leaves the meeting (taken off, or erased) the link is revoked, its sessions end and its
 * open socket is closed, so it never speaks, reads or writes as the child who is first next.
 */
import { readFileSync } from 'node:fs';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../server/app';
import { CloseCode } from '../../server/protocol';
import { joinLabelsFor, listParticipants } from '../../src/lib/board/participants';
import { checkinsMap, listCards } from '../../src/lib/board/verbeterbord';
import { addWish, setMeetingCheckIn } from '../../src/lib/board/zorgoverleg';
import { createBoardInvite, joinWithInvite } from '../../src/lib/server/access/sharing';
import type { Actor } from '../../src/lib/server/auth/actor';
import { boardRole } from '../../src/lib/server/auth/permissions';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import { currentBoardDoc } from '../../src/lib/server/board-edit';
import {
	board as boardTable,
	boardInvite,
	boardStudent,
	session as sessionTable,
	student as studentTable
} from '../../src/lib/server/db/schema';
import { eraseStudentData } from '../../src/lib/server/privacy/erase';
import { addSibling, meetingParticipants } from '../../src/lib/server/zorgoverleg';
import { actions as boardActions } from '../../src/routes/boards/[boardId=id]/+page.server';
import { actions as shareActions } from '../../src/routes/boards/[boardId=id]/share/+page.server';
import { drivers } from '../helpers/db';
import {
	asUser,
	makeBoard,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser,
	testPolicy
} from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { connectClient, eventually, upgradeStatus, type TestClient } from '../helpers/sync-client';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEvent = any;

describe.each(drivers)('a child link belongs to one child (%s)', (driver) => {
	let rt: TestRuntime;
	let app: AppServer;
	const clients: TestClient[] = [];

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		app = await startAppServer(rt.runtime, undefined, { port: 0, host: '127.0.0.1' });
	});
	afterEach(() => {
		for (const c of clients.splice(0)) c.destroy();
	});
	afterAll(async () => {
		await app?.close();
		await rt?.close();
	});

	function connect(boardId: string, token: string) {
		const client = connectClient(app.url, boardId, token);
		clients.push(client);
		return client;
	}

	/** The code the server closes the client's current connection with (-1: not in `ms`). */
	function nextClose(client: TestClient, ms = 5_000): Promise<number> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => resolve(-1), ms);
			client.provider.on('connection-close', (event) => {
				clearTimeout(timer);
				resolve(event?.code ?? -1);
			});
		});
	}

	const actorOf = async (token: string) =>
		(await validateSessionToken(rt.database.db, token, testPolicy)) as Actor | null;

	/** Noor (the first child) and Sem on one care meeting, one mentor; Lisa of another family. */
	async function world() {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const admin = await makeUser(db, school.id, { role: 'admin' });
		const mentor = await makeUser(db, school.id, { name: 'Mentor Mo' });
		const team = await makeTeam(db, school.id, [mentor.id]);
		const noor = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const sem = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const lisa = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		for (const [s, firstName] of [
			[noor, 'Noor'],
			[sem, 'Sem'],
			[lisa, 'Lisa']
		] as const) {
			await db.update(studentTable).set({ firstName }).where(eq(studentTable.id, s.id));
		}
		const meeting = await makeBoard(db, school.id, {
			kind: 'zorgoverleg',
			studentId: noor.id,
			members: [[mentor.id, 'owner']]
		});
		expect(await addSibling(db, asUser(mentor), meeting, { studentId: sem.id })).toMatchObject({
			ok: true
		});
		return { db, school, admin, mentor, noor, sem, lisa, meeting };
	}
	type World = Awaited<ReturnType<typeof world>>;

	/** A child link made by the mentor (for `studentId` when given) and joined on a tablet. */
	async function childLink(w: World, studentId?: string) {
		const { token: invite, invite: row } = await createBoardInvite(
			w.db,
			w.meeting.id,
			{
				role: 'child',
				expiresHours: 24,
				singleUse: false,
				label: '',
				...(studentId ? { studentId } : {})
			},
			w.mentor.id
		);
		const joined = await joinWithInvite(
			w.db,
			invite,
			'Tablet',
			new Date(),
			joinLabelsFor('child')[0]
		);
		if (!joined.ok) throw new Error(`join failed: ${joined.reason}`);
		return { inviteId: row.id, token: joined.session.token, key: joined.session.session.id };
	}

	const byChildLink = (key: string) => ({ createdBy: key, createdByName: 'Tablet', byChild: true });

	/**
	 * Who `key` speaks for (a participant key), if anyone: in the list the server builds from the
	 * database, and in the one it last wrote into the board's document (when that names it).
	 */
	async function speaksFor(w: World, key: string) {
		const [b] = await w.db.select().from(boardTable).where(eq(boardTable.id, w.meeting.id));
		const built = (await meetingParticipants(w.db, b!)).find((p) => p.keys.includes(key));
		const doc = await currentBoardDoc(w.meeting.id, rt.runtime);
		const written = listParticipants(doc).find((p) => p.keys.includes(key));
		if (written) expect(written.key).toBe(built?.key);
		return built?.key ?? null;
	}

	async function removeByForm(actor: Actor, boardId: string, studentId: string) {
		const body = new FormData();
		body.set('studentId', studentId);
		const request = new Request(`http://school.test/boards/${boardId}?/removeSibling`, {
			method: 'POST',
			body
		});
		try {
			const result = await boardActions.removeSibling!({
				locals: { actor },
				params: { boardId },
				request
			} as AnyEvent);
			return (result as { status?: number })?.status ?? 200;
		} catch (error) {
			return (error as { status?: number }).status ?? 500;
		}
	}

	/**
	 * What the first child's link can still do once she has left: nothing. Its open socket was
	 * closed, its session and link are gone, a new socket is refused, it is nobody on the list,
	 * and nothing it wrote on its old socket afterwards (words and a check-in, which would have
	 * counted as Sem's) reached the board.
	 */
	async function expectLinkDead(
		w: World,
		link: { inviteId: string; token: string; key: string },
		tablet: TestClient,
		closed: Promise<number>
	) {
		expect([CloseCode.unauthorized, CloseCode.forbidden]).toContain(await closed);
		addWish(tablet.doc, { title: 'NAMENS-SEM' }, 'local', byChildLink(link.key));
		setMeetingCheckIn(tablet.doc, link.key, { name: 'Tablet', value: 1 }, 'local');
		expect(await actorOf(link.token)).toBeNull();
		const [invite] = await w.db.select().from(boardInvite).where(eq(boardInvite.id, link.inviteId));
		// Revoked when Noor was only taken off; gone with her file when she was erased.
		expect(invite === undefined || invite.revokedAt !== null).toBe(true);
		expect(
			await w.db
				.select({ id: sessionTable.id })
				.from(sessionTable)
				.where(and(eq(sessionTable.inviteId, link.inviteId), eq(sessionTable.kind, 'guest')))
		).toEqual([]);
		expect(
			await upgradeStatus(app.url, `/sync/${w.meeting.id}`, {
				cookie: `groeibord_session=${link.token}`
			})
		).toBe(401);
		expect(await speaksFor(w, link.key)).toBeNull();
		// Give a reconnect (refused) time to try; nothing of the tablet's reaches the board.
		await new Promise((r) => setTimeout(r, 600));
		const stored = await currentBoardDoc(w.meeting.id, rt.runtime);
		expect(listCards(stored, 'wishes').filter((c) => c.createdBy === link.key)).toEqual([]);
		expect(checkinsMap(stored).has(link.key)).toBe(false);
		expect(JSON.stringify(stored.toJSON())).not.toContain('NAMENS-SEM');
	}

	it('a child link is listed under its own child only, and writes only in its own child’s column', async () => {
		const w = await world();
		const forNoor = await childLink(w);
		const forSem = await childLink(w, w.sem.id);
		expect(await speaksFor(w, forNoor.key)).toBe(`student:${w.noor.id}`);
		expect(await speaksFor(w, forSem.key)).toBe(`student:${w.sem.id}`);

		const tablet = connect(w.meeting.id, forSem.token);
		await eventually(() => tablet.provider.synced);
		addWish(tablet.doc, { title: 'SEM-zelf', child: w.sem.id }, 'local', byChildLink(forSem.key));
		await eventually(async () =>
			listCards(await currentBoardDoc(w.meeting.id, rt.runtime), 'wishes').some(
				(c) => c.title === 'SEM-zelf'
			)
		);
		// Words without a child are the first child's (Noor's): not Sem's tablet's to write.
		const closed = nextClose(tablet);
		addWish(tablet.doc, { title: 'NAMENS-NOOR' }, 'local', byChildLink(forSem.key));
		expect(await closed).toBe(CloseCode.invalidUpdate);
		const stored = await currentBoardDoc(w.meeting.id, rt.runtime);
		expect(listCards(stored, 'wishes').map((c) => c.title)).toEqual(['SEM-zelf']);
	});

	it('a child link for a student not on the meeting is refused with a 400', async () => {
		const w = await world();
		const body = new FormData();
		body.set('role', 'child');
		body.set('expiresHours', '24');
		body.set('studentId', w.lisa.id);
		const request = new Request(`http://school.test/boards/${w.meeting.id}/share?/createInvite`, {
			method: 'POST',
			body
		});
		const result = await shareActions.createInvite!({
			locals: { actor: asUser(w.mentor) },
			params: { boardId: w.meeting.id },
			request,
			url: new URL(request.url)
		} as AnyEvent);
		expect(result).toMatchObject({ status: 400 });
		expect(
			await w.db
				.select()
				.from(boardInvite)
				.where(and(eq(boardInvite.boardId, w.meeting.id), eq(boardInvite.role, 'child')))
		).toEqual([]);
	});

	it('taking the first child off revokes her child link and closes its socket: it never acts as the next child', async () => {
		const w = await world();
		const forNoor = await childLink(w);
		const forSem = await childLink(w, w.sem.id);
		const tablet = connect(w.meeting.id, forNoor.token);
		await eventually(() => tablet.provider.synced);
		const actor = (await actorOf(forNoor.token))!;
		expect(await boardRole(w.db, actor, w.meeting.id)).toBe('child');
		// Noor checks in on her tablet (kept under its session, listed as hers).
		await eventually(async () =>
			listParticipants(await currentBoardDoc(w.meeting.id, rt.runtime)).some((p) =>
				p.keys.includes(forNoor.key)
			)
		);
		setMeetingCheckIn(tablet.doc, forNoor.key, { name: 'Noor', value: 4 }, 'local');
		await eventually(async () =>
			checkinsMap(await currentBoardDoc(w.meeting.id, rt.runtime)).has(forNoor.key)
		);
		const closed = nextClose(tablet);

		expect(await removeByForm(asUser(w.mentor), w.meeting.id, w.noor.id)).toBe(200);
		await expectLinkDead(w, forNoor, tablet, closed);
		// Sem's own link is untouched and still his.
		expect(await actorOf(forSem.token)).not.toBeNull();
		expect(await speaksFor(w, forSem.key)).toBe(`student:${w.sem.id}`);
	});

	it('erasing the first child’s file does the same for her child link', async () => {
		const w = await world();
		const forNoor = await childLink(w);
		const tablet = connect(w.meeting.id, forNoor.token);
		await eventually(() => tablet.provider.synced);
		const closed = nextClose(tablet);

		await eraseStudentData(rt.runtime, w.school.id, w.noor.id, asUser(w.admin));
		await expectLinkDead(w, forNoor, tablet, closed);
	});

	it('taking the second child off revokes only his link; the first child’s stays hers', async () => {
		const w = await world();
		const forNoor = await childLink(w);
		const forSem = await childLink(w, w.sem.id);
		const tablet = connect(w.meeting.id, forSem.token);
		await eventually(() => tablet.provider.synced);
		const closed = nextClose(tablet);

		expect(await removeByForm(asUser(w.mentor), w.meeting.id, w.sem.id)).toBe(200);
		await expectLinkDead(w, forSem, tablet, closed);
		expect(await actorOf(forNoor.token)).not.toBeNull();
		expect(await speaksFor(w, forNoor.key)).toBe(`student:${w.noor.id}`);
	});

	/** Migration 0010 as the server applies it, statement by statement, on this database. */
	async function migrate0010() {
		const text = readFileSync('drizzle/0010_child_link_fits.sql', 'utf8');
		for (const statement of text.split('--> statement-breakpoint')) {
			await rt.database.db.execute(sql.raw(statement));
		}
	}

	/** The link opens nothing (the page and the sync server ask the same policy). */
	async function expectShut(w: World, link: { token: string }) {
		const actor = (await actorOf(link.token))!;
		expect(await boardRole(w.db, actor, w.meeting.id)).toBeNull();
		expect(
			await upgradeStatus(app.url, `/sync/${w.meeting.id}`, {
				cookie: `groeibord_session=${link.token}`
			})
		).not.toBe(101);
	}

	async function expectRevoked(w: World, link: { inviteId: string; token: string }) {
		const [invite] = await w.db.select().from(boardInvite).where(eq(boardInvite.id, link.inviteId));
		expect(invite!.revokedAt).not.toBeNull();
		expect(await actorOf(link.token)).toBeNull();
	}

	it('a child link bound to no child opens no meeting about a child (never as its first child), and 0010 revokes it', async () => {
		const w = await world();
		const forSem = await childLink(w, w.sem.id);
		const unbound = await childLink(w, w.sem.id);
		// A row with no child (what no code path makes any more; 0009 bound the old ones).
		await w.db
			.update(boardInvite)
			.set({ studentId: null })
			.where(eq(boardInvite.id, unbound.inviteId));
		expect(await actorOf(unbound.token)).not.toBeNull();
		await expectShut(w, unbound);
		expect(await speaksFor(w, unbound.key)).toBeNull();

		await migrate0010();
		await expectRevoked(w, unbound);
		// A link that fits is left alone.
		expect(await boardRole(w.db, (await actorOf(forSem.token))!, w.meeting.id)).toBe('child');
	});

	it('a child link whose child left the meeting without it being revoked opens nothing, and 0010 revokes it', async () => {
		const w = await world();
		const forNoor = await childLink(w);
		const forSem = await childLink(w, w.sem.id);
		// Sem taken off while his link was being made: its row committed after the revocation ran.
		await w.db
			.delete(boardStudent)
			.where(and(eq(boardStudent.boardId, w.meeting.id), eq(boardStudent.studentId, w.sem.id)));
		await expectShut(w, forSem);
		expect(await speaksFor(w, forSem.key)).toBeNull();

		await migrate0010();
		await expectRevoked(w, forSem);
		expect(await boardRole(w.db, (await actorOf(forNoor.token))!, w.meeting.id)).toBe('child');
	});

	it('a child link on a team board (about no child) still opens it', async () => {
		const w = await world();
		const team = await makeTeam(w.db, w.school.id, [w.mentor.id]);
		const teamBoard = await makeBoard(w.db, w.school.id, {
			kind: 'verbeterbord',
			teamId: team.id,
			members: [[w.mentor.id, 'owner']]
		});
		const { token } = await createBoardInvite(
			w.db,
			teamBoard.id,
			{ role: 'child', expiresHours: 24, singleUse: false, label: '' },
			w.mentor.id
		);
		const joined = await joinWithInvite(w.db, token, 'Klas', new Date(), joinLabelsFor('child')[0]);
		if (!joined.ok) throw new Error(joined.reason);
		await migrate0010();
		const actor = (await actorOf(joined.session.token))!;
		expect(await boardRole(w.db, actor, teamBoard.id)).toBe('child');
	});
});
