/**
 * Creating boards from the UI (issue 10): staff on their teams, a mentor (or an admin) on a
 * student's conversations; the mentor owns those and may invite to them. Through the real
 * route modules (load functions and form actions), on PGlite and PostgreSQL. Who gets what per
 * role over HTTP is also in access-matrix.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { addCard } from '../../src/lib/board/verbeterbord';
import type { Actor } from '../../src/lib/server/auth/actor';
import { boardRole, mayCreateBoard } from '../../src/lib/server/auth/permissions';
import { createBoard } from '../../src/lib/server/board-create';
import { appendUpdates } from '../../src/lib/server/board-store';
import {
	board,
	boardMember,
	boardRecord,
	student,
	team,
	type Board
} from '../../src/lib/server/db/schema';
import * as boardsPage from '../../src/routes/boards/+page.server';
import * as boardPage from '../../src/routes/boards/[boardId=id]/+page.server';
import * as sharePage from '../../src/routes/boards/[boardId=id]/share/+page.server';
import * as studentPage from '../../src/routes/students/[studentId=id]/+page.server';
import * as studentsPage from '../../src/routes/students/+page.server';
import { drivers } from '../helpers/db';
import {
	asUser,
	fakeSession,
	makeBoard,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser
} from '../helpers/factories';
import { getRuntime } from '../../src/lib/server/runtime';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/** What a browser would see: a status, where it is sent, the action's data. */
interface Answer {
	status: number;
	location?: string;
	data?: Record<string, unknown>;
}

type Handler = (event: never) => unknown;

async function run(
	handler: Handler,
	actor: Actor | null,
	params: Record<string, string>,
	form?: Record<string, string>
): Promise<Answer> {
	const request = form
		? new Request('http://localhost/', { method: 'POST', body: new URLSearchParams(form) })
		: new Request('http://localhost/');
	const event = { locals: { actor }, params, request, url: new URL('http://localhost/') };
	try {
		const result = (await handler(event as never)) as Record<string, unknown> | undefined;
		// fail() hands back an ActionFailure: its status and data.
		if (result && typeof result.status === 'number' && 'data' in result) {
			return { status: result.status, data: result.data as Record<string, unknown> };
		}
		return { status: 200, data: result };
	} catch (e) {
		const thrown = e as { status?: number; location?: string };
		if (typeof thrown.status !== 'number') throw e;
		return { status: thrown.status, location: thrown.location };
	}
}

const createAction = boardsPage.actions.create as Handler;
const conversationAction = studentPage.actions.conversation as Handler;

