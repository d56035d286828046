/**
 * What a student adds through their own link outside a talk reaches their open three-way talk
 * live (talk-feed.ts), on real databases and a real sync server: a self-evaluation on the growth
 * page becomes their view in the talk, a photo of work their evidence card, both kept for school
 * until the student shows them at home; removed evidence leaves the talk. An ended talk and
 * another student's talk get nothing, and the growth fingerprint the live pages poll moves with
 * every change.
 */
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../server/app';
import { listViews } from '../../src/lib/board/driehoeksgesprek';
import { listCards } from '../../src/lib/board/verbeterbord';
import type { Actor } from '../../src/lib/server/auth/actor';
import { createBoard } from '../../src/lib/server/board-create';
import { currentBoardDoc } from '../../src/lib/server/board-edit';
import {
	board as boardTable,
	criteriaSetVersion,
	type Student
} from '../../src/lib/server/db/schema';
import { endThreeWayTalk } from '../../src/lib/server/driehoeksgesprek';
import { addEvidence, growthStamp, recordLevel, removeEvidence } from '../../src/lib/server/growth';
import { recordConsent } from '../../src/lib/server/photos/consent';
import { drivers } from '../helpers/db';
import {
	asUser,
	fakeSession,
	guestToken,
	loginToken,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser
} from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { connectClient, eventually, type TestClient } from '../helpers/sync-client';

const studentActor = (s: Student): Extract<Actor, { kind: 'student' }> => ({
	kind: 'student',
	session: fakeSession,
	schoolId: s.schoolId,
	studentId: s.id,
	displayName: 'Kim'
});

const png = () =>
	sharp({ create: { width: 300, height: 200, channels: 3, background: '#2e86de' } })
		.png()
		.toBuffer()
		.then((b) => new Uint8Array(b));

const evidenceCards = (doc: Y.Doc) => listCards(doc, 'evidence');

