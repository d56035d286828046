/**
 * Opening many boards at once (a restart's reconnect storm) reads their storage in one
 * transaction: each board must come back exactly as `loadBoardDoc` gives it, and a board whose
 * lock a compaction holds is waited for on its own, never while holding other boards' locks.
 */
import { eq, sql } from 'drizzle-orm';
import { board } from '../../src/lib/server/db/schema';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	appendUpdates,
	compactBoard,
	loadBoardDoc,
	loadBoardDocs,
	loadClientOwners,
	loadClientOwnersOf
} from '../../src/lib/server/board-store';
import { drivers } from '../helpers/db';
import { makeBoard, makeSchool } from '../helpers/factories';
import { runtimeForEachTest } from '../helpers/runtime-hooks';

/** `count` updates of a board's own document, each setting one key of a map. */
function edits(seed: number, count: number): Uint8Array[] {
	const doc = new Y.Doc();
	doc.clientID = 1000 + seed;
	const out: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => out.push(u));
	for (let i = 0; i < count; i++) doc.getMap('cards').set(`c${i}`, `${seed}:${i}`);
	return out;
}

const state = (doc: Y.Doc) => JSON.stringify(doc.getMap('cards').toJSON());

describe.each(drivers)('loading many boards at once (%s)', (driver) => {
	const rt = runtimeForEachTest(driver);

	it('gives every board what loadBoardDoc gives, in the order asked, an id twice included', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const boards = await Promise.all(Array.from({ length: 5 }, () => makeBoard(db, school.id)));
		for (const [i, b] of boards.entries()) {
			const updates = edits(i, 6 + i);
			await appendUpdates(db, b.id, updates.slice(0, 4), [
				{ clientId: 1000 + i, actorKey: `user:${i}` }
			]);
			// Some boards folded into a snapshot, with later rows after its mark.
			if (i % 2 === 0) await compactBoard(db, b.id);
			await appendUpdates(db, b.id, updates.slice(4));
		}
		const asked = [boards[3]!.id, boards[0]!.id, 'no-such-board', boards[4]!.id, boards[0]!.id];
		const many = await loadBoardDocs(db, asked);
		for (const [i, id] of asked.entries()) {
			const one = await loadBoardDoc(db, id);
			expect(state(many[i]!.doc)).toBe(state(one.doc));
			expect(many[i]!.logCount).toBe(one.logCount);
			expect(many[i]!.bytes).toBe(one.bytes);
		}
		expect(state(many[1]!.doc)).toContain('0:5');
		expect(many[1]!.doc).not.toBe(many[4]!.doc);
		const owners = await loadClientOwnersOf(db, asked);
		for (const [i, id] of asked.entries()) {
			expect([...owners[i]!]).toEqual([...(await loadClientOwners(db, id))]);
		}
	});

	it.skipIf(driver === 'pglite')(
		"waits for a board under another transaction's exclusive lock, holding no other board's lock",
		async () => {
			const db = rt.database.db;
			const school = await makeSchool(db);
			const [busy, free] = [await makeBoard(db, school.id), await makeBoard(db, school.id)];
			await appendUpdates(db, busy.id, edits(1, 3));
			await appendUpdates(db, free.id, edits(2, 3));
			let release = () => {};
			let locked = () => {};
			const isLocked = new Promise<void>((resolve) => (locked = resolve));
			const holder = db.transaction(async (tx) => {
				await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'board:' + busy.id}))`);
				locked();
				await new Promise<void>((resolve) => (release = resolve));
			});
			await isLocked;
			let done = false;
			const loading = loadBoardDocs(db, [busy.id, free.id]).then((r) => ((done = true), r));
			await new Promise((resolve) => setTimeout(resolve, 300));
			expect(done).toBe(false);
			// Waiting for the busy board, it holds no lock of the other: a compaction of it runs.
			const [other] = await db.transaction((tx) =>
				tx
					.select({ ok: sql<boolean>`pg_try_advisory_xact_lock(hashtext(${'board:' + free.id}))` })
					.from(board)
					.where(eq(board.id, free.id))
			);
			expect(other!.ok).toBe(true);
			release();
			await holder;
			const [b, f] = await loading;
			expect(state(b!.doc)).toContain('1:2');
			expect(state(f!.doc)).toContain('2:2');
		}
	);
});