describe.each(drivers)('creating boards (%s)', (driver) => {
	let rt: TestRuntime;
	let schoolId: string;
	let teamId: string;
	let otherTeamId: string;
	let ownStudentId: string;
	let theirStudentId: string;
	let foreignStudentId: string;
	let foreignTeamId: string;
	let admin: Actor & { kind: 'user' };
	let mentor: Actor & { kind: 'user' };
	let colleague: Actor & { kind: 'user' };
	let wall: Actor;

	const db = () => rt.database.db;
	const boardCount = async () => (await db().select({ n: count() }).from(board))[0]!.n;
	const loadBoardRow = async (id: string) =>
		(await db().select().from(board).where(eq(board.id, id)))[0] as Board;
	const createdId = (answer: Answer) => {
		expect(answer.status).toBe(303);
		const match = /^\/boards\/([a-z2-9]+)$/.exec(answer.location ?? '');
		expect(match, answer.location).not.toBeNull();
		return match![1]!;
	};

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const d = db();
		const school = await makeSchool(d);
		schoolId = school.id;
		const ib = await makeUser(d, schoolId, { role: 'admin', name: 'Ilse IB' });
		const m = await makeUser(d, schoolId, { name: 'Mentor' });
		const c = await makeUser(d, schoolId, { name: 'Collega' });
		teamId = (await makeTeam(d, schoolId, [m.id, c.id])).id;
		otherTeamId = (await makeTeam(d, schoolId, [c.id])).id;
		await d.update(team).set({ name: 'Groep 7' }).where(eq(team.id, teamId));
		ownStudentId = (await makeStudent(d, schoolId, { teamId, mentorId: m.id })).id;
		theirStudentId = (await makeStudent(d, schoolId, { teamId, mentorId: c.id })).id;
		const schoolB = await makeSchool(d, 'School B');
		foreignTeamId = (await makeTeam(d, schoolB.id)).id;
		foreignStudentId = (await makeStudent(d, schoolB.id, { teamId: foreignTeamId })).id;
		admin = asUser(ib);
		mentor = asUser(m);
		colleague = asUser(c);
		wall = {
			kind: 'device',
			session: fakeSession,
			schoolId,
			teamId,
			wallPairingId: 'pairingfake22222'
		};
	});
	afterAll(async () => {
		await rt?.close();
	});

	it('a mentor starts a zorgoverleg and a driehoeksgesprek for their own student, owns both and invites a parent', async () => {
		const page = { studentId: ownStudentId };
		const before = await run(studentPage.load as Handler, mentor, page);
		expect(before.data).toMatchObject({
			conversations: [],
			startable: ['zorgoverleg', 'driehoeksgesprek']
		});

		const zorgId = createdId(
			await run(conversationAction, mentor, page, { kind: 'zorgoverleg', title: 'genegeerd' })
		);
		const talkId = createdId(
			await run(conversationAction, mentor, page, { kind: 'driehoeksgesprek' })
		);
		const zorg = await loadBoardRow(zorgId);
		expect(zorg).toMatchObject({
			schoolId,
			kind: 'zorgoverleg',
			studentId: ownStudentId,
			teamId,
			title: 'Zorgoverleg Kim Test',
			createdById: mentor.user.id
		});
		expect((await loadBoardRow(talkId)).title).toBe('Driehoeksgesprek Kim Test');
		const members = await db().select().from(boardMember).where(eq(boardMember.boardId, zorgId));
		expect(members.map((m) => [m.userId, m.role])).toEqual([[mentor.user.id, 'owner']]);

		// One the care coordinator started: the mentor owns it all the same (not by creating it).
		const byIbId = createdId(await run(conversationAction, admin, page, { kind: 'zorgoverleg' }));
		expect(await db().select().from(boardMember).where(eq(boardMember.boardId, byIbId))).toEqual([
			expect.objectContaining({ userId: admin.user.id, role: 'owner' })
		]);

		// The mentor owns the child's conversations: the share page opens and makes a parent link.
		for (const id of [zorgId, talkId, byIbId]) {
			expect(await boardRole(db(), mentor, id)).toBe('owner');
			const share = await run(sharePage.load as Handler, mentor, { boardId: id });
			expect(share).toMatchObject({ status: 200, data: { guests: true } });
			const invite = await run(
				sharePage.actions.createInvite as Handler,
				mentor,
				{ boardId: id },
				{ role: 'parent', expiresHours: '24', label: 'ouders van Kim' }
			);
			expect(invite.status).toBe(200);
			expect(invite.data).toMatchObject({ created: { role: 'parent' } });
		}

		// Listed on the student's page, newest first, with the date of the last record.
		await db()
			.insert(boardRecord)
			.values({ boardId: zorgId, kind: 'session_record', data: {}, createdAt: new Date() });
		const after = await run(studentPage.load as Handler, mentor, page);
		const listed = after.data!.conversations as Array<Record<string, unknown>>;
		expect(listed.map((c) => c.id)).toEqual([byIbId, talkId, zorgId]);
		expect(listed[0]!.lastRecordAt).toBeNull();
		expect(typeof listed[2]!.lastRecordAt).toBe('string');

		// A colleague of the team sees the student but none of the conversations, nor shares them.
		const theirView = await run(studentPage.load as Handler, colleague, page);
		expect(theirView.data).toMatchObject({ conversations: [], startable: [] });
		expect((await run(sharePage.load as Handler, colleague, { boardId: zorgId })).status).toBe(404);
	});

	it("the mentor cannot start one for another mentor's student (403) nor for another school's (404); nothing is stored", async () => {
		const before = await boardCount();
		const theirs = await run(
			conversationAction,
			mentor,
			{ studentId: theirStudentId },
			{ kind: 'zorgoverleg' }
		);
		expect(theirs).toMatchObject({ status: 403, data: { conversationError: 'forbidden' } });
		const foreign = await run(
			conversationAction,
			mentor,
			{ studentId: foreignStudentId },
			{ kind: 'zorgoverleg' }
		);
		expect(foreign.status).toBe(404);
		// The module itself, given the foreign id directly: not found in this school.
		for (const actor of [mentor, admin]) {
			expect(
				await createBoard(db(), actor, { kind: 'driehoeksgesprek', studentId: foreignStudentId })
			).toEqual({ ok: false, status: 404 });
		}
		expect(await boardCount()).toBe(before);
		// The care coordinator (an admin) may start one for any student of the school.
		createdId(
			await run(conversationAction, admin, { studentId: theirStudentId }, { kind: 'zorgoverleg' })
		);
		expect(await boardCount()).toBe(before + 1);
	});

	it('a team member creates a verbeterbord for their team, not for another team', async () => {
		const listing = await run(boardsPage.load as Handler, mentor, {});
		expect(listing.data!.create).toEqual({
			kinds: ['verbeterbord', 'zorgbord', 'klassenbord', 'voortgangsbord'],
			teams: [{ id: teamId, name: 'Groep 7' }]
		});
		const id = createdId(
			await run(createAction, mentor, {}, { kind: 'verbeterbord', teamId, title: '  ' })
		);
		expect(await loadBoardRow(id)).toMatchObject({
			kind: 'verbeterbord',
			teamId,
			studentId: null,
			title: 'Verbeterbord Groep 7'
		});
		expect(await boardRole(db(), mentor, id)).toBe('owner');
		// Its team colleague edits it (team board), but only the creator shares it.
		expect(await boardRole(db(), colleague, id)).toBe('editor');
		const named = createdId(
			await run(createAction, mentor, {}, { kind: 'zorgbord', teamId, title: ' Zorgen 7b ' })
		);
		expect((await loadBoardRow(named)).title).toBe('Zorgen 7b');

		const before = await boardCount();
		const refused = await run(
			createAction,
			mentor,
			{},
			{ kind: 'verbeterbord', teamId: otherTeamId }
		);
		expect(refused).toMatchObject({ status: 403, data: { problem: 'forbidden' } });
		const foreign = await run(
			createAction,
			admin,
			{},
			{ kind: 'verbeterbord', teamId: foreignTeamId }
		);
		expect(foreign.status).toBe(404);
		// An archived team gets no new boards, not even from an admin.
		await db().update(team).set({ archivedAt: new Date() }).where(eq(team.id, otherTeamId));
		const archived = await run(
			createAction,
			admin,
			{},
			{ kind: 'verbeterbord', teamId: otherTeamId }
		);
		expect(archived.status).toBe(403);
		await db().update(team).set({ archivedAt: null }).where(eq(team.id, otherTeamId));
		expect(await boardCount()).toBe(before);
	});

	it('an empty verbeterbord opens with its intro; with a card it does not', async () => {
		const id = createdId(await run(createAction, mentor, {}, { kind: 'verbeterbord', teamId }));
		const open = async () =>
			(await run(boardPage.load as Handler, mentor, { boardId: id })).data!.intro;
		expect(await open()).toBe(true);
		const doc = new Y.Doc();
		addCard(doc, { type: 'successes', title: 'Iedereen op tijd' });
		await appendUpdates(db(), id, [Y.encodeStateAsUpdate(doc)]);
		expect(await open()).toBe(false);
		// A card that is only in the open room (not stored yet, as a moment after it was added):
		// a reload does not bring the intro back above it.
		const second = createdId(await run(createAction, mentor, {}, { kind: 'verbeterbord', teamId }));
		const live = new Y.Doc();
		addCard(live, { type: 'ideas', title: 'Nog niet opgeslagen' });
		const runtime = getRuntime();
		const before = runtime.openBoards;
		runtime.openBoards = {
			get: async (boardId) =>
				boardId === second ? { doc: live, destroyed: false, flush: async () => {} } : null
		};
		try {
			expect((await run(boardPage.load as Handler, mentor, { boardId: second })).data!.intro).toBe(
				false
			);
		} finally {
			runtime.openBoards = before;
		}
		expect((await run(boardPage.load as Handler, mentor, { boardId: second })).data!.intro).toBe(
			true
		);
		// A progress wall has no intro, even when new.
		const wallId = createdId(
			await run(createAction, mentor, {}, { kind: 'voortgangsbord', teamId })
		);
		expect((await run(boardPage.load as Handler, mentor, { boardId: wallId })).data!.intro).toBe(
			false
		);
	});

	it('a guest and a wall cannot create a board', async () => {
		const conversation = await makeBoard(db(), schoolId, {
			teamId,
			kind: 'zorgoverleg',
			studentId: ownStudentId
		});
		const guest: Actor = {
			kind: 'guest',
			session: fakeSession,
			schoolId,
			boardId: conversation.id,
			role: 'parent',
			displayName: 'Ouder'
		};
		const [kim] = await db().select().from(student).where(eq(student.id, ownStudentId));
		const before = await boardCount();
		for (const actor of [guest, wall]) {
			expect(await mayCreateBoard(db(), actor, { kind: 'zorgoverleg', student: kim! })).toBe(false);
			expect(await createBoard(db(), actor, { kind: 'verbeterbord', teamId })).toEqual({
				ok: false,
				status: 403
			});
			expect(
				await createBoard(db(), actor, { kind: 'zorgoverleg', studentId: ownStudentId })
			).toEqual({ ok: false, status: 403 });
			const form = { kind: 'verbeterbord', teamId };
			expect((await run(createAction, actor, {}, form)).status).toBe(404);
			const talk = { kind: 'zorgoverleg' };
			const params = { studentId: ownStudentId };
			expect((await run(conversationAction, actor, params, talk)).status).toBe(404);
		}
		expect((await run(createAction, null, {}, { kind: 'verbeterbord', teamId })).location).toBe(
			'/login'
		);
		expect(await boardCount()).toBe(before);
	});

	it('bad input is a 400 with field errors, and stores nothing', async () => {
		const before = await boardCount();
		const cases: Array<[Record<string, string>, string]> = [
			[{ kind: 'leerlingbespreking', teamId }, 'kind'],
			[{ kind: 'iets', teamId }, 'kind'],
			[{ teamId }, 'kind'],
			[{ kind: 'verbeterbord' }, 'teamId'],
			[{ kind: 'verbeterbord', teamId: '' }, 'teamId'],
			[{ kind: 'verbeterbord', teamId: 'x'.repeat(41) }, 'teamId'],
			[{ kind: 'verbeterbord', teamId, title: 'x'.repeat(121) }, 'title'],
			// A conversation is started on the student's page, never from the team form.
			[{ kind: 'zorgoverleg', teamId }, 'studentId']
		];
		for (const [form, field] of cases) {
			const answer = await run(createAction, mentor, {}, form);
			expect(answer.status, JSON.stringify(form)).toBe(400);
			expect(Object.keys(answer.data!.errors as object), JSON.stringify(form)).toEqual([field]);
		}
		expect(
			(
				await run(
					createAction,
					mentor,
					{},
					{ kind: 'verbeterbord', teamId, title: 'x'.repeat(120) }
				)
			).status
		).toBe(303);
		const odd = await run(
			conversationAction,
			mentor,
			{ studentId: ownStudentId },
			{ kind: 'verbeterbord' }
		);
		expect(odd).toMatchObject({ status: 400, data: { conversationError: 'invalid' } });
		expect(await boardCount()).toBe(before + 1);
	});

	it('Mijn leerlingen: the mentor sees their own students first, then their teams', async () => {
		const extra = await makeStudent(db(), schoolId, { teamId: otherTeamId });
		const { data } = await run(studentsPage.load as Handler, mentor, {});
		const groups = data!.groups as Array<{ teamName: string | null; students: { id: string }[] }>;
		expect(groups.map((g) => [g.teamName, g.students.map((s) => s.id)])).toEqual([
			[null, [ownStudentId]],
			['Groep 7', [theirStudentId]]
		]);
		// The admin sees every student of the school, never another school's: their own mentee,
		// then per team (one group per team, even two of the same name), then those without one.
		const mentee = await makeStudent(db(), schoolId, { mentorId: admin.user.id });
		const loose = await makeStudent(db(), schoolId);
		const all = (await run(studentsPage.load as Handler, admin, {})).data!.groups as Array<
			(typeof groups)[number] & { key: string }
		>;
		// (Both students of Groep 7 are called Kim Test: their order is not the point.)
		expect(all.map((g) => [g.key, g.teamName, g.students.map((s) => s.id).sort()])).toEqual([
			['mine', null, [mentee.id]],
			[teamId, 'Groep 7', [ownStudentId, theirStudentId].sort()],
			[otherTeamId, 'Team', [extra.id]],
			['', '', [loose.id]]
		]);
		expect((await run(studentsPage.load as Handler, wall, {})).status).toBe(404);
	});
});
