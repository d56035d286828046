/**
 * After an erasure commits, the tables it touched are vacuumed (rewritten) and checkpointed, so
 * a byte search over the embedded database's files (PGlite under DATA_DIR) no longer finds the
 * erased text in any table file: found before, 0 hits after. The write-ahead log (pg_wal) is
 * left out of the count and reported: it keeps the text until its segments are overwritten
 * (README, privacy section).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCard } from '../../src/lib/board/verbeterbord';
import { editBoardDoc } from '../../src/lib/server/board-edit';
import { compactBoard } from '../../src/lib/server/board-store';
import { loadConfig } from '../../src/lib/server/config';
import { setRuntime, type Runtime } from '../../src/lib/server/runtime';
import { eraseCard, eraseStudentData } from '../../src/lib/server/privacy/erase';
import { student } from '../../src/lib/server/db/schema';
import { eq } from 'drizzle-orm';
import { filesContaining, tablesContaining } from '../helpers/byte-search';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { asUser, makeBoard, makeSchool, makeStudent, makeUser } from '../helpers/factories';

describe('erasure and the database files (PGlite on disk)', () => {
	let dataDir: string;
	let database: TestDatabase;
	let runtime: Runtime;

	beforeEach(async () => {
		dataDir = await mkdtemp(path.join(tmpdir(), 'groeibord-vacuum-'));
		database = await createTestDatabase('pglite', { dataDir });
		runtime = {
			config: loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir }),
			database,
			services: {},
			closers: []
		};
		setRuntime(runtime);
	});
	afterEach(async () => {
		setRuntime(undefined);
		await database.destroy();
		await rm(dataDir, { recursive: true, force: true });
	});

	/** Files holding `text`, split into the write-ahead log and everything else. */
	async function onDisk(text: string) {
		await database.db.execute(sql`checkpoint`);
		const hits = await filesContaining(dataDir, text);
		const inWal = (file: string) => file.split(path.sep).includes('pg_wal');
		return { tables: hits.filter((f) => !inWal(f)), wal: hits.filter(inWal) };
	}

	it('an erased card is in no table file after the erasure', async () => {
		const db = database.db;
		const s = await makeSchool(db);
		const admin = asUser(await makeUser(db, s.id, { role: 'admin' }));
		const b = await makeBoard(db, s.id);
		const marker = 'SCHIJF-merk-8841';
		for (const [id, title] of [
			['gone', `${marker} weg`],
			['stays', 'Blijft staan']
		] as const) {
			await editBoardDoc(
				b.id,
				(doc) => addCard(doc, { type: 'ideas', title }, null, { id }),
				{},
				runtime
			);
		}
		// In the snapshot as well as in the log.
		await compactBoard(db, b.id);
		await editBoardDoc(
			b.id,
			(doc) => addCard(doc, { type: 'ideas', title: `${marker} nog een` }, null, { id: 'gone2' }),
			{},
			runtime
		);
		const before = await onDisk(marker);
		expect(before.tables.length).toBeGreaterThan(0);

		for (const cardId of ['gone', 'gone2']) {
			expect(await eraseCard(runtime, s.id, { kind: 'card', boardId: b.id, cardId }, admin)).toBe(
				'erased'
			);
		}
		expect(await tablesContaining(db, marker)).toEqual([]);
		const after = await onDisk(marker);
		expect(after.tables).toEqual([]);
		// Reported, not asserted: the write-ahead log may keep the text until it is overwritten.
		console.info(`erased marker still in ${after.wal.length} WAL segment(s)`);
	});

	/** Each table's file node: VACUUM FULL writes a table anew, under a new node. */
	async function fileNodes(): Promise<Map<string, number>> {
		const result = await database.db.execute(
			sql`select relname as name, relfilenode as node from pg_class
				where relkind = 'r' and relnamespace = 'public'::regnamespace`
		);
		const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{
			name: string;
			node: number;
		}>;
		return new Map(rows.map((r) => [r.name, Number(r.node)]));
	}

	it("an erased student's name is in no table file after the erasure", async () => {
		const db = database.db;
		const s = await makeSchool(db);
		const admin = asUser(await makeUser(db, s.id, { role: 'admin' }));
		const pupil = await makeStudent(db, s.id);
		await db
			.update(student)
			.set({ firstName: 'Wisvoornaam', lastName: 'Schijfachternaam' })
			.where(eq(student.id, pupil.id));
		const before = await onDisk('Schijfachternaam');
		expect(before.tables.length).toBeGreaterThan(0);
		const nodes = await fileNodes();
		const started = performance.now();
		await eraseStudentData(runtime, s.id, pupil.id, admin);
		console.info(`student erasure with vacuum: ${Math.round(performance.now() - started)} ms`);
		expect(await tablesContaining(db, 'Schijfachternaam')).toEqual([]);
		expect((await onDisk('Schijfachternaam')).tables).toEqual([]);
		// Only the tables the erasure touched were rewritten (and locked): not the school's
		// staff, teams or audit log, which hold nothing of the student.
		const after = await fileNodes();
		const rewritten = [...after].filter(([name, node]) => nodes.get(name) !== node).map(([n]) => n);
		expect(rewritten).toEqual(expect.arrayContaining(['student', 'board', 'board_update']));
		for (const untouched of ['school', 'user', 'team', 'audit_log', 'login_attempt']) {
			expect(rewritten).not.toContain(untouched);
		}
	});
});
