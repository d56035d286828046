/**
 * `eraseCard` writes its audit row in the erasure's own transaction (the board's re-encode):
 * when the audit insert fails, the history is not rewritten either (the marker is still in the
 * stored log), and when the erasure commits, exactly one audit row is there with it.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard, cardsMap } from '../../src/lib/board/verbeterbord';
import { loadBoardDoc } from '../../src/lib/server/board-store';
import type { Actor } from '../../src/lib/server/auth/actor';
import { editBoardDoc } from '../../src/lib/server/board-edit';
import { auditLog } from '../../src/lib/server/db/schema';
import { eraseCard } from '../../src/lib/server/privacy/erase';
import { tablesContaining } from '../helpers/byte-search';
import { drivers } from '../helpers/db';
import { asUser, makeBoard, makeSchool, makeUser } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

describe.each(drivers)('the card erasure and its audit row commit together (%s)', (driver) => {
	let rt: TestRuntime;
	let admin: Actor;
	let schoolId: string, boardId: string;

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const db = rt.database.db;
		const s = await makeSchool(db);
		schoolId = s.id;
		admin = asUser(await makeUser(db, s.id, { role: 'admin' }));
		boardId = (await makeBoard(db, s.id)).id;
		for (const [id, title] of [
			['cardA', 'Merkteken-Alfa-7731'],
			['cardB', 'Merkteken-Bravo-7731']
		] as const) {
			await editBoardDoc(
				boardId,
				(doc) => addCard(doc, { type: 'ideas', title }, null, { id }),
				{},
				rt.runtime
			);
		}
	});
	afterAll(async () => {
		await rt.close();
	});

	const erasures = () =>
		rt.database.db.select().from(auditLog).where(eq(auditLog.action, 'card.erase'));

	it('an audit insert that fails leaves the history as it was', async () => {
		const db = rt.database.db;
		// One statement per call: PostgreSQL's extended protocol takes no more.
		await db.execute(
			sql.raw(`create function refuse_audit() returns trigger language plpgsql as $$
				begin raise exception 'audit refused by the test'; end $$`)
		);
		await db.execute(
			sql.raw(`create trigger refuse_audit before insert on audit_log
				for each row execute function refuse_audit()`)
		);
		try {
			await expect(
				eraseCard(rt.runtime, schoolId, { kind: 'card', boardId, cardId: 'cardA' }, admin)
			).rejects.toThrow();
		} finally {
			await db.execute(sql.raw('drop trigger refuse_audit on audit_log'));
			await db.execute(sql.raw('drop function refuse_audit()'));
		}
		expect(await erasures()).toHaveLength(0);
		// The live deletion went through (its own step), but the history was not rewritten: the
		// text is still stored, and the board's next re-encode folds it away (below).
		expect(cardsMap((await loadBoardDoc(db, boardId)).doc).has('cardA')).toBe(false);
		expect(await tablesContaining(db, 'Merkteken-Alfa-7731')).not.toEqual([]);
	});

	it('an erasure that commits has its one audit row, and its text is gone', async () => {
		const db = rt.database.db;
		expect(await tablesContaining(db, 'Merkteken-Bravo-7731')).not.toEqual([]);
		const result = await eraseCard(
			rt.runtime,
			schoolId,
			{ kind: 'card', boardId, cardId: 'cardB' },
			admin
		);
		expect(result).toBe('erased');
		expect(await tablesContaining(db, 'Merkteken-Bravo-7731')).toEqual([]);
		const rows = await erasures();
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ subjectId: boardId, schoolId });
		// The re-encode also folded away the card the failed attempt had deleted.
		expect(await tablesContaining(db, 'Merkteken-Alfa-7731')).toEqual([]);
	});
});
