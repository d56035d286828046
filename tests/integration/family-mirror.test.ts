/**
 * The family part of a conversation board over the real server and real y-websocket clients:
 * a parent's socket never carries a card the child kept for the care team (checked on the raw
 * frames), and everything the family may see stays in step both ways.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startAppServer, type AppServer } from '../../server/app';
import { ensureFamilyPart } from '../../server/family-mirror';
import { loadBoardDoc } from '../../server/persistence';
import { CloseCode } from '../../server/protocol';
import {
	addCard,
	cardsMap,
	checkinsMap,
	setCheckIn,
	updateCard
} from '../../src/lib/board/verbeterbord';
import { requireBoard } from '../../src/lib/server/access/guards';
import { boardRole, loadBoard } from '../../src/lib/server/auth/permissions';
import { editBoardDoc } from '../../src/lib/server/board-edit';
import { listBoardsFor } from '../../src/lib/server/boards';
import { board as boardTable } from '../../src/lib/server/db/schema';
import { drivers } from '../helpers/db';
import {
	asUser,
	guestToken,
	loginToken,
	makeBoard,
	makeSchool,
	makeStudent,
	makeUser
} from '../helpers/factories';
import { connectRecording, entriesOf, familyPartOf, storageContains } from '../helpers/family';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import {
	connectClient,
	eventually,
	syncOf,
	upgradeStatus,
	type TestClient
} from '../helpers/sync-client';

describe.each(drivers)('family part of a conversation board (%s)', (driver) => {
	let rt: TestRuntime;
	let app: AppServer;
	const apps: AppServer[] = [];
	const clients: TestClient[] = [];

	beforeEach(async () => {
		rt = await startTestRuntime(driver, { SYNC_ROOM_UNLOAD_MS: '200' });
		app = await startAppServer(rt.runtime, undefined, { port: 0, host: '127.0.0.1' });
		apps.push(app);
	});

	afterEach(async () => {
		for (const c of clients.splice(0)) c.destroy();
		for (const a of apps.splice(0)) await a.close();
		await rt.close();
	});

	async function setup(kind: 'zorgoverleg' | 'driehoeksgesprek' = 'zorgoverleg') {
		const db = rt.database.db;
		const s = await makeSchool(db);
		const mentor = await makeUser(db, s.id, { name: 'Mentor' });
		const admin = await makeUser(db, s.id, { role: 'admin', name: 'IB' });
		const pupil = await makeStudent(db, s.id, { mentorId: mentor.id });
		const b = await makeBoard(db, s.id, {
			kind,
			studentId: pupil.id,
			members: [[mentor.id, 'owner']]
		});
		const child = await guestToken(db, b.id, 'child', mentor.id, 'Kim');
		const parent = await guestToken(db, b.id, 'parent', mentor.id, 'Moeder');
		return {
			board: b,
			mentor,
			admin,
			staffToken: await loginToken(db, mentor),
			adminToken: await loginToken(db, admin),
			child,
			parent
		};
	}

	function stockClient(url: string, boardId: string, token: string, doc?: Y.Doc) {
		const c = connectClient(url, boardId, token, { doc });
		clients.push(c);
		return c;
	}

	function parentClient(url: string, boardId: string, token: string, doc?: Y.Doc) {
		const c = connectRecording(url, boardId, token, doc);
		clients.push(c);
		return c;
	}

	const synced = (...cs: TestClient[]) =>
		eventually(() => cs.every((c) => c.provider.synced), 10_000, 'clients did not sync');

	it('a parent never receives a care card: not in its document, not in any frame, not after a reload', async () => {
		const { board, staffToken, parent } = await setup();
		const s = stockClient(app.url, board.id, staffToken);
		await synced(s);
		addCard(s.doc, { type: 'concerns', title: 'GEHEIM-vooraf', visibility: 'care' }, 'local', {
			id: 'care1'
		});
		addCard(s.doc, { type: 'successes', title: 'Thuis mag dit', visibility: 'family' }, 'local', {
			id: 'fam1'
		});
		addCard(s.doc, { type: 'goals', title: 'Voor iedereen' }, 'local', { id: 'all1' });
		await eventually(() => syncOf(app).rooms.get(board.id) !== undefined);

		const p = parentClient(app.url, board.id, parent.token);
		await synced(p);
		await eventually(() => cardsMap(p.doc).has('fam1') && cardsMap(p.doc).has('all1'));
		expect(cardsMap(p.doc).has('care1')).toBe(false);

		// A later update: a new care card, and a care card's text edited.
		addCard(s.doc, { type: 'goals', title: 'GEHEIM-later', visibility: 'care' }, 'local', {
			id: 'care2'
		});
		updateCard(s.doc, 'care1', { body: 'GEHEIM-body' }, 'local');
		updateCard(s.doc, 'fam1', { body: 'zichtbaar' }, 'local');
		await eventually(() => cardsMap(p.doc).get('fam1')?.get('body') === 'zichtbaar');

		// A reload: a fresh document on a new socket.
		p.provider.destroy();
		const again = parentClient(app.url, board.id, parent.token);
		await synced(again);
		await eventually(() => cardsMap(again.doc).has('fam1'));

		for (const c of [p, again]) {
			expect(c.frames.length).toBeGreaterThan(0);
			for (const marker of ['GEHEIM-vooraf', 'GEHEIM-later', 'GEHEIM-body']) {
				expect(c.received(marker), marker).toBe(false);
			}
		}
		expect(cardsMap(again.doc).has('care1') || cardsMap(again.doc).has('care2')).toBe(false);
		// The staff socket did get them: the markers are findable where they were sent.
		const family = (await familyPartOf(rt.database.db, board.id))!;
		await (await syncOf(app).rooms.get(family))!.flush();
		expect(await storageContains(rt.database.db, family, 'GEHEIM')).toBe(false);
		expect(await storageContains(rt.database.db, family, 'Thuis mag dit')).toBe(true);
	});

	it('a card the child gives care leaves the parent, and comes back when shown again', async () => {
		const { board, child, parent } = await setup('driehoeksgesprek');
		const c = stockClient(app.url, board.id, child.token);
		const p = parentClient(app.url, board.id, parent.token);
		await synced(c, p);
		// On a talk the student's own goals are their words (`wishes`); agreed goals are staff's.
		addCard(c.doc, { type: 'wishes', title: 'Ik wil beter lezen' }, 'local', {
			id: 'mine',
			createdBy: child.actorKey
		});
		await eventually(() => cardsMap(p.doc).has('mine'), 5_000, 'card never reached the parent');

		updateCard(c.doc, 'mine', { visibility: 'care' }, 'local');
		await eventually(() => !cardsMap(p.doc).has('mine'), 5_000, 'care card stayed with the parent');
		// Written while care: never sent to the parent.
		updateCard(c.doc, 'mine', { body: 'GEHEIM-kind' }, 'local');
		await new Promise((r) => setTimeout(r, 200));
		expect(cardsMap(p.doc).has('mine')).toBe(false);

		updateCard(c.doc, 'mine', { visibility: 'family', body: 'mag weer' }, 'local');
		await eventually(() => cardsMap(p.doc).get('mine')?.get('body') === 'mag weer');
		expect(cardsMap(p.doc).get('mine')?.get('title')).toBe('Ik wil beter lezen');
		expect(p.received('GEHEIM-kind')).toBe(false);
		expect(p.closeCodes).toEqual([]);
		expect(entriesOf(p.doc)).toEqual(entriesOf(c.doc, { family: true }));
	});

	it("the parent's own check-in and card reach staff and the board's storage", async () => {
		const { board, staffToken, parent } = await setup();
		const s = stockClient(app.url, board.id, staffToken);
		const p = parentClient(app.url, board.id, parent.token);
		await synced(s, p);
		setCheckIn(p.doc, parent.actorKey, { name: 'Moeder', value: 3 }, 'local');
		addCard(p.doc, { type: 'successes', title: 'Thuis gaat het goed' }, 'local', {
			id: 'home',
			createdBy: parent.actorKey,
			createdByName: 'Moeder'
		});
		await eventually(
			() => checkinsMap(s.doc).has(parent.actorKey) && cardsMap(s.doc).has('home'),
			5_000,
			"staff never saw the parent's entries"
		);
		// And back: staff edits the parent's card, the parent sees it (one field at a time).
		updateCard(s.doc, 'home', { body: 'fijn' }, 'local');
		await eventually(() => cardsMap(p.doc).get('home')?.get('body') === 'fijn');

		await (await syncOf(app).rooms.get(board.id))!.flush();
		const { doc: stored } = await loadBoardDoc(rt.database.db, board.id);
		expect(cardsMap(stored).get('home')?.get('title')).toBe('Thuis gaat het goed');
		expect(checkinsMap(stored).get(parent.actorKey)?.value).toBe(3);
		expect(p.closeCodes).toEqual([]);
	});

	it("a parent's change is stored in the board before it is stored in the family part", async () => {
		const { board, parent } = await setup();
		const p = parentClient(app.url, board.id, parent.token);
		await synced(p);
		const main = (await syncOf(app).rooms.get(board.id))!;
		const family = (await familyPartOf(rt.database.db, board.id))!;
		// A slow board store: the family part must wait for it, however long it takes.
		const flush = main.flush.bind(main);
		main.flush = async () => {
			await new Promise((r) => setTimeout(r, 400));
			await flush();
		};
		setCheckIn(p.doc, parent.actorKey, { name: 'Moeder', value: 2, word: 'eerst-bord' }, 'local');
		await eventually(
			() => storageContains(rt.database.db, family, 'eerst-bord'),
			5_000,
			'never stored in the family part'
		);
		expect(await storageContains(rt.database.db, board.id, 'eerst-bord')).toBe(true);
	});

	it('the parent may not change a staff card: closed with 4400, the board keeps it', async () => {
		const { board, staffToken, parent } = await setup();
		const s = stockClient(app.url, board.id, staffToken);
		await synced(s);
		addCard(s.doc, { type: 'goals', title: 'Van de mentor' }, 'local', { id: 'staffcard' });
		const p = parentClient(app.url, board.id, parent.token);
		await synced(p);
		await eventually(() => cardsMap(p.doc).has('staffcard'));

		cardsMap(p.doc).get('staffcard')!.set('title', 'Veranderd door ouder');
		await eventually(() => p.closeCodes.includes(CloseCode.invalidUpdate), 5_000, 'not refused');

		const room = (await syncOf(app).rooms.get(board.id))!;
		expect(cardsMap(room.doc).get('staffcard')?.get('title')).toBe('Van de mentor');
		await new Promise((r) => setTimeout(r, 100));
		expect(cardsMap(s.doc).get('staffcard')?.get('title')).toBe('Van de mentor');
		await room.flush();
		const { doc: stored } = await loadBoardDoc(rt.database.db, board.id);
		expect(cardsMap(stored).get('staffcard')?.get('title')).toBe('Van de mentor');
	});

	it('a parent who knows the id of a card turned care cannot overwrite it from the family side', async () => {
		const { board, staffToken, parent } = await setup();
		const s = stockClient(app.url, board.id, staffToken);
		await synced(s);
		addCard(s.doc, { type: 'goals', title: 'Eerst zichtbaar' }, 'local', { id: 'flip' });
		const p = parentClient(app.url, board.id, parent.token);
		await synced(p);
		await eventually(() => cardsMap(p.doc).has('flip'));
		updateCard(s.doc, 'flip', { visibility: 'care', body: 'GEHEIM-flip' }, 'local');
		await eventually(() => !cardsMap(p.doc).has('flip'));

		// Its own card under that id: accepted on the family part, never copied over the care card.
		addCard(p.doc, { type: 'ideas', title: 'Overschreven' }, 'local', {
			id: 'flip',
			createdBy: parent.actorKey
		});
		await eventually(() => !cardsMap(p.doc).has('flip'), 5_000, 'the overwrite stayed');
		const room = (await syncOf(app).rooms.get(board.id))!;
		expect(cardsMap(room.doc).get('flip')?.get('title')).toBe('Eerst zichtbaar');
		expect(cardsMap(room.doc).get('flip')?.get('body')).toBe('GEHEIM-flip');
		expect(p.received('GEHEIM-flip')).toBe(false);
	});

	it('after a restart the parent reconnects with its old document, is not refused, and both sides converge', async () => {
		const { board, staffToken, parent } = await setup();
		const s = stockClient(app.url, board.id, staffToken);
		const p = parentClient(app.url, board.id, parent.token);
		await synced(s, p);
		addCard(s.doc, { type: 'goals', title: 'Doel' }, 'local', { id: 'g1' });
		setCheckIn(p.doc, parent.actorKey, { name: 'Moeder', value: 2 }, 'local');
		await eventually(() => cardsMap(p.doc).has('g1') && checkinsMap(s.doc).has(parent.actorKey));

		const parentDoc = p.doc;
		const staffDoc = s.doc;
		p.provider.destroy();
		s.provider.destroy();
		await app.close();
		// Offline while the server is down.
		setCheckIn(parentDoc, parent.actorKey, { name: 'Moeder', value: 1, word: 'moe' }, 'local');
		updateCard(staffDoc, 'g1', { visibility: 'care', body: 'GEHEIM-na' }, 'local');
		addCard(staffDoc, { type: 'successes', title: 'Nieuw' }, 'local', { id: 'n1' });

		app = await startAppServer(rt.runtime, undefined, { port: 0, host: '127.0.0.1' });
		apps.push(app);
		const s2 = stockClient(app.url, board.id, staffToken, staffDoc);
		await synced(s2);
		const p2 = parentClient(app.url, board.id, parent.token, parentDoc);
		await synced(p2);
		await eventually(
			() =>
				checkinsMap(s2.doc).get(parent.actorKey)?.word === 'moe' &&
				cardsMap(p2.doc).has('n1') &&
				!cardsMap(p2.doc).has('g1'),
			5_000,
			'did not converge after the restart'
		);
		expect(p2.closeCodes).toEqual([]);
		expect(p2.received('GEHEIM-na')).toBe(false);
		expect(entriesOf(p2.doc)).toEqual(entriesOf(s2.doc, { family: true }));
	});

	it('a server edit reaches the family part live, and storage-only edits are reconciled on opening', async () => {
		const { board, staffToken, parent } = await setup();
		const s = stockClient(app.url, board.id, staffToken);
		await synced(s);
		addCard(s.doc, { type: 'goals', title: 'Zichtbaar' }, 'local', { id: 'g' });
		addCard(s.doc, { type: 'goals', title: 'Ook zichtbaar' }, 'local', { id: 'h' });
		const p = parentClient(app.url, board.id, parent.token);
		await synced(p);
		await eventually(() => cardsMap(p.doc).has('g') && cardsMap(p.doc).has('h'));

		const live = await editBoardDoc(
			board.id,
			(doc) => updateCard(doc, 'g', { visibility: 'care' }),
			{},
			rt.runtime
		);
		expect(live.live).toBe(true);
		await eventually(() => !cardsMap(p.doc).has('g'), 5_000, 'live server edit not mirrored');

		// Everyone leaves; both rooms unload.
		p.provider.destroy();
		s.provider.destroy();
		const family = (await familyPartOf(rt.database.db, board.id))!;
		await eventually(() => syncOf(app).rooms.size === 0, 5_000, 'rooms stayed loaded');
		const stored = await editBoardDoc(
			board.id,
			(doc) => updateCard(doc, 'h', { visibility: 'care', body: 'GEHEIM-opslag' }),
			{},
			rt.runtime
		);
		expect(stored.live).toBe(false);
		expect(family).not.toBeNull();

		const again = parentClient(app.url, board.id, parent.token);
		await synced(again);
		expect(cardsMap(again.doc).has('h')).toBe(false);
		expect(cardsMap(again.doc).has('g')).toBe(false);
		expect(again.received('GEHEIM-opslag')).toBe(false);
	});

	it("the family room holds the board's room and releases it when it unloads", async () => {
		const { board, parent } = await setup();
		const p = parentClient(app.url, board.id, parent.token);
		await synced(p);
		const family = (await familyPartOf(rt.database.db, board.id))!;
		const rooms = syncOf(app).rooms;
		expect(rooms.has(family)).toBe(true);
		// Nobody is connected to the board itself, yet its room stays for the mirror.
		await new Promise((r) => setTimeout(r, 500));
		expect(rooms.has(board.id)).toBe(true);
		p.provider.destroy();
		await eventually(() => !rooms.has(family), 5_000, 'family room stayed');
		await eventually(() => !rooms.has(board.id), 5_000, "the board's room stayed held");
	});

	it('a family part is storage: /sync/<partId> and /boards/<partId> are refused, and it is never listed', async () => {
		const { board, mentor, admin, staffToken, adminToken, parent } = await setup();
		const p = parentClient(app.url, board.id, parent.token);
		await synced(p);
		const partId = (await familyPartOf(rt.database.db, board.id))!;
		expect(partId).toBeTruthy();

		for (const token of [staffToken, adminToken, parent.token]) {
			expect(
				await upgradeStatus(app.url, `/sync/${partId}`, { cookie: `groeibord_session=${token}` })
			).toBe(403);
		}
		const db = rt.database.db;
		for (const u of [mentor, admin]) {
			const actor = asUser(u);
			expect(await loadBoard(db, u.schoolId, partId)).toBeNull();
			expect(await boardRole(db, actor, partId)).toBeNull();
			await expect(requireBoard({ actor } as App.Locals, partId)).rejects.toMatchObject({
				status: 404
			});
			const listed = (await listBoardsFor(db, actor)).map((b) => b.id);
			expect(listed).toContain(board.id);
			expect(listed).not.toContain(partId);
		}
		// Even given the part's row, no role.
		const [part] = await db.select().from(boardTable).where(eq(boardTable.id, partId));
		expect(await boardRole(db, asUser(admin), part!)).toBeNull();
	});

	it('a stock y-websocket WebsocketProvider works as the parent; presence stays within the family part', async () => {
		const { board, staffToken, parent, mentor } = await setup();
		const other = await guestToken(rt.database.db, board.id, 'parent', mentor.id, 'Vader');
		const s = stockClient(app.url, board.id, staffToken);
		const p = stockClient(app.url, board.id, parent.token);
		const q = stockClient(app.url, board.id, other.token);
		await synced(s, p, q);
		addCard(s.doc, { type: 'goals', title: 'Samen' }, 'local', { id: 'x' });
		await eventually(() => cardsMap(p.doc).has('x') && cardsMap(q.doc).has('x'));

		p.provider.awareness.setLocalStateField('cursor', { x: 1 });
		s.provider.awareness.setLocalStateField('cursor', { x: 2 });
		await eventually(
			() => q.provider.awareness.getStates().get(p.doc.clientID)?.cursor !== undefined,
			5_000,
			"one parent never saw the other's presence"
		);
		await new Promise((r) => setTimeout(r, 300));
		expect(s.provider.awareness.getStates().has(p.doc.clientID)).toBe(false);
		expect(p.provider.awareness.getStates().has(s.doc.clientID)).toBe(false);
	});

	it('the family part is created once, however many create it at the same moment', async () => {
		const { board } = await setup();
		const ids = await Promise.all(
			Array.from({ length: 6 }, () => ensureFamilyPart(rt.database.db, board))
		);
		expect(new Set(ids).size).toBe(1);
		expect(await familyPartOf(rt.database.db, board.id)).toBe(ids[0]);
	});

	it('staff, the child and a partner stay on the board itself; only a parent is on the family part', async () => {
		const { board, staffToken, child, mentor } = await setup();
		const partner = await guestToken(rt.database.db, board.id, 'partner', mentor.id);
		const s = stockClient(app.url, board.id, staffToken);
		const c = stockClient(app.url, board.id, child.token);
		const q = stockClient(app.url, board.id, partner.token);
		await synced(s, c, q);
		addCard(s.doc, { type: 'concerns', title: 'Zorg' }, 'local', {
			id: 'zorg'
		});
		updateCard(s.doc, 'zorg', { visibility: 'care' }, 'local');
		await eventually(() => cardsMap(c.doc).has('zorg') && cardsMap(q.doc).has('zorg'));
		expect(await familyPartOf(rt.database.db, board.id)).toBeNull();
	});
});
