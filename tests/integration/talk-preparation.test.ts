/**
 * Who is at a three-way talk and what the mentor brings, on real databases and a real sync
 * server: the board page hands the mentor exactly the stagnation questions of the student's
 * criteria (criterionSignals), as questions with their reason and no score, and nothing of them
 * to the parent, the student or a wall at the same talk; a parent joins as ouder, verzorger or
 * anders, once however many devices, and every open device gets the list live.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../server/app';
import { listParticipants } from '../../src/lib/board/participants';
import { createBoardInvite, joinWithInvite } from '../../src/lib/server/access/sharing';
import { schoolDay } from '../../src/lib/board/growth-timeline';
import type { Actor } from '../../src/lib/server/auth/actor';
import { boardRole } from '../../src/lib/server/auth/permissions';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import { createBoard } from '../../src/lib/server/board-create';
import { board as boardTable, type Student } from '../../src/lib/server/db/schema';
import { capabilitiesOf, type BoardRole } from '../../src/lib/board/capabilities';
import { endThreeWayTalk } from '../../src/lib/server/driehoeksgesprek';
import { talkPreparation } from '../../src/lib/server/growth-page';
import { loadGrowthTimeline, openableTalks } from '../../src/lib/server/growth-timeline';
import { recordAssessments } from '../../src/lib/server/growth';
import { drivers } from '../helpers/db';
import {
	asUser,
	fakeSession,
	guestToken,
	makeSchool,
	makeStudent,
	makeTeam,
	loginToken,
	makeUser,
	testPolicy
} from '../helpers/factories';
import { connectClient, eventually, type TestClient } from '../helpers/sync-client';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const daysAgo = (n: number) => schoolDay(new Date(Date.now() - n * 24 * 3600 * 1000));

describe.each(drivers)('the mentor’s preparation of a talk (%s)', (driver) => {
	let rt: TestRuntime;
	let app: AppServer;
	const clients: TestClient[] = [];

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		app = await startAppServer(rt.runtime, undefined, { port: 0, host: '127.0.0.1' });
	});
	afterAll(async () => {
		for (const c of clients.splice(0)) c.destroy();
		await app?.close();
		await rt?.close();
	});

	function connect(boardId: string, token: string) {
		const client = connectClient(app.url, boardId, token);
		clients.push(client);
		return client;
	}

	it('shows the mentor exactly the stagnating criterion, and the parent, the student and the wall none', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const mentor = await makeUser(db, school.id, { name: 'Mehmet Yilmaz' });
		const t = await makeTeam(db, school.id, [mentor.id]);
		const pupil: Student = await makeStudent(db, school.id, { mentorId: mentor.id, teamId: t.id });
		const created = await createBoard(db, asUser(mentor), {
			kind: 'driehoeksgesprek',
			studentId: pupil.id
		});
		if (!created.ok) throw new Error('create failed');
		const [talk] = await db.select().from(boardTable).where(eq(boardTable.id, created.id));
		const versionId = talk!.criteriaVersionId!;
		const view = (
			criterionId: string,
			levelId: string,
			perspective: 'student' | 'mentor',
			on: string
		) => ({
			schoolId: school.id,
			studentId: pupil.id,
			versionId,
			criterionId,
			levelId,
			perspective,
			authorName: perspective === 'mentor' ? mentor.name : 'Kim',
			authorUserId: perspective === 'mentor' ? mentor.id : null,
			assessedOn: on
		});
		await db.transaction((tx) =>
			recordAssessments(tx, [
				// Stagnating: ten weeks at "soms", and the mentor looked again and saw no step.
				view('plannen', 'soms', 'student', daysAgo(70)),
				view('plannen', 'soms', 'mentor', daysAgo(20)),
				// Growing: a step ten days ago.
				view('feedback', 'begin', 'student', daysAgo(70)),
				view('feedback', 'zelf', 'student', daysAgo(10)),
				// Looked at once, long ago: a question of attention, not of growth.
				view('hulp-vragen', 'soms', 'mentor', daysAgo(70))
			])
		);

		/** What the board page hands this reader, from their role on the talk. */
		const preparationOf = async (actor: Actor, role?: BoardRole | null) => {
			const r = role === undefined ? await boardRole(db, actor, talk!) : role;
			const perspective = capabilitiesOf(r, 'driehoeksgesprek').perspective;
			return talkPreparation(db, talk!, actor, perspective);
		};
		const preparation = await preparationOf(asUser(mentor) as Actor);
		expect(preparation).toEqual({
			studentName: 'Kim',
			signals: [
				{
					setId: expect.any(String),
					setName: expect.any(String),
					criterionId: 'plannen',
					title: 'Ik plan mijn werk',
					since: daysAgo(70),
					perspectives: ['mentor'],
					views: 2,
					levelLabel: 'Ik plan soms zelf'
				}
			]
		});
		// A question and its reason, never a number.
		expect(JSON.stringify(preparation)).not.toMatch(/score|percent|grade/i);

		const parent = await guestToken(db, talk!.id, 'parent', mentor.id, 'Sanne', 'parent');
		const parentActor = await validateSessionToken(db, parent.token, testPolicy);
		const student: Actor = {
			kind: 'student',
			session: fakeSession,
			schoolId: school.id,
			studentId: pupil.id,
			displayName: 'Kim'
		};
		for (const actor of [parentActor!, student]) {
			expect(await boardRole(db, actor, talk!)).not.toBeNull();
			expect(await preparationOf(actor)).toBeNull();
		}
		// A wall at the talk (a shared screen) gets the mentor's role but not the questions.
		const wall: Actor = {
			kind: 'device',
			session: fakeSession,
			schoolId: school.id,
			teamId: t.id,
			wallPairingId: 'pairingfake22222'
		};
		expect(capabilitiesOf('editor', 'driehoeksgesprek').perspective).toBe('mentor');
		expect(await preparationOf(wall, 'editor')).toBeNull();
	});

	it('a parent joins a talk as ouder, verzorger or anders, is one person on two devices, and appears live', async () => {
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
		const link = await createBoardInvite(
			db,
			created.id,
			{ role: 'parent', expiresHours: 24, singleUse: false, label: '' },
			mentor.id
		);
		// A role is chosen, and only one a parent link allows.
		for (const label of [undefined, 'youth_care']) {
			expect(await joinWithInvite(db, link.token, 'Oma Ria', new Date(), label)).toEqual({
				ok: false,
				reason: 'label'
			});
		}
		const laptop = connect(created.id, await loginToken(db, mentor));
		await eventually(() => laptop.provider.synced);
		const phone = await joinWithInvite(db, link.token, 'Oma Ria', new Date(), 'other');
		const tablet = await joinWithInvite(db, link.token, 'oma ria ', new Date(), 'other');
		if (!phone.ok || !tablet.ok) throw new Error('join failed');
		connect(created.id, phone.session.token);
		connect(created.id, tablet.session.token);
		await eventually(
			() => listParticipants(laptop.doc).find((p) => p.label === 'other')?.keys.length === 2
		);
		const ria = listParticipants(laptop.doc).filter(
			(p) => p.name.trim().toLowerCase() === 'oma ria'
		);
		expect(ria.map((p) => [p.label, p.keys])).toEqual([
			['other', [phone.session.session.id, tablet.session.session.id]]
		]);
	});

	it('a talk in the timeline links only for readers who may open its board: the mentor, not a colleague', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const mentor = await makeUser(db, school.id, { name: 'Mehmet Yilmaz' });
		const colleague = await makeUser(db, school.id, { name: 'Daan de Vries' });
		const t = await makeTeam(db, school.id, [mentor.id, colleague.id]);
		const pupil = await makeStudent(db, school.id, { mentorId: mentor.id, teamId: t.id });
		const created = await createBoard(db, asUser(mentor), {
			kind: 'driehoeksgesprek',
			studentId: pupil.id
		});
		if (!created.ok) throw new Error('create failed');
		const [talk] = await db.select().from(boardTable).where(eq(boardTable.id, created.id));
		expect((await endThreeWayTalk(talk!, asUser(mentor))).status).toBe('ended');
		const { timeline } = await loadGrowthTimeline(db, pupil);
		// The mentor's list holds the talk: it is a point of the timeline.
		expect(await openableTalks(db, asUser(mentor) as Actor, timeline)).toEqual([talk!.id]);
		expect(await boardRole(db, asUser(colleague) as Actor, talk!)).toBeNull();
		expect(await openableTalks(db, asUser(colleague) as Actor, timeline)).toEqual([]);
	});
});
