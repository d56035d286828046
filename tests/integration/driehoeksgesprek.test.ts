/**
 * The three-way talk on real servers and real databases: a new talk is held against the team's
 * criteria; the sync guard takes each person's view in their own perspective and refuses forged
 * ones; ending the talk keeps the record, an assessment per view and the agreed goals in one
 * transaction, once; the summary and the family part show a parent nothing the student kept
 * for school.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../server/app';
import { CloseCode } from '../../server/protocol';
import { defaultLeerhouding } from '../../src/lib/board/criteria';
import {
	addEvidence,
	addGoalAction,
	agreeGoal,
	listViews,
	setView,
	talkEndedAt,
	type TalkRecordData
} from '../../src/lib/board/driehoeksgesprek';
import { addWish } from '../../src/lib/board/zorgoverleg';
import type { Actor } from '../../src/lib/server/auth/actor';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import { createBoard } from '../../src/lib/server/board-create';
import {
	assessment,
	board as boardTable,
	boardRecord,
	criteriaSet,
	criteriaSetVersion,
	studentGoal
} from '../../src/lib/server/db/schema';
import { endThreeWayTalk } from '../../src/lib/server/driehoeksgesprek';
import { POST } from '../../src/routes/boards/[boardId=id]/records/+server';
import { load as summaryLoad } from '../../src/routes/boards/[boardId=id]/summary/[recordId]/+page.server';
import { drivers } from '../helpers/db';
import { connectRecording, entriesOf, familyPartOf, storageContains } from '../helpers/family';
import {
	asUser,
	fakeSession,
	guestToken,
	loginToken,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser,
	testPolicy
} from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { connectClient, eventually, syncOf, type TestClient } from '../helpers/sync-client';

const ORIGIN = 'http://school.test';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEvent = any;

function closeCodeOf(client: TestClient): Promise<number> {
	return new Promise((resolve) => {
		client.provider.on('connection-close', (event) => resolve(event?.code ?? -1));
	});
}

async function end(actor: Actor, boardId: string, body: unknown = {}) {
	const url = new URL(`${ORIGIN}/boards/${boardId}/records`);
	const request = new Request(url, {
		method: 'POST',
		headers: { origin: ORIGIN, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	try {
		const response = await POST({
			locals: { actor },
			params: { boardId },
			url,
			request
		} as AnyEvent);
		return { status: response.status, body: await response.json().catch(() => ({})) };
	} catch (error) {
		return { status: (error as { status?: number }).status ?? 500, body: {} };
	}
}

async function summaryAs(actor: Actor, boardId: string, recordId: number) {
	const data = (await summaryLoad({
		locals: { actor },
		params: { boardId, recordId: String(recordId) }
	} as AnyEvent)) as { talk: { data: TalkRecordData } | null };
	return data.talk!.data;
}

describe.each(drivers)('driehoeksgesprek (%s)', (driver) => {
	let rt: TestRuntime;
	let app: AppServer;
	const clients: { destroy(): void }[] = [];

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

	async function actorOf(token: string): Promise<Actor> {
		const actor = await validateSessionToken(rt.database.db, token, testPolicy);
		if (!actor) throw new Error('no actor');
		return actor;
	}

	/** A talk created the way the student's page creates it, with a child and a parent invited. */
	async function talk() {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const mentor = await makeUser(db, school.id, { name: 'Mehmet Yilmaz' });
		const t = await makeTeam(db, school.id, [mentor.id]);
		const pupil = await makeStudent(db, school.id, { mentorId: mentor.id, teamId: t.id });
		const created = await createBoard(db, asUser(mentor), {
			kind: 'driehoeksgesprek',
			studentId: pupil.id
		});
		if (!created.ok) throw new Error('create failed');
		const [board] = await db.select().from(boardTable).where(eq(boardTable.id, created.id));
		const mentorToken = await loginToken(db, mentor);
		const child = await guestToken(db, board!.id, 'child', mentor.id, 'Kim');
		const parent = await guestToken(db, board!.id, 'parent', mentor.id, 'Sanne', 'parent');
		const room = async () => (await syncOf(app).rooms.get(board!.id))!;
		return { school, mentor, team: t, pupil, board: board!, mentorToken, child, parent, room };
	}

	it('a new talk is held against the team’s criteria: the Dutch default made once, then reused', async () => {
		const db = rt.database.db;
		const { board, school, team, mentor, pupil } = await talk();
		expect(board.criteriaVersionId).toBeTruthy();
		const [version] = await db
			.select({ content: criteriaSetVersion.content, teamId: criteriaSet.teamId })
			.from(criteriaSetVersion)
			.innerJoin(criteriaSet, eq(criteriaSet.id, criteriaSetVersion.setId))
			.where(eq(criteriaSetVersion.id, board.criteriaVersionId!));
		expect(version).toEqual({ content: defaultLeerhouding.content, teamId: team.id });
		const again = await createBoard(db, asUser(mentor), {
			kind: 'driehoeksgesprek',
			studentId: pupil.id
		});
		const [second] = await db
			.select({ v: boardTable.criteriaVersionId })
			.from(boardTable)
			.where(eq(boardTable.id, again.ok ? again.id : ''));
		expect(second!.v).toBe(board.criteriaVersionId);
		const sets = await db.select().from(criteriaSet).where(eq(criteriaSet.schoolId, school.id));
		expect(sets).toHaveLength(1);
		// A care meeting has no criteria.
		const care = await createBoard(db, asUser(mentor), {
			kind: 'zorgoverleg',
			studentId: pupil.id
		});
		const [careRow] = await db
			.select({ v: boardTable.criteriaVersionId })
			.from(boardTable)
			.where(eq(boardTable.id, care.ok ? care.id : ''));
		expect(careRow!.v).toBeNull();
	});

	it('the guard takes each view in its author’s perspective and refuses a forged one or a level not in the version', async () => {
		const { board, child, parent, room } = await talk();
		const kid = connect(board.id, child.token);
		const mum = connect(board.id, parent.token);
		await eventually(() => kid.provider.synced && mum.provider.synced);

		const kidAuthor = { createdBy: child.actorKey, createdByName: 'Kim' };
		const mumAuthor = { createdBy: parent.actorKey, createdByName: 'Sanne' };
		setView(
			kid.doc,
			{ criterion: 'plannen', level: 'soms', visibility: 'family' },
			'student',
			'local',
			kidAuthor
		);
		// The parent's phone is on the family part: the home view reaches the board.
		setView(mum.doc, { criterion: 'plannen', level: 'zelf' }, 'parent', 'local', mumAuthor);
		await eventually(async () => listViews((await room()).doc).length === 2);
		expect(
			listViews((await room()).doc)
				.map((v) => [v.perspective, v.createdBy])
				.sort()
		).toEqual(
			[
				['parent', parent.actorKey],
				['student', child.actorKey]
			].sort()
		);

		// The parent passes the home view off as the student's: refused, closed, not kept.
		const closed = closeCodeOf(mum);
		setView(mum.doc, { criterion: 'feedback', level: 'zelf' }, 'student', 'local', mumAuthor);
		expect(await closed).toBe(CloseCode.invalidUpdate);

		// A level that is not in the board's criteria version: refused.
		const again = connect(board.id, child.token);
		await eventually(() => again.provider.synced);
		const refused = closeCodeOf(again);
		setView(
			again.doc,
			{ criterion: 'hulp-vragen', level: 'expert' },
			'student',
			'local',
			kidAuthor
		);
		expect(await refused).toBe(CloseCode.invalidUpdate);
		await new Promise((r) => setTimeout(r, 100));
		expect(listViews((await room()).doc)).toHaveLength(2);
	});

	it('ending the talk keeps the record, an assessment per view and the agreed goals, in one transaction and once', async () => {
		const db = rt.database.db;
		const { board, pupil, mentor, mentorToken, child, parent, room } = await talk();
		const kid = connect(board.id, child.token);
		const staff = connect(board.id, mentorToken);
		await eventually(() => kid.provider.synced && staff.provider.synced);
		const kidAuthor = { createdBy: child.actorKey, createdByName: 'Kim' };
		const mentorAuthor = { createdBy: mentor.id, createdByName: 'Mehmet Yilmaz' };
		const wish = addWish(
			kid.doc,
			{ title: 'Ik wil beter plannen', visibility: 'family' },
			'local',
			{
				...kidAuthor,
				byChild: true
			}
		);
		setView(
			kid.doc,
			{ criterion: 'plannen', level: 'soms', note: 'met een lijstje' },
			'student',
			'local',
			kidAuthor
		);
		setView(staff.doc, { criterion: 'plannen', level: 'zelf' }, 'mentor', 'local', mentorAuthor);
		await eventually(async () => (await room()).doc.getMap('cards').size === 3);
		await eventually(() => staff.doc.getMap('cards').size === 3);
		const goal = agreeGoal(
			staff.doc,
			{
				title: 'Ik wil beter plannen',
				fromCard: wish.ok ? wish.value : '',
				targetDate: '2027-02-01'
			},
			'local',
			mentorAuthor
		);
		addGoalAction(
			staff.doc,
			goal.ok ? goal.value : '',
			{ title: 'Elke maandag plannen', who: 'Kim', due: '2027-01-11' },
			'local',
			mentorAuthor
		);
		await eventually(async () => (await room()).doc.getMap('cards').size === 5);

		// Guests never end it.
		for (const guest of [child, parent]) {
			expect((await end(await actorOf(guest.token), board.id)).status).toBe(403);
		}
		// A failing write (here: a student that does not exist) keeps nothing and leaves the talk open.
		await expect(
			endThreeWayTalk({ ...board, studentId: 'nosuchstudent' }, await actorOf(mentorToken))
		).rejects.toThrow();
		expect(await db.select().from(boardRecord).where(eq(boardRecord.boardId, board.id))).toEqual(
			[]
		);
		expect(talkEndedAt((await room()).doc)).toBe('');

		const mentorActor = await actorOf(mentorToken);
		expect((await end(mentorActor, board.id, { startedAt: 'x' })).status).toBe(400);
		const [a, b] = await Promise.all([end(mentorActor, board.id), end(mentorActor, board.id)]);
		expect([a.status, b.status].sort()).toEqual([200, 201]);
		expect(a.body.id).toBe(b.body.id);
		expect((await end(mentorActor, board.id)).body.id).toBe(a.body.id);

		const records = await db.select().from(boardRecord).where(eq(boardRecord.boardId, board.id));
		expect(records).toHaveLength(1);
		const rows = await db
			.select()
			.from(assessment)
			.where(and(eq(assessment.boardId, board.id), eq(assessment.studentId, pupil.id)));
		expect(
			rows.map((r) => [r.perspective, r.criterionId, r.levelId, r.note, r.authorUserId]).sort()
		).toEqual(
			[
				['mentor', 'plannen', 'zelf', '', mentor.id],
				['student', 'plannen', 'soms', 'met een lijstje', null]
			].sort()
		);
		expect(rows.every((r) => r.versionId === board.criteriaVersionId)).toBe(true);
		const goals = await db.select().from(studentGoal).where(eq(studentGoal.boardId, board.id));
		expect(goals).toHaveLength(1);
		expect(goals[0]).toMatchObject({
			studentId: pupil.id,
			text: 'Ik wil beter plannen',
			dueDate: '2027-02-01',
			writtenBy: 'student',
			actions: [{ what: 'Elke maandag plannen', who: 'Kim', due: '2027-01-11' }]
		});
		expect(goals[0]!.agreedAt).toBeInstanceOf(Date);
		// The talk is closed on the board, for everyone.
		await eventually(() => talkEndedAt(kid.doc) !== '');
	});

	it('evidence on a success criterion: the guard takes one of the version and refuses another; the record keeps the link', async () => {
		const { board, mentor, child, room } = await talk();
		const kid = connect(board.id, child.token);
		await eventually(() => kid.provider.synced);
		const kidAuthor = { createdBy: child.actorKey, createdByName: 'Kim' };
		addEvidence(kid.doc, { title: 'Mijn planbord', criterion: 'plannen' }, 'local', kidAuthor);
		await eventually(async () => (await room()).doc.getMap('cards').size === 1);

		// A criterion the talk's version does not hold: refused, closed, not kept.
		const again = connect(board.id, child.token);
		await eventually(() => again.provider.synced);
		const refused = closeCodeOf(again);
		addEvidence(again.doc, { title: 'Verzonnen', criterion: 'rekenen' }, 'local', kidAuthor);
		expect(await refused).toBe(CloseCode.invalidUpdate);
		await new Promise((r) => setTimeout(r, 100));
		expect((await room()).doc.getMap('cards').size).toBe(1);

		const ended = await endThreeWayTalk(board, asUser(mentor));
		expect(ended).toMatchObject({ status: 'ended' });
		const [row] = await rt.database.db
			.select({ data: boardRecord.data })
			.from(boardRecord)
			.where(eq(boardRecord.boardId, board.id));
		expect((row!.data as TalkRecordData).evidence).toEqual([
			expect.objectContaining({ title: 'Mijn planbord', criterion: 'plannen' })
		]);
	});

	it('a parent’s summary and phone never hold what the student kept for school; the student reads all', async () => {
		const db = rt.database.db;
		const { board, school, pupil, mentor, mentorToken, child, parent, room } = await talk();
		const kid = connect(board.id, child.token);
		await eventually(() => kid.provider.synced);
		const kidAuthor = { createdBy: child.actorKey, createdByName: 'Kim' };
		addWish(kid.doc, { title: 'Geheim schooldoel', visibility: 'care' }, 'local', {
			...kidAuthor,
			byChild: true
		});
		addWish(kid.doc, { title: 'Samen lezen', visibility: 'family' }, 'local', {
			...kidAuthor,
			byChild: true
		});
		setView(
			kid.doc,
			{ criterion: 'feedback', level: 'begin', note: 'Verborgen uitleg', visibility: 'care' },
			'student',
			'local',
			kidAuthor
		);
		addEvidence(kid.doc, { title: 'Verborgen werkstuk', visibility: 'care' }, 'local', kidAuthor);
		await eventually(async () => (await room()).doc.getMap('cards').size === 4);

		const mum = connectRecording(app.url, board.id, parent.token);
		clients.push(mum);
		await eventually(() => mum.provider.synced && mum.doc.getMap('cards').size === 1);
		const part = await familyPartOf(db, board.id);
		expect(part).not.toBeNull();
		const partRoom = (await syncOf(app).rooms.get(part!))!;
		expect(entriesOf(partRoom.doc)).toEqual(entriesOf((await room()).doc, { family: true }));
		for (const hidden of ['Geheim schooldoel', 'Verborgen uitleg', 'Verborgen werkstuk']) {
			expect(mum.received(hidden)).toBe(false);
			expect(await storageContains(db, part!, hidden)).toBe(false);
		}

		const ended = await end(await actorOf(mentorToken), board.id);
		const recordId = ended.body.id as number;
		const family = await summaryAs(await actorOf(parent.token), board.id, recordId);
		expect(family.goals.map((g) => g.title)).toEqual(['Samen lezen']);
		expect(family.views).toEqual([]);
		expect(family.evidence).toEqual([]);
		const staff = await summaryAs(await actorOf(mentorToken), board.id, recordId);
		expect(staff.goals.map((g) => g.title)).toEqual(['Geheim schooldoel', 'Samen lezen']);
		// The student through their own link reads their own words, all of them.
		const student: Actor = {
			kind: 'student',
			session: fakeSession,
			schoolId: school.id,
			studentId: pupil.id,
			displayName: pupil.firstName
		};
		const own = await summaryAs(student, board.id, recordId);
		expect(own.views.map((v) => v.note)).toEqual(['Verborgen uitleg']);
		expect(own.evidence.map((e) => e.title)).toEqual(['Verborgen werkstuk']);
		void mentor;
	});
});
