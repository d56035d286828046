/**
 * The update guard over the real server: updates are checked against the board kind's schema
 * and the connection's capabilities; a refused one is reverted, closed with 4400, and every
 * replica (other clients, the room, the database) still ends equal. Yjs client ids belong to the
 * actor that first wrote them on a board, so nobody can make the server skip someone's real
 * edits as "already known".
 */
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startAppServer, type AppServer } from '../../server/app';
import { loadBoardDoc } from '../../server/persistence';
import { CloseCode } from '../../server/protocol';
import type { Room } from '../../server/rooms';
import {
	addCard,
	cardsMap,
	deleteCard,
	getSettings,
	listCards,
	setCheckIn,
	updateCard,
	updateSettings
} from '../../src/lib/board/verbeterbord';
import { boardClient } from '../../src/lib/server/db/schema';
import { drivers } from '../helpers/db';
import { guestToken, loginToken, makeBoard, makeSchool, makeUser } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { connectClient, eventually, syncOf, type TestClient } from '../helpers/sync-client';

function closeCodeOf(client: TestClient): Promise<number> {
	return new Promise((resolve) => {
		client.provider.on('connection-close', (event) => resolve(event?.code ?? -1));
	});
}

const sv = (doc: Y.Doc) => Array.from(Y.encodeStateVector(doc)).join(',');
const titles = (doc: Y.Doc) => listCards(doc).map((c) => c.title);

/** A document holding `source`'s state that writes under `clientId` from now on. */
function impostor(source: Y.Doc, clientId: number): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
	// Set after loading: Yjs picks a new id when a remote update touches its own.
	doc.clientID = clientId;
	return doc;
}

