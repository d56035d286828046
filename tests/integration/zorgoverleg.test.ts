/**
 * The care meeting on real servers and real databases: the sync guard lets the child lead (it
 * places a parent's smiley) and refuses a parent setting someone else's check-in or any
 * visibility; ending a meeting builds the record from the server's own document; the family's
 * summary holds only the child's words meant for home; participants come from the server.
 */
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../../server/app';
import { CloseCode } from '../../server/protocol';
import { listParticipants, participantsMap } from '../../src/lib/board/participants';
import { addCard } from '../../src/lib/board/verbeterbord';
import {
	addWish,
	buildMeetingRecord,
	getMeeting,
	listMeetingCheckIns,
	PASS,
	setMeetingCheckIn,
	startMeeting,
	type MeetingRecordData
} from '../../src/lib/board/zorgoverleg';
import { joinWithInvite, createBoardInvite } from '../../src/lib/server/access/sharing';
import type { Actor, GuestRole } from '../../src/lib/server/auth/actor';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import { getMeetingRecord, meetingParticipants } from '../../src/lib/server/zorgoverleg';
import { POST } from '../../src/routes/boards/[boardId=id]/records/+server';
import { actions as shareActions } from '../../src/routes/boards/[boardId=id]/share/+page.server';
import { session } from '../../src/lib/server/db/schema';
import { load as summaryLoad } from '../../src/routes/boards/[boardId=id]/summary/[recordId]/+page.server';
import { drivers } from '../helpers/db';
import {
	guestToken,
	loginToken,
	makeBoard,
	makeSchool,
	makeStudent,
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

async function end(actor: Actor, boardId: string, startedAt: string) {
	const url = new URL(`${ORIGIN}/boards/${boardId}/records`);
	const request = new Request(url, {
		method: 'POST',
		headers: { origin: ORIGIN, 'content-type': 'application/json' },
		body: JSON.stringify({ startedAt })
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
	} as AnyEvent)) as { meeting: { data: MeetingRecordData } | null };
	return data.meeting!.data;
}