describe.each(drivers)('a student’s additions reach their open talk (%s)', (driver) => {
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

	async function school() {
		const db = rt.database.db;
		const s = await makeSchool(db);
		const mentor = await makeUser(db, s.id, { name: 'Mehmet Yilmaz' });
		const t = await makeTeam(db, s.id, [mentor.id]);
		const pupil = await makeStudent(db, s.id, { mentorId: mentor.id, teamId: t.id });
		const other = await makeStudent(db, s.id, { mentorId: mentor.id, teamId: t.id });
		const talkOf = async (who: Student) => {
			const created = await createBoard(db, asUser(mentor), {
				kind: 'driehoeksgesprek',
				studentId: who.id
			});
			if (!created.ok) throw new Error('create failed');
			const [b] = await db.select().from(boardTable).where(eq(boardTable.id, created.id));
			return b!;
		};
		return { mentor, pupil, other, talkOf, mentorToken: await loginToken(db, mentor) };
	}

	it('a self-evaluation and a photo from the student’s link appear live in the open talk, kept for school; removing the evidence takes it out', async () => {
		const db = rt.database.db;
		const { mentor, pupil, other, talkOf, mentorToken } = await school();
		const talk = await talkOf(pupil);
		const ended = await talkOf(pupil);
		const othersTalk = await talkOf(other);
		expect((await endThreeWayTalk(ended, asUser(mentor))).status).toBe('ended');
		const [version] = await db
			.select({ setId: criteriaSetVersion.setId })
			.from(criteriaSetVersion)
			.where(eq(criteriaSetVersion.id, talk.criteriaVersionId!));
		const setId = version!.setId;

		const laptop = connect(talk.id, mentorToken);
		const parent = await guestToken(db, talk.id, 'parent', mentor.id, 'Sanne', 'parent');
		const home = connect(talk.id, parent.token);
		await eventually(() => laptop.provider.synced && home.provider.synced);

		const kim = studentActor(pupil);
		const before = await growthStamp(db, pupil.schoolId, pupil.id);
		expect(
			await recordLevel(
				db,
				kim,
				pupil,
				{ setId, criterionId: 'plannen', levelId: 'soms', note: 'Met mijn agenda' },
				'2026-12-07'
			)
		).toEqual({ ok: true });
		await eventually(() => listViews(laptop.doc).length === 1);
		const afterLevel = await growthStamp(db, pupil.schoolId, pupil.id);
		expect(afterLevel).not.toBe(before);
		expect(
			listViews(laptop.doc).map((v) => ({
				criterion: v.criterion,
				level: v.level,
				note: v.note,
				perspective: v.perspective,
				visibility: v.visibility,
				createdBy: v.createdBy,
				createdByName: v.createdByName
			}))
		).toEqual([
			{
				criterion: 'plannen',
				level: 'soms',
				note: 'Met mijn agenda',
				perspective: 'student',
				visibility: 'care',
				createdBy: `student:${pupil.id}`,
				createdByName: 'Kim'
			}
		]);

		// A second evaluation of the same criterion changes that one view in place.
		await recordLevel(
			db,
			kim,
			pupil,
			{ setId, criterionId: 'plannen', levelId: 'zelf', note: '' },
			'2026-12-07'
		);
		await eventually(() => listViews(laptop.doc)[0]?.level === 'zelf');
		expect(listViews(laptop.doc)).toHaveLength(1);

		await recordConsent(db, asUser(mentor), pupil, 'given');
		const added = await addEvidence(db, kim, pupil, {
			text: 'Mijn planning van deze week',
			outsideSchool: false,
			criterion: null,
			photo: await png()
		});
		if (!added.ok) throw new Error(added.error);
		await eventually(() => evidenceCards(laptop.doc).length === 1);
		const [card] = evidenceCards(laptop.doc);
		expect(card).toMatchObject({
			title: 'Mijn planning van deze week',
			evidenceId: added.id,
			visibility: 'care',
			createdBy: `student:${pupil.id}`
		});
		expect(card!.type === 'evidence' && card!.mediaId).toBeTruthy();
		expect(await growthStamp(db, pupil.schoolId, pupil.id)).not.toBe(afterLevel);

		// Kept for school: the parent's phone (the family part) holds neither.
		expect(listViews(home.doc)).toEqual([]);
		expect(evidenceCards(home.doc)).toEqual([]);

		// The ended talk and the other student's talk got nothing.
		for (const b of [ended, othersTalk]) {
			const doc = await currentBoardDoc(b.id, rt.runtime);
			expect(listViews(doc)).toEqual([]);
			expect(evidenceCards(doc)).toEqual([]);
			doc.destroy();
		}

		expect(await removeEvidence(db, kim, pupil, added.id)).toBe('removed');
		await eventually(() => evidenceCards(laptop.doc).length === 0);
		expect(listViews(laptop.doc)).toHaveLength(1);
	});

	it('a talk nobody has open gets the self-evaluation in its stored document', async () => {
		const db = rt.database.db;
		const { pupil, talkOf } = await school();
		const talk = await talkOf(pupil);
		const [version] = await db
			.select({ setId: criteriaSetVersion.setId })
			.from(criteriaSetVersion)
			.where(eq(criteriaSetVersion.id, talk.criteriaVersionId!));
		await recordLevel(
			db,
			studentActor(pupil),
			pupil,
			{ setId: version!.setId, criterionId: 'feedback', levelId: 'soms', note: '' },
			'2026-12-07'
		);
		const doc = await currentBoardDoc(talk.id, rt.runtime);
		expect(listViews(doc).map((v) => [v.criterion, v.level, v.perspective])).toEqual([
			['feedback', 'soms', 'student']
		]);
		doc.destroy();
	});

	it('evidence the student adds on a criterion lands on that criterion in the open talk', async () => {
		const db = rt.database.db;
		const { pupil, talkOf } = await school();
		const talk = await talkOf(pupil);
		const [version] = await db
			.select({ setId: criteriaSetVersion.setId })
			.from(criteriaSetVersion)
			.where(eq(criteriaSetVersion.id, talk.criteriaVersionId!));
		const added = await addEvidence(db, studentActor(pupil), pupil, {
			text: 'Mijn feedbacklijstje',
			outsideSchool: false,
			criterion: { setId: version!.setId, criterionId: 'feedback' },
			photo: null
		});
		if (!added.ok) throw new Error(added.error);
		const doc = await currentBoardDoc(talk.id, rt.runtime);
		expect(evidenceCards(doc).map((c) => [c.title, c.type === 'evidence' && c.criterion])).toEqual([
			['Mijn feedbacklijstje', 'feedback']
		]);
		doc.destroy();
	});
});