describe.each(drivers)('sync update guard (%s)', (driver) => {
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

	async function setup() {
		const db = rt.database.db;
		const s = await makeSchool(db);
		const owner = await makeUser(db, s.id, { name: 'Mentor' });
		const colleague = await makeUser(db, s.id, { name: 'Collega' });
		const board = await makeBoard(db, s.id, {
			kind: 'zorgoverleg',
			members: [
				[owner.id, 'owner'],
				[colleague.id, 'editor']
			]
		});
		const child = await guestToken(db, board.id, 'child', owner.id, 'Kim');
		const ownerToken = await loginToken(db, owner);
		const colleagueToken = await loginToken(db, colleague);
		return { board, owner, child, ownerToken, colleagueToken };
	}

	function connect(boardId: string, token: string, doc?: Y.Doc) {
		const client = connectClient(app.url, boardId, token, { doc });
		clients.push(client);
		return client;
	}

	async function room(boardId: string): Promise<Room> {
		return (await syncOf(app).rooms.get(boardId))!;
	}

	/** Every live client, a fresh client, the room and the database hold the same board. */
	async function expectConverged(boardId: string, live: TestClient[], token: string) {
		const r = await room(boardId);
		await eventually(() => live.every((c) => sv(c.doc) === sv(r.doc)), 5_000, 'replicas differ');
		await r.flush();
		const { doc: stored } = await loadBoardDoc(rt.database.db, boardId);
		const fresh = connect(boardId, token);
		await eventually(() => fresh.provider.synced && sv(fresh.doc) === sv(r.doc));
		for (const doc of [...live.map((c) => c.doc), stored, fresh.doc]) {
			expect(sv(doc)).toBe(sv(r.doc));
			expect(doc.getMap('cards').toJSON()).toEqual(r.doc.getMap('cards').toJSON());
			expect(doc.getMap('settings').toJSON()).toEqual(r.doc.getMap('settings').toJSON());
			expect(doc.getMap('checkins').toJSON()).toEqual(r.doc.getMap('checkins').toJSON());
		}
	}

	it('a child may not delete a staff goal: closed with 4400, the goal stays everywhere', async () => {
		const { board, child, ownerToken } = await setup();
		const mentor = connect(board.id, ownerToken);
		const watcher = connect(board.id, ownerToken);
		await eventually(() => mentor.provider.synced && watcher.provider.synced);
		addCard(mentor.doc, { type: 'goals', title: 'Rustig werken' }, 'local', {
			createdBy: 'staff',
			id: 'goal1'
		});
		const kid = connect(board.id, child.token);
		await eventually(() => kid.provider.synced && cardsMap(kid.doc).has('goal1'));
		const closed = closeCodeOf(kid);

		deleteCard(kid.doc, 'goal1');
		expect(await closed).toBe(CloseCode.invalidUpdate);

		expect(listCards((await room(board.id)).doc).map((c) => c.title)).toEqual(['Rustig werken']);
		await expectConverged(board.id, [mentor, watcher], ownerToken);
		expect(listCards(watcher.doc).map((c) => c.title)).toEqual(['Rustig werken']);
		// The mentor keeps editing the restored card, and everyone sees it.
		updateCard(mentor.doc, 'goal1', { title: 'Rustig werken in de klas' });
		await eventually(() => listCards(watcher.doc)[0]?.title === 'Rustig werken in de klas');
		await expectConverged(board.id, [mentor, watcher], ownerToken);
	});

	it('a child may not hide areas; it may add its own card and its own check-in', async () => {
		const { board, child, ownerToken } = await setup();
		const mentor = connect(board.id, ownerToken);
		const kid = connect(board.id, child.token);
		await eventually(() => mentor.provider.synced && kid.provider.synced);

		addCard(kid.doc, { type: 'goals', title: 'Ik wil lezen' }, 'local', {
			createdBy: child.actorKey
		});
		setCheckIn(kid.doc, child.actorKey, { name: 'Kim', value: 3 }, 'local');
		await eventually(
			() => listCards(mentor.doc).length === 1 && mentor.doc.getMap('checkins').size === 1
		);

		const closed = closeCodeOf(kid);
		updateSettings(
			kid.doc,
			{ hiddenAreas: ['successes', 'concerns', 'goals', 'actions'] },
			'local'
		);
		expect(await closed).toBe(CloseCode.invalidUpdate);
		expect(getSettings((await room(board.id)).doc).hiddenAreas).toEqual([]);
		await expectConverged(board.id, [mentor], ownerToken);
		expect(getSettings(mentor.doc).hiddenAreas).toEqual([]);
		expect(listCards(mentor.doc).map((c) => c.title)).toEqual(['Ik wil lezen']);
	});

	it('a non-map value under cards from an owner is refused; every valid card still shows', async () => {
		const { board, ownerToken } = await setup();
		const a = connect(board.id, ownerToken);
		const b = connect(board.id, ownerToken);
		await eventually(() => a.provider.synced && b.provider.synced);
		addCard(a.doc, { type: 'ideas', title: 'Eerste idee' }, 'local', { createdBy: 'x' });
		await eventually(() => listCards(b.doc).length === 1);

		const closed = closeCodeOf(a);
		a.doc.transact(() => {
			cardsMap(a.doc).forEach((card) => card.set('title', 42));
			(a.doc.getMap('cards') as Y.Map<unknown>).set('kapot', 'geen kaart');
		}, 'local');
		expect(await closed).toBe(CloseCode.invalidUpdate);
		expect(listCards(b.doc).map((c) => c.title)).toEqual(['Eerste idee']);
		await expectConverged(board.id, [b], ownerToken);
		expect(b.doc.getMap('cards').has('kapot')).toBe(false);
	});

	it('a refused update is not stored: a reload from the database has none of it', async () => {
		const { board, ownerToken } = await setup();
		const a = connect(board.id, ownerToken);
		await eventually(() => a.provider.synced);
		const closed = closeCodeOf(a);
		a.doc.getText('stray').insert(0, 'x'.repeat(10_000));
		expect(await closed).toBe(CloseCode.invalidUpdate);
		const r = await room(board.id);
		await r.flush();
		const { doc, bytes } = await loadBoardDoc(rt.database.db, board.id);
		expect(doc.getText('stray').toString()).toBe('');
		expect(bytes).toBeLessThan(1_000);
	});

	/** Wait until the room holds `cards` cards, disconnect `client` and unload the room. */
	async function unloadAfter(boardId: string, client: TestClient, cards: number) {
		const r = await room(boardId);
		await eventually(() => titles(r.doc).length === cards);
		client.provider.disconnect();
		await eventually(() => r.connections.size === 0);
		await r.unload();
		expect(r.destroyed).toBe(true);
	}

	describe.each(['child', 'colleague'] as const)('as a %s', (who) => {
		it("replaying the mentor's client id is refused with 4400 and the mentor's later edits all arrive", async () => {
			const { board, child, ownerToken, colleagueToken } = await setup();
			const mentor = connect(board.id, ownerToken);
			const watcher = connect(board.id, ownerToken);
			await eventually(() => mentor.provider.synced && watcher.provider.synced);
			addCard(mentor.doc, { type: 'goals', title: 'Eerste' }, 'local', { createdBy: 'staff' });
			await eventually(() => titles(watcher.doc).length === 1);

			// The mentor goes offline and keeps working; the attacker writes at the same clocks.
			mentor.provider.disconnect();
			for (const title of ['Tweede', 'Derde', 'Vierde']) {
				addCard(mentor.doc, { type: 'goals', title }, 'local', { createdBy: 'staff' });
			}
			const token = who === 'child' ? child.token : colleagueToken;
			const evil = impostor(watcher.doc, mentor.doc.clientID);
			addCard(evil, { type: 'goals', title: 'Nep' }, 'local', {
				createdBy: who === 'child' ? child.actorKey : 'staff'
			});
			const attacker = connect(board.id, token, evil);
			expect(await closeCodeOf(attacker)).toBe(CloseCode.invalidUpdate);
			attacker.provider.disconnect();

			mentor.provider.connect();
			await eventually(
				() => titles(watcher.doc).length === 4,
				5_000,
				`the mentor's edits did not all arrive: ${titles(watcher.doc).join(', ')}`
			);
			expect(titles(watcher.doc)).toEqual(['Eerste', 'Tweede', 'Derde', 'Vierde']);
			expect(titles((await room(board.id)).doc)).not.toContain('Nep');
			await expectConverged(board.id, [mentor, watcher], ownerToken);
		});
	});

	it("a colleague passing on the mentor's edits the room lost keeps its connection; only the mentor brings them back", async () => {
		// As after a killed server: a colleague received the mentor's "Tweede" live, the room lost
		// it before it was stored. The colleague's catch-up carries it under the mentor's id:
		// dropped (only its writer may bring it), the colleague's own card kept, nobody cut off.
		const { board, ownerToken, colleagueToken } = await setup();
		const mentor = connect(board.id, ownerToken);
		await eventually(() => mentor.provider.synced);
		addCard(mentor.doc, { type: 'goals', title: 'Eerste' }, 'local', { createdBy: 'staff' });
		const r = await room(board.id);
		await eventually(() => titles(r.doc).length === 1);
		mentor.provider.disconnect();
		addCard(mentor.doc, { type: 'goals', title: 'Tweede' }, 'local', { createdBy: 'staff' });

		const colleagueDoc = new Y.Doc();
		Y.applyUpdate(colleagueDoc, Y.encodeStateAsUpdate(mentor.doc));
		addCard(colleagueDoc, { type: 'ideas', title: 'Van de collega' }, 'local', {
			createdBy: 'staff'
		});
		const colleague = connect(board.id, colleagueToken, colleagueDoc);
		await eventually(() => titles(r.doc).includes('Van de collega'), 5_000, 'own card not kept');
		expect(titles(r.doc)).not.toContain('Tweede');
		expect(colleague.provider.wsconnected && colleague.provider.shouldConnect).toBe(true);

		mentor.provider.connect();
		await eventually(() => titles(r.doc).includes('Tweede'), 5_000, "the mentor's edit is missing");
		expect([...titles(r.doc)].sort()).toEqual(['Eerste', 'Tweede', 'Van de collega']);
		await expectConverged(board.id, [mentor, colleague], ownerToken);
	});

	it('ownership is stored: after the room was unloaded another actor is still refused', async () => {
		const { board, owner: mentorUser, child, ownerToken } = await setup();
		const mentor = connect(board.id, ownerToken);
		await eventually(() => mentor.provider.synced);
		addCard(mentor.doc, { type: 'goals', title: 'Eerste' }, 'local', { createdBy: 'staff' });
		await unloadAfter(board.id, mentor, 1);
		const [row] = await rt.database.db
			.select()
			.from(boardClient)
			.where(and(eq(boardClient.boardId, board.id), eq(boardClient.clientId, mentor.doc.clientID)));
		expect(row?.actorKey).toBe(mentorUser.id);

		const { doc: stored } = await loadBoardDoc(rt.database.db, board.id);
		const evil = impostor(stored, mentor.doc.clientID);
		addCard(evil, { type: 'goals', title: 'Nep' }, 'local', { createdBy: child.actorKey });
		const attacker = connect(board.id, child.token, evil);
		expect(await closeCodeOf(attacker)).toBe(CloseCode.invalidUpdate);
		expect(titles((await room(board.id)).doc)).toEqual(['Eerste']);
	});

	it('the same person reconnecting with the same client id (new socket, reloaded room) keeps writing', async () => {
		const { board, ownerToken } = await setup();
		const mentor = connect(board.id, ownerToken);
		await eventually(() => mentor.provider.synced);
		addCard(mentor.doc, { type: 'goals', title: 'Eerste' }, 'local', { createdBy: 'staff' });
		await unloadAfter(board.id, mentor, 1);

		// Offline edits under the same id, sent over a new socket to a room loaded from storage.
		addCard(mentor.doc, { type: 'goals', title: 'Tweede' }, 'local', { createdBy: 'staff' });
		let closed = false;
		mentor.provider.on('connection-close', () => (closed = true));
		mentor.provider.connect();
		await eventually(async () => {
			const reloaded = await syncOf(app).rooms.get(board.id);
			return reloaded !== undefined && titles(reloaded.doc).length === 2;
		});
		addCard(mentor.doc, { type: 'goals', title: 'Derde' }, 'local', { createdBy: 'staff' });
		await expectConverged(board.id, [mentor], ownerToken);
		expect(titles(mentor.doc)).toEqual(['Eerste', 'Tweede', 'Derde']);
		expect(closed).toBe(false);
	});

	it('a second tab of the same person (another client id) writes too', async () => {
		const { board, ownerToken } = await setup();
		const tab1 = connect(board.id, ownerToken);
		const tab2 = connect(board.id, ownerToken);
		await eventually(() => tab1.provider.synced && tab2.provider.synced);
		expect(tab1.doc.clientID).not.toBe(tab2.doc.clientID);
		addCard(tab1.doc, { type: 'goals', title: 'Uit tab 1' }, 'local', { createdBy: 'staff' });
		addCard(tab2.doc, { type: 'goals', title: 'Uit tab 2' }, 'local', { createdBy: 'staff' });
		await eventually(() => titles(tab1.doc).length === 2 && titles(tab2.doc).length === 2);
		await expectConverged(board.id, [tab1, tab2], ownerToken);
	});

	it('an id someone else announced as presence, not yet written, cannot be taken by writing first', async () => {
		const { board, child, ownerToken } = await setup();
		const mentor = connect(board.id, ownerToken);
		await eventually(() => mentor.provider.synced);
		mentor.provider.awareness.setLocalStateField('cursor', 1);
		const r = await room(board.id);
		await eventually(() => r.awareness.getStates().has(mentor.doc.clientID));

		const evil = impostor(mentor.doc, mentor.doc.clientID);
		addCard(evil, { type: 'goals', title: 'Nep' }, 'local', { createdBy: child.actorKey });
		const attacker = connect(board.id, child.token, evil);
		expect(await closeCodeOf(attacker)).toBe(CloseCode.invalidUpdate);
		attacker.provider.disconnect();

		addCard(mentor.doc, { type: 'goals', title: 'Echt' }, 'local', { createdBy: 'staff' });
		await eventually(() => titles(r.doc).length === 1);
		expect(titles(r.doc)).toEqual(['Echt']);
	});
});