describe.each(drivers)('zorgoverleg (%s)', (driver) => {
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

	async function actorOf(token: string): Promise<Actor> {
		const actor = await validateSessionToken(rt.database.db, token, testPolicy);
		if (!actor) throw new Error('no actor');
		return actor;
	}

	/** Devices that joined by one new link of `role`, each with its name and label. */
	async function joinByLink(
		boardId: string,
		createdById: string,
		role: GuestRole,
		...devices: Array<[name: string, label: string]>
	) {
		const db = rt.database.db;
		const link = await createBoardInvite(
			db,
			boardId,
			{ role, expiresHours: 24, singleUse: false, label: '' },
			createdById
		);
		const joined = [];
		for (const [name, label] of devices) {
			const result = await joinWithInvite(db, link.token, name, new Date(), label);
			if (!result.ok) throw new Error(`join failed: ${result.reason}`);
			joined.push({ token: result.session.token, actorKey: result.session.session.id });
		}
		return joined;
	}

	async function meeting() {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const mentor = await makeUser(db, school.id, { name: 'Mehmet Yilmaz' });
		const pupil = await makeStudent(db, school.id, { mentorId: mentor.id });
		const board = await makeBoard(db, school.id, {
			kind: 'zorgoverleg',
			studentId: pupil.id,
			members: [[mentor.id, 'owner']]
		});
		const mentorToken = await loginToken(db, mentor);
		const child = await guestToken(db, board.id, 'child', mentor.id, 'Kim');
		const parent = await guestToken(db, board.id, 'parent', mentor.id, 'Sanne', 'parent');
		const partner = await guestToken(db, board.id, 'partner', mentor.id, 'Joris', 'youth_care');
		const room = async () => (await syncOf(app).rooms.get(board.id))!;
		return { school, mentor, pupil, board, mentorToken, child, parent, partner, room };
	}

	it('the guard lets the child place a parent’s smiley; a parent may not set another’s check-in or any visibility', async () => {
		const { board, child, parent, room } = await meeting();
		const kid = connect(board.id, child.token);
		const mum = connect(board.id, parent.token);
		await eventually(() => kid.provider.synced && mum.provider.synced);

		// The child taps mum's face, then a smiley: it lands in the room and on mum's phone.
		setMeetingCheckIn(kid.doc, parent.actorKey, { name: 'Sanne (ouder)', value: 3 }, 'local');
		await eventually(async () =>
			listMeetingCheckIns((await room()).doc).some((c) => c.participant === parent.actorKey)
		);
		await eventually(() => listMeetingCheckIns(mum.doc).length === 1);

		// Mum may not set the child's check-in: refused, closed, nowhere to be seen.
		const closed = closeCodeOf(mum);
		setMeetingCheckIn(mum.doc, child.actorKey, { name: 'Kim', value: 1 }, 'local');
		expect(await closed).toBe(CloseCode.invalidUpdate);
		const checkIns = listMeetingCheckIns((await room()).doc);
		expect(checkIns.map((c) => c.participant)).toEqual([parent.actorKey]);

		// Nor choose who may see a card, not even on her own card.
		const again = connect(board.id, parent.token);
		await eventually(() => again.provider.synced);
		const refused = closeCodeOf(again);
		addCard(
			again.doc,
			{ type: 'successes', title: 'Thuis leest ze veel', visibility: 'family' },
			'local',
			{ createdBy: parent.actorKey }
		);
		expect(await refused).toBe(CloseCode.invalidUpdate);
		expect((await room()).doc.getMap('cards').size).toBe(0);
	});

	it('ending a meeting builds its record from the server’s document, once; only staff end it', async () => {
		const { board, mentorToken, child, parent, partner, room } = await meeting();
		const kid = connect(board.id, child.token);
		await eventually(() => kid.provider.synced);
		startMeeting(kid.doc, 'local');
		setMeetingCheckIn(kid.doc, child.actorKey, { name: 'Kim (kind)', value: 3 }, 'local');
		setMeetingCheckIn(kid.doc, partner.actorKey, { name: 'Joris', value: PASS }, 'local');
		addCard(kid.doc, { type: 'successes', title: 'Ik lees elke dag' }, 'local', {
			createdBy: child.actorKey,
			createdByName: 'Kim'
		});
		const author = { createdBy: child.actorKey, createdByName: 'Kim', byChild: true };
		addWish(kid.doc, { title: 'Niet boos worden', visibility: 'care' }, 'local', author);
		addWish(kid.doc, { title: 'Beter lezen', visibility: 'family' }, 'local', author);
		addWish(kid.doc, { title: 'Over papa', visibility: 'meeting' }, 'local', author);
		addCard(
			kid.doc,
			{
				type: 'actions',
				title: 'Elke avond samen lezen',
				who: 'Sanne',
				ownerKey: parent.actorKey,
				ownerLabel: 'parent',
				due: '2027-01-15'
			},
			'local',
			{ createdBy: child.actorKey, createdByName: 'Kim' }
		);
		const { startedAt } = getMeeting(kid.doc);
		await eventually(async () => (await room()).doc.getMap('cards').size === 5);
		// What the record must say: the board as the server holds it.
		const expected = buildMeetingRecord((await room()).doc);

		for (const guest of [child, parent, partner]) {
			expect((await end(await actorOf(guest.token), board.id, startedAt)).status).toBe(403);
		}
		const mentor = await actorOf(mentorToken);
		const [a, b] = await Promise.all([
			end(mentor, board.id, startedAt),
			end(mentor, board.id, startedAt)
		]);
		expect([a.status, b.status].sort()).toEqual([200, 201]);
		expect(a.body.id).toBe(b.body.id);
		expect((await end(mentor, board.id, startedAt)).body.id).toBe(a.body.id);
		expect((await end(mentor, board.id, '2020-01-01T00:00:00.000Z')).status).toBe(409);
		expect((await end(mentor, board.id, '')).status).toBe(400);

		const kept = await getMeetingRecord(rt.database.db, board.id, a.body.id as number);
		const { endedAt: _e, ...content } = kept!.data;
		const { endedAt: _x, ...wanted } = expected;
		expect(content).toEqual(wanted);
		expect(content.checkins).toContainEqual({ name: 'Joris', value: PASS });
		expect(content.actions).toEqual([
			{ title: 'Elke avond samen lezen', who: 'Sanne', ownerLabel: 'parent', due: '2027-01-15' }
		]);
		// The meeting is closed on the board, for everyone.
		await eventually(
			() => !getMeeting(kid.doc).active && listMeetingCheckIns(kid.doc).length === 0
		);
	});

	it('the family’s summary omits the care and meeting-only words; staff read all; other boards read none', async () => {
		const db = rt.database.db;
		const { board, school, mentor, mentorToken, child, parent, partner } = await meeting();
		const kid = connect(board.id, child.token);
		await eventually(() => kid.provider.synced);
		startMeeting(kid.doc, 'local');
		const author = { createdBy: child.actorKey, createdByName: 'Kim', byChild: true };
		addWish(kid.doc, { title: 'Niet boos worden', visibility: 'care' }, 'local', author);
		addWish(kid.doc, { title: 'Beter lezen', visibility: 'family' }, 'local', author);
		addWish(kid.doc, { title: 'Over papa', visibility: 'meeting' }, 'local', author);
		const { startedAt } = getMeeting(kid.doc);
		await eventually(
			async () => (await syncOf(app).rooms.get(board.id))!.doc.getMap('cards').size === 3
		);
		const ended = await end(await actorOf(mentorToken), board.id, startedAt);
		const recordId = ended.body.id as number;

		const titles = async (token: string) =>
			(await summaryAs(await actorOf(token), board.id, recordId)).words.map((w) => w.title);
		expect(await titles(parent.token)).toEqual(['Beter lezen']);
		expect(await titles(partner.token)).toEqual(['Niet boos worden', 'Beter lezen']);
		expect(await titles(mentorToken)).toEqual(['Niet boos worden', 'Beter lezen', 'Over papa']);

		// A parent of another board asks for this record: not found.
		const other = await makeBoard(db, school.id, {
			kind: 'zorgoverleg',
			members: [[mentor.id, 'owner']]
		});
		const stranger = await guestToken(db, other.id, 'parent', mentor.id, 'Piet', 'parent');
		await expect(
			summaryLoad({
				locals: { actor: await actorOf(stranger.token) },
				params: { boardId: board.id, recordId: String(recordId) }
			} as AnyEvent)
		).rejects.toMatchObject({ status: 404 });
		await expect(
			summaryLoad({
				locals: { actor: await actorOf(stranger.token) },
				params: { boardId: other.id, recordId: String(recordId) }
			} as AnyEvent)
		).rejects.toMatchObject({ status: 404 });
	});

	it('participants come from the server: the child, the staff, the guests with their labels', async () => {
		const db = rt.database.db;
		const { board, pupil, mentor, child, parent, partner } = await meeting();
		const list = await meetingParticipants(db, board);
		expect(list.map((p) => [p.key, p.name, p.label])).toEqual([
			[`student:${pupil.id}`, 'Kim', 'child'],
			[mentor.id, 'Mehmet Yilmaz', 'mentor'],
			[parent.actorKey, 'Sanne', 'parent'],
			[partner.actorKey, 'Joris', 'youth_care']
		]);
		// The child's device finds its own face.
		expect(list[0]!.keys).toContain(child.actorKey);
		expect(list.every((p) => p.initials && /^#[0-9a-f]{6}$/.test(p.colour))).toBe(true);
	});

	it('participants arrive live: a parent who joins while the wall is open appears on it without a reload', async () => {
		const { board, mentor, mentorToken } = await meeting();
		const wall = connect(board.id, mentorToken);
		await eventually(() => listParticipants(wall.doc).some((p) => p.name === 'Sanne'));
		expect(listParticipants(wall.doc).some((p) => p.name === 'Ahmed')).toBe(false);

		// Ahmed joins by his own link and opens the board (his socket is on the family part).
		const [joined] = await joinByLink(board.id, mentor.id, 'parent', ['Ahmed', 'carer']);
		const ahmed = connect(board.id, joined!.token);
		await eventually(() => listParticipants(wall.doc).some((p) => p.name === 'Ahmed'));
		const face = listParticipants(wall.doc).find((p) => p.name === 'Ahmed')!;
		expect([face.key, face.label]).toEqual([joined!.actorKey, 'carer']);
		// His own device has the list too, through the family part.
		await eventually(() => listParticipants(ahmed.doc).some((p) => p.name === 'Ahmed'));
	});

	it('a guest whose link is revoked leaves the faces on every open device', async () => {
		const { board, mentor, mentorToken } = await meeting();
		const wall = connect(board.id, mentorToken);
		const [ahmed] = await joinByLink(board.id, mentor.id, 'parent', ['Ahmed', 'carer']);
		connect(board.id, ahmed!.token);
		const names = () => listParticipants(wall.doc).map((p) => p.name);
		await eventually(() => names().includes('Ahmed'));
		const [row] = await rt.database.db
			.select({ inviteId: session.inviteId })
			.from(session)
			.where(eq(session.id, ahmed!.actorKey));
		const body = new FormData();
		body.set('inviteId', row!.inviteId!);
		const url = new URL(`${ORIGIN}/boards/${board.id}/share?/revokeInvite`);
		const result = await shareActions.revokeInvite!({
			locals: { actor: await actorOf(mentorToken) },
			params: { boardId: board.id },
			url,
			request: new Request(url, { method: 'POST', body })
		} as AnyEvent);
		expect(result).toEqual({ done: 'revoked' });
		await eventually(() => !names().includes('Ahmed'));
		expect(names()).toContain('Sanne');
	});

	it('a guest cannot add or change a face: a write to the participant list is refused', async () => {
		const { board, parent, mentorToken } = await meeting();
		const wall = connect(board.id, mentorToken);
		const mum = connect(board.id, parent.token);
		await eventually(() => listParticipants(mum.doc).some((p) => p.name === 'Sanne'));
		const closed = closeCodeOf(mum);
		participantsMap(mum.doc).set('forged', {
			name: 'Juf Ilse',
			label: 'school',
			keys: ['forged'],
			order: 0
		});
		expect(await closed).toBe(CloseCode.invalidUpdate);
		await new Promise((r) => setTimeout(r, 200));
		expect(listParticipants(wall.doc).map((p) => p.name)).not.toContain('Juf Ilse');
	});

	it('one entry per person: the child on two devices is one child, a guest who joins twice with the same link and name is one', async () => {
		const { board, mentor, mentorToken } = await meeting();
		const [tablet, phone] = await joinByLink(
			board.id,
			mentor.id,
			'child',
			['Kim', 'child'],
			['Kim', 'child']
		);
		const [laptop, mobile] = await joinByLink(
			board.id,
			mentor.id,
			'parent',
			['Bram', 'parent'],
			[' bram ', 'parent']
		);

		const wall = connect(board.id, mentorToken);
		connect(board.id, tablet!.token);
		connect(board.id, phone!.token);
		connect(board.id, laptop!.token);
		connect(board.id, mobile!.token);
		await eventually(() => {
			const child = listParticipants(wall.doc).find((p) => p.label === 'child');
			return !!child?.keys.includes(phone!.actorKey);
		});
		const list = listParticipants(wall.doc);
		const children = list.filter((p) => p.label === 'child');
		expect(children).toHaveLength(1);
		expect(children[0]!.keys).toEqual(expect.arrayContaining([tablet!.actorKey, phone!.actorKey]));
		const brams = list.filter((p) => p.name.trim().toLowerCase() === 'bram');
		expect(brams).toHaveLength(1);
		expect(brams[0]!.key).toBe(laptop!.actorKey);
		expect(brams[0]!.keys).toEqual([laptop!.actorKey, mobile!.actorKey]);
		expect(list.map((p) => p.key)).toEqual([...new Set(list.map((p) => p.key))]);
	});

	it('a guest joins a care meeting as a role its link allows, and only as that', async () => {
		const db = rt.database.db;
		const { board, mentor } = await meeting();
		const link = await createBoardInvite(
			db,
			board.id,
			{ role: 'parent', expiresHours: 24, singleUse: true, label: '' },
			mentor.id
		);
		expect(await joinWithInvite(db, link.token, 'Ahmed', new Date(), 'youth_care')).toEqual({
			ok: false,
			reason: 'label'
		});
		expect(await joinWithInvite(db, link.token, 'Ahmed', new Date(), undefined)).toEqual({
			ok: false,
			reason: 'label'
		});
		// A refused label did not use up the single-use link.
		const joined = await joinWithInvite(db, link.token, 'Ahmed', new Date(), 'carer');
		expect(joined.ok).toBe(true);
		const list = await meetingParticipants(db, board);
		expect(list.find((p) => p.name === 'Ahmed')?.label).toBe('carer');
	});
});
