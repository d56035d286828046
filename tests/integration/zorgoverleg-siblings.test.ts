/**
 * One care meeting for several children of one family, on real servers and real databases:
 * who may add a sibling (and who gets 403/404), each child's own link and the family's parent
 * link on the shared board (another family's parent link: nothing), each child writing only in
 * their own column over a real socket, the family part holding both children's family cards
 * and never a `care` one, and export and erasure of one child leaving the sibling's words.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../server/app';
import { CloseCode } from '../../server/protocol';
import { listParticipants } from '../../src/lib/board/participants';
import { listCards } from '../../src/lib/board/verbeterbord';
import {
	addWish,
	childrenOf,
	meetingRecordData,
	setMeetingCheckIn,
	startMeeting
} from '../../src/lib/board/zorgoverleg';
import type { Actor } from '../../src/lib/server/auth/actor';
import { boardRole, canSeeStudent } from '../../src/lib/server/auth/permissions';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import { createStudentLink, redeemStudentLink } from '../../src/lib/server/auth/student-link';
import { currentBoardDoc, editBoardDoc } from '../../src/lib/server/board-edit';
import { listConversationsFor } from '../../src/lib/server/boards';
import {
	auditLog,
	board as boardTable,
	boardRecord,
	boardSnapshot,
	boardStudent,
	boardUpdate,
	student as studentTable
} from '../../src/lib/server/db/schema';
import { eraseCard, eraseStudentData } from '../../src/lib/server/privacy/erase';
import { exportStudent } from '../../src/lib/server/privacy/export';
import { addSibling, endCareMeeting } from '../../src/lib/server/zorgoverleg';
import {
	actions as boardActions,
	load as boardLoad
} from '../../src/routes/boards/[boardId=id]/+page.server';
import { load as summaryLoad } from '../../src/routes/boards/[boardId=id]/summary/[recordId]/+page.server';
import { drivers } from '../helpers/db';
import {
	asUser,
	guestToken,
	makeBoard,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser,
	testPolicy
} from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { connectClient, eventually, type TestClient } from '../helpers/sync-client';
import { tablesContaining } from '../helpers/byte-search';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEvent = any;

describe.each(drivers)('a care meeting for several children (%s)', (driver) => {
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

	const actorOf = async (token: string) =>
		(await validateSessionToken(rt.database.db, token, testPolicy)) as Actor;

	async function named(id: string, firstName: string) {
		await rt.database.db.update(studentTable).set({ firstName }).where(eq(studentTable.id, id));
	}

	/** Noor and Sem (one mentor), Lisa of another family and mentor, and a second school. */
	async function world() {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const admin = await makeUser(db, school.id, { role: 'admin' });
		const mentor = await makeUser(db, school.id, { name: 'Mentor Mo' });
		const lisaMentor = await makeUser(db, school.id, { name: 'Mentor Li' });
		const colleague = await makeUser(db, school.id);
		const team = await makeTeam(db, school.id, [mentor.id, colleague.id, lisaMentor.id]);
		const noor = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const sem = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const lisa = await makeStudent(db, school.id, { teamId: team.id, mentorId: lisaMentor.id });
		await named(noor.id, 'Noor');
		await named(sem.id, 'Sem');
		await named(lisa.id, 'Lisa');
		const meeting = await makeBoard(db, school.id, {
			kind: 'zorgoverleg',
			studentId: noor.id,
			members: [[mentor.id, 'owner']]
		});
		const lisaMeeting = await makeBoard(db, school.id, {
			kind: 'zorgoverleg',
			studentId: lisa.id,
			members: [[lisaMentor.id, 'owner']]
		});
		const schoolB = await makeSchool(db, 'School B');
		const pupilB = await makeStudent(db, schoolB.id);
		return {
			db,
			school,
			admin,
			mentor,
			lisaMentor,
			colleague,
			noor,
			sem,
			lisa,
			meeting,
			lisaMeeting,
			pupilB
		};
	}

	async function studentSession(w: Awaited<ReturnType<typeof world>>, s: { id: string }) {
		const pupil = (await w.db.select().from(studentTable).where(eq(studentTable.id, s.id)))[0]!;
		const { token } = await createStudentLink(w.db, asUser(w.mentor), pupil);
		const redeemed = await redeemStudentLink(w.db, token);
		if (!redeemed.ok) throw new Error('redeem failed');
		return { token: redeemed.session.token, key: `student:${s.id}` };
	}

	async function addByForm(actor: Actor, boardId: string, studentId: string) {
		return byForm('addSibling', actor, boardId, studentId);
	}

	async function byForm(
		action: 'addSibling' | 'removeSibling',
		actor: Actor,
		boardId: string,
		studentId: string
	) {
		const body = new FormData();
		body.set('studentId', studentId);
		const request = new Request(`http://school.test/boards/${boardId}?/${action}`, {
			method: 'POST',
			body
		});
		try {
			const result = await boardActions[action]!({
				locals: { actor },
				params: { boardId },
				request
			} as AnyEvent);
			return (result as { status?: number })?.status ?? 200;
		} catch (error) {
			return (error as { status?: number }).status ?? 500;
		}
	}

	it('the mentor of both children adds the sibling: a second child on the board, its own link opens it, its page lists it', async () => {
		const w = await world();
		const mentor = asUser(w.mentor);
		expect(await addSibling(w.db, mentor, w.meeting, { studentId: w.sem.id })).toEqual({
			ok: true,
			studentId: w.sem.id
		});
		const doc = await currentBoardDoc(w.meeting.id, rt.runtime);
		expect(childrenOf(doc)).toEqual([w.noor.id, w.sem.id]);
		expect(
			listParticipants(doc)
				.filter((p) => p.label === 'child')
				.map((p) => p.name)
		).toEqual(['Noor', 'Sem']);
		const semLink = await studentSession(w, w.sem);
		expect(await boardRole(w.db, await actorOf(semLink.token), w.meeting)).toBe('child');
		expect((await listConversationsFor(w.db, mentor, w.sem)).map((b) => b.id)).toEqual([
			w.meeting.id
		]);
		const audits = await w.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'board.sibling_add'), eq(auditLog.studentId, w.sem.id)));
		expect(audits.map((a) => a.subjectId)).toEqual([w.meeting.id]);
		// Twice is not a second column.
		expect(await addSibling(w.db, mentor, w.meeting, { studentId: w.sem.id })).toEqual({
			ok: false,
			status: 403
		});
	});

	it('a sibling added by someone not allowed: 403 for the school’s own, 404 for another school’s or nobody’s id, 400 for no id', async () => {
		const w = await world();
		// The colleague works in the team but does not own the meeting.
		expect(await addSibling(w.db, asUser(w.colleague), w.meeting, { studentId: w.sem.id })).toEqual(
			{ ok: false, status: 403 }
		);
		// The owner may not put on a child they may not start conversations for (Lisa's mentor may).
		expect(await addSibling(w.db, asUser(w.mentor), w.meeting, { studentId: w.lisa.id })).toEqual({
			ok: false,
			status: 403
		});
		expect(await addSibling(w.db, asUser(w.mentor), w.meeting, { studentId: w.pupilB.id })).toEqual(
			{ ok: false, status: 404 }
		);
		expect(await addSibling(w.db, asUser(w.mentor), w.meeting, { studentId: '' })).toMatchObject({
			status: 400
		});
		// Through the form: a staff member who cannot open the meeting gets its 404.
		expect(await addByForm(asUser(w.lisaMentor), w.meeting.id, w.lisa.id)).toBe(404);
		expect(await addByForm(asUser(w.mentor), w.meeting.id, w.pupilB.id)).toBe(404);
		expect(await addByForm(asUser(w.colleague), w.meeting.id, w.sem.id)).toBe(404);
		expect(await addByForm(asUser(w.mentor), w.meeting.id, '')).toBe(400);
		// Nothing was added; an admin may add Lisa.
		expect(
			await w.db.select().from(boardStudent).where(eq(boardStudent.boardId, w.meeting.id))
		).toEqual([]);
		expect(await addByForm(asUser(w.admin), w.meeting.id, w.lisa.id)).toBe(200);
	});

	it('the family’s parent link opens the shared board and both children; another family’s parent link opens neither', async () => {
		const w = await world();
		await addSibling(w.db, asUser(w.mentor), w.meeting, { studentId: w.sem.id });
		const parent = await actorOf(
			(await guestToken(w.db, w.meeting.id, 'parent', w.mentor.id, 'Sanne')).token
		);
		const lisaParent = await actorOf(
			(await guestToken(w.db, w.lisaMeeting.id, 'parent', w.lisaMentor.id, 'Els')).token
		);
		expect(await boardRole(w.db, parent, w.meeting)).toBe('parent');
		expect(await canSeeStudent(w.db, parent, w.sem)).toBe(true);
		expect(await canSeeStudent(w.db, parent, w.noor)).toBe(true);
		expect(await canSeeStudent(w.db, parent, w.lisa)).toBe(false);
		expect(await boardRole(w.db, lisaParent, w.meeting)).toBeNull();
		expect(await canSeeStudent(w.db, lisaParent, w.sem)).toBe(false);
		// Lisa's own link opens nothing of this family either.
		const lisaLink = await studentSession(w, w.lisa);
		expect(await boardRole(w.db, await actorOf(lisaLink.token), w.meeting)).toBeNull();
		// When the sibling is 16+ and chose that parents see nothing, the shared meeting (which
		// holds that sibling's words too) opens nothing for the parent link.
		await w.db
			.update(studentTable)
			.set({ birthDate: '2008-01-15', familyShare: 'none' })
			.where(eq(studentTable.id, w.sem.id));
		expect(await boardRole(w.db, parent, w.meeting)).toBeNull();
	});

	it('over the socket each child writes in their own column only; the parent’s family part holds both children’s family cards and no care card', async () => {
		const w = await world();
		await addSibling(w.db, asUser(w.mentor), w.meeting, { studentId: w.sem.id });
		const noorLink = await studentSession(w, w.noor);
		const semLink = await studentSession(w, w.sem);
		const parent = await guestToken(w.db, w.meeting.id, 'parent', w.mentor.id, 'Sanne');
		const noor = connect(w.meeting.id, noorLink.token);
		const sem = connect(w.meeting.id, semLink.token);
		const mum = connect(w.meeting.id, parent.token);
		await eventually(() => noor.provider.synced && sem.provider.synced && mum.provider.synced);
		await eventually(() => childrenOf(sem.doc).length === 2);

		startMeeting(noor.doc, 'local');
		const as = (key: string) => ({ createdBy: key, createdByName: 'x', byChild: true });
		addWish(noor.doc, { title: 'Noor thuis', visibility: 'family' }, 'local', as(noorLink.key));
		addWish(noor.doc, { title: 'Noor zorg', visibility: 'care' }, 'local', as(noorLink.key));
		addWish(
			sem.doc,
			{ title: 'Sem thuis', visibility: 'family', child: w.sem.id },
			'local',
			as(semLink.key)
		);
		await eventually(() => listCards(mum.doc, 'wishes').length === 2);
		expect(
			listCards(mum.doc, 'wishes')
				.map((c) => c.title)
				.sort()
		).toEqual(['Noor thuis', 'Sem thuis']);

		// Sem writing in Noor's column is refused and closed; the room never holds it.
		const closed = new Promise<number>((resolve) =>
			sem.provider.on('connection-close', (event) => resolve(event?.code ?? -1))
		);
		addWish(
			sem.doc,
			{ title: 'Namens Noor', visibility: 'family', child: w.noor.id },
			'local',
			as(semLink.key)
		);
		expect(await closed).toBe(CloseCode.invalidUpdate);
		const stored = await currentBoardDoc(w.meeting.id, rt.runtime);
		expect(
			listCards(stored, 'wishes')
				.map((c) => c.title)
				.sort()
		).toEqual(['Noor thuis', 'Noor zorg', 'Sem thuis']);
		expect(JSON.stringify(mum.doc.toJSON())).not.toContain('Noor zorg');
	});

	/** A held meeting with both children's words, ended into a record by the mentor. */
	async function heldMeeting(w: Awaited<ReturnType<typeof world>>) {
		await addSibling(w.db, asUser(w.mentor), w.meeting, { studentId: w.sem.id });
		let startedAt = '';
		await editBoardDoc(
			w.meeting.id,
			(doc) => {
				startMeeting(doc);
				startedAt = doc.getMap('session').get('startedAt') as string;
				const as = (id: string) => ({
					createdBy: `student:${id}`,
					createdByName: 'x',
					byChild: true
				});
				addWish(doc, { title: 'NOOR-eigen-woorden' }, null, as(w.noor.id));
				addWish(doc, { title: 'SEM-eigen-woorden', child: w.sem.id }, null, as(w.sem.id));
			},
			{},
			rt.runtime
		);
		const ended = await endCareMeeting(w.meeting, asUser(w.mentor), { startedAt });
		expect(ended).toMatchObject({ status: 'ended' });
		// And the words again on the live board, for the next meeting.
		await editBoardDoc(
			w.meeting.id,
			(doc) => {
				const as = (id: string) => ({
					createdBy: `student:${id}`,
					createdByName: 'x',
					byChild: true
				});
				addWish(doc, { title: 'NOOR-live' }, null, as(w.noor.id));
				addWish(doc, { title: 'SEM-live', child: w.sem.id }, null, as(w.sem.id));
			},
			{},
			rt.runtime
		);
	}

	/**
	 * After the first child (Noor) left a held meeting: Sem is its first child and only child,
	 * with his words of both times, and nothing of Noor's is in its document, its stored history
	 * (snapshot and update log) or its records. Other tests' boards hold the same words.
	 */
	async function expectFirstChildGone(w: Awaited<ReturnType<typeof world>>) {
		const [row] = await w.db.select().from(boardTable).where(eq(boardTable.id, w.meeting.id));
		expect(row?.studentId).toBe(w.sem.id);
		expect(
			await w.db.select().from(boardStudent).where(eq(boardStudent.boardId, w.meeting.id))
		).toEqual([]);
		const doc = await currentBoardDoc(w.meeting.id, rt.runtime);
		// The meeting's cards stay on the board after it ended: the sibling's words of both times.
		expect(
			listCards(doc, 'wishes')
				.map((c) => c.title)
				.sort()
		).toEqual(['SEM-eigen-woorden', 'SEM-live']);
		expect(childrenOf(doc)).toEqual([w.sem.id]);
		const stored = [
			...(await w.db
				.select({ data: boardUpdate.data })
				.from(boardUpdate)
				.where(eq(boardUpdate.boardId, w.meeting.id))),
			...(await w.db
				.select({ data: boardSnapshot.data })
				.from(boardSnapshot)
				.where(eq(boardSnapshot.boardId, w.meeting.id)))
		];
		expect(stored.length).toBeGreaterThan(0);
		expect(stored.some((r) => Buffer.from(r.data).includes('NOOR-'))).toBe(false);
		const records = await w.db
			.select()
			.from(boardRecord)
			.where(eq(boardRecord.boardId, w.meeting.id));
		const words = records.flatMap((r) => meetingRecordData.parse(r.data).words.map((x) => x.title));
		expect(words).toEqual(['SEM-eigen-woorden']);
		expect(JSON.stringify(records)).not.toContain('NOOR');
	}

	it('the export of one child holds their own words on the shared meeting and not the sibling’s', async () => {
		const w = await world();
		await heldMeeting(w);
		const ofSem = JSON.stringify(
			await exportStudent(rt.runtime, w.school.id, w.sem.id, asUser(w.admin))
		);
		expect(ofSem).toContain('SEM-eigen-woorden');
		expect(ofSem).toContain('SEM-live');
		expect(ofSem).not.toContain('NOOR-eigen-woorden');
		expect(ofSem).not.toContain('NOOR-live');
		const ofNoor = JSON.stringify(
			await exportStudent(rt.runtime, w.school.id, w.noor.id, asUser(w.admin))
		);
		expect(ofNoor).toContain('NOOR-eigen-woorden');
		expect(ofNoor).toContain('NOOR-live');
		expect(ofNoor).not.toContain('SEM-eigen-woorden');
		expect(ofNoor).not.toContain('SEM-live');
	});

	it('every audit row of the shared meeting names each child: the sibling’s export holds who read, shared and joined it', async () => {
		const w = await world();
		await heldMeeting(w);
		const mentor = asUser(w.mentor);
		const [held] = await w.db
			.select({ id: boardRecord.id })
			.from(boardRecord)
			.where(eq(boardRecord.boardId, w.meeting.id));
		await boardLoad({ locals: { actor: mentor }, params: { boardId: w.meeting.id } } as AnyEvent);
		await summaryLoad({
			locals: { actor: mentor },
			params: { boardId: w.meeting.id, recordId: String(held!.id) }
		} as AnyEvent);
		await guestToken(w.db, w.meeting.id, 'parent', w.mentor.id, 'Sanne');
		const actions = ['board.view', 'board.record.view', 'guest.invite', 'guest.join'];
		for (const [name, child] of [
			['Noor', w.noor],
			['Sem', w.sem]
		] as const) {
			const exported = await exportStudent(rt.runtime, w.school.id, child.id, asUser(w.admin));
			const about = exported!.auditEntries.filter((e) => actions.includes(e.action));
			expect(about.map((e) => e.action).sort(), name).toEqual([...actions].sort());
		}
		// Putting Sem on the meeting is in Noor's file too (her meeting now holds his words).
		const added = await w.db
			.select({ studentId: auditLog.studentId })
			.from(auditLog)
			.where(and(eq(auditLog.action, 'board.sibling_add'), eq(auditLog.subjectId, w.meeting.id)));
		expect(added.map((a) => a.studentId).sort()).toEqual([w.noor.id, w.sem.id].sort());
		// Lisa, of another family, is named by none of them.
		const lisa = await exportStudent(rt.runtime, w.school.id, w.lisa.id, asUser(w.admin));
		expect(lisa!.auditEntries.filter((e) => e.subjectId === w.meeting.id)).toEqual([]);
	});

	it('erasing the first child keeps the meeting for the sibling: the sibling’s words stay, the first child’s go everywhere', async () => {
		const w = await world();
		await heldMeeting(w);
		await eraseStudentData(rt.runtime, w.school.id, w.noor.id, asUser(w.admin));
		await expectFirstChildGone(w);
		// Sem's page still lists the meeting.
		expect((await listConversationsFor(w.db, asUser(w.mentor), w.sem)).map((b) => b.id)).toEqual([
			w.meeting.id
		]);
	});

	it('erasing the sibling takes only the sibling off the meeting', async () => {
		const w = await world();
		await heldMeeting(w);
		await eraseStudentData(rt.runtime, w.school.id, w.sem.id, asUser(w.admin));
		const [row] = await w.db.select().from(boardTable).where(eq(boardTable.id, w.meeting.id));
		expect(row?.studentId).toBe(w.noor.id);
		const doc = await currentBoardDoc(w.meeting.id, rt.runtime);
		expect(
			listCards(doc, 'wishes')
				.map((c) => c.title)
				.sort()
		).toEqual(['NOOR-eigen-woorden', 'NOOR-live']);
		expect(childrenOf(doc)).toEqual([w.noor.id]);
		const records = await w.db
			.select()
			.from(boardRecord)
			.where(eq(boardRecord.boardId, w.meeting.id));
		expect(JSON.stringify(records)).toContain('NOOR-eigen-woorden');
		expect(JSON.stringify(records)).not.toContain('SEM');
	});

	/**
	 * A meeting held for Noor and Sem, each with own words for the family and a check-in, ended
	 * into a record; then own words on the live board again. Sem's words carry `marker`.
	 */
	async function familyMeeting(w: Awaited<ReturnType<typeof world>>, marker: string) {
		await addSibling(w.db, asUser(w.mentor), w.meeting, { studentId: w.sem.id });
		const as = (id: string) => ({ createdBy: `student:${id}`, createdByName: 'x', byChild: true });
		let startedAt = '';
		await editBoardDoc(
			w.meeting.id,
			(doc) => {
				startMeeting(doc);
				startedAt = doc.getMap('session').get('startedAt') as string;
				addWish(doc, { title: 'NOOR-blijft', visibility: 'family' }, null, as(w.noor.id));
				addWish(
					doc,
					{ title: `${marker}-record`, visibility: 'family', child: w.sem.id },
					null,
					as(w.sem.id)
				);
				setMeetingCheckIn(doc, `student:${w.noor.id}`, { name: 'Noor', value: 4 });
				setMeetingCheckIn(doc, `student:${w.sem.id}`, { name: 'Sem', value: 2 });
			},
			{},
			rt.runtime
		);
		expect(await endCareMeeting(w.meeting, asUser(w.mentor), { startedAt })).toMatchObject({
			status: 'ended'
		});
		await editBoardDoc(
			w.meeting.id,
			(doc) => {
				addWish(
					doc,
					{ title: `${marker}-live`, visibility: 'family', child: w.sem.id },
					null,
					as(w.sem.id)
				);
			},
			{},
			rt.runtime
		);
		expect(await tablesContaining(w.db, marker)).not.toEqual([]);
	}

	it('the sibling’s mentor takes the sibling off: their words, check-in and face leave the board, its history and records; the meeting stays for the first child; audited about both', async () => {
		const w = await world();
		await familyMeeting(w, 'SEMWEG-7c1');
		const semLink = await studentSession(w, w.sem);
		expect(await byForm('removeSibling', asUser(w.mentor), w.meeting.id, w.sem.id)).toBe(200);

		const [row] = await w.db.select().from(boardTable).where(eq(boardTable.id, w.meeting.id));
		expect(row?.studentId).toBe(w.noor.id);
		expect(
			await w.db.select().from(boardStudent).where(eq(boardStudent.boardId, w.meeting.id))
		).toEqual([]);
		const doc = await currentBoardDoc(w.meeting.id, rt.runtime);
		expect(listCards(doc, 'wishes').map((c) => c.title)).toEqual(['NOOR-blijft']);
		expect(childrenOf(doc)).toEqual([w.noor.id]);
		expect(listParticipants(doc).some((p) => p.key === `student:${w.sem.id}`)).toBe(false);
		// Out of the snapshot, the update log, the family part and the record.
		expect(await tablesContaining(w.db, 'SEMWEG-7c1')).toEqual([]);
		const [record] = await w.db
			.select()
			.from(boardRecord)
			.where(eq(boardRecord.boardId, w.meeting.id));
		const data = meetingRecordData.parse(record!.data);
		expect(data.words.map((x) => x.title)).toEqual(['NOOR-blijft']);
		expect(data.checkins.map((c) => c.name)).toEqual(['Noor']);
		// Sem's own link no longer opens it, and his page no longer lists it.
		expect(await boardRole(w.db, await actorOf(semLink.token), row!)).toBeNull();
		expect(await listConversationsFor(w.db, asUser(w.mentor), w.sem)).toEqual([]);
		const audits = await w.db
			.select()
			.from(auditLog)
			.where(
				and(eq(auditLog.action, 'board.sibling_remove'), eq(auditLog.subjectId, w.meeting.id))
			);
		expect(audits.map((a) => a.studentId).sort()).toEqual([w.noor.id, w.sem.id].sort());
		expect(audits.every((a) => a.actorId === w.mentor.id)).toBe(true);
	});

	it('taking the first child off makes the next child the first, and keeps the next child’s words', async () => {
		const w = await world();
		await heldMeeting(w);
		expect(await byForm('removeSibling', asUser(w.mentor), w.meeting.id, w.noor.id)).toBe(200);
		await expectFirstChildGone(w);
		// Noor's file is not erased: she is still a student, only off this meeting.
		expect(
			await w.db.select().from(studentTable).where(eq(studentTable.id, w.noor.id))
		).toHaveLength(1);
	});

	it('taking a sibling off by someone not allowed: 403 for those on the meeting, 404 for another school’s id or a board they cannot open, 400 for no id; nothing changes', async () => {
		const w = await world();
		await heldMeeting(w);
		// Lisa joins too (an admin may put her on), so her mentor owns the meeting as well.
		expect(await addByForm(asUser(w.admin), w.meeting.id, w.lisa.id)).toBe(200);
		const parent = await actorOf(
			(await guestToken(w.db, w.meeting.id, 'parent', w.mentor.id, 'Sanne')).token
		);
		const semLink = await actorOf((await studentSession(w, w.sem)).token);
		const remove = (actor: Actor, id: string) => byForm('removeSibling', actor, w.meeting.id, id);
		// The owner who is not Lisa's mentor; Lisa's mentor for Noor; the family; Sem himself.
		expect(await remove(asUser(w.mentor), w.lisa.id)).toBe(403);
		expect(await remove(asUser(w.lisaMentor), w.noor.id)).toBe(403);
		expect(await remove(parent, w.sem.id)).toBe(403);
		expect(await remove(semLink, w.sem.id)).toBe(403);
		// A student not on the board, another school's, nobody's; and a colleague who cannot open it.
		const other = await makeStudent(w.db, w.school.id, { mentorId: w.mentor.id });
		expect(await remove(asUser(w.mentor), other.id)).toBe(403);
		expect(await remove(asUser(w.mentor), w.pupilB.id)).toBe(404);
		expect(await remove(asUser(w.mentor), 'nobody2222222222')).toBe(404);
		expect(await remove(asUser(w.colleague), w.sem.id)).toBe(404);
		expect(await remove(asUser(w.mentor), '')).toBe(400);
		expect(await remove(asUser(w.mentor), 'x'.repeat(41))).toBe(400);
		expect(
			(await w.db.select().from(boardStudent).where(eq(boardStudent.boardId, w.meeting.id)))
				.map((r) => r.studentId)
				.sort()
		).toEqual([w.lisa.id, w.sem.id].sort());
		// Lisa's mentor takes Lisa off (and, no longer owning the meeting, is sent to her page);
		// then the last two, and never the only child.
		expect(await remove(asUser(w.lisaMentor), w.lisa.id)).toBe(303);
		expect(await boardRole(w.db, asUser(w.lisaMentor), w.meeting.id)).toBeNull();
		expect(await remove(asUser(w.admin), w.sem.id)).toBe(200);
		expect(await remove(asUser(w.admin), w.noor.id)).toBe(403);
		const [row] = await w.db.select().from(boardTable).where(eq(boardTable.id, w.meeting.id));
		expect(row?.studentId).toBe(w.noor.id);
	});

	it('each child’s mentor gets “Wis definitief” for their own child’s words on a shared meeting, and only for those', async () => {
		const w = await world();
		// Lisa's mentor is no mentor of Noor: an admin puts Lisa on Noor's meeting.
		expect(await addByForm(asUser(w.admin), w.meeting.id, w.lisa.id)).toBe(200);
		const ids = { noor: '', lisa: '' };
		await editBoardDoc(
			w.meeting.id,
			(doc) => {
				const as = (id: string) => ({
					createdBy: `student:${id}`,
					createdByName: 'x',
					byChild: true
				});
				const noor = addWish(doc, { title: 'Noor spijt' }, null, as(w.noor.id));
				const lisa = addWish(doc, { title: 'Lisa spijt', child: w.lisa.id }, null, as(w.lisa.id));
				if (!noor.ok || !lisa.ok) throw new Error('no wish');
				ids.noor = noor.value;
				ids.lisa = lisa.value;
			},
			{},
			rt.runtime
		);
		const page = async (actor: Actor) =>
			(await boardLoad({
				locals: { actor },
				params: { boardId: w.meeting.id }
			} as AnyEvent)) as { eraseScope: string; eraseChildren: string[] };
		expect(await page(asUser(w.lisaMentor))).toMatchObject({
			eraseScope: 'own-words',
			eraseChildren: [w.lisa.id]
		});
		expect(await page(asUser(w.mentor))).toMatchObject({
			eraseScope: 'own-words',
			eraseChildren: [w.noor.id]
		});
		const erase = (actor: Actor, cardId: string) =>
			eraseCard(rt.runtime, w.school.id, { kind: 'card', boardId: w.meeting.id, cardId }, actor);
		expect(await erase(asUser(w.lisaMentor), ids.noor)).toBe('forbidden');
		expect(await erase(asUser(w.mentor), ids.lisa)).toBe('forbidden');
		expect(await erase(asUser(w.colleague), ids.lisa)).toBe('forbidden');
		expect(await erase(asUser(w.lisaMentor), ids.lisa)).toBe('erased');
		expect(await erase(asUser(w.mentor), ids.noor)).toBe('erased');
		const doc = await currentBoardDoc(w.meeting.id, rt.runtime);
		expect(listCards(doc, 'wishes')).toEqual([]);
	});
});
