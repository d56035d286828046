/**
 * The group commit (server/group-commit.ts) against the real databases: boards that ask while a
 * round runs are written together in the next one, and a board whose rows are refused fails
 * alone while every other board in its round still commits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import * as Y from 'yjs';
import { GroupCommit } from '../../server/group-commit';
import { boardClient, boardUpdate } from '../../src/lib/server/db/schema';
import { createTestDatabase, drivers, type TestDatabase } from '../helpers/db';
import { makeBoard, makeSchool } from '../helpers/factories';

function anUpdate(text: string): Uint8Array {
	const doc = new Y.Doc();
	doc.getMap('cards').set(text, text);
	return Y.encodeStateAsUpdate(doc);
}

describe.each(drivers)('group commit (%s)', (driver) => {
	let database: TestDatabase;
	let boards: string[];

	beforeAll(async () => {
		database = await createTestDatabase(driver);
		const school = await makeSchool(database.db, 'School A');
		boards = [];
		for (let i = 0; i < 20; i++) boards.push((await makeBoard(database.db, school.id)).id);
	});
	afterAll(() => database?.destroy());

	it('writes the boards that ask while a round runs in one next round, each with its claims', async () => {
		const commit = new GroupCommit(() => database.db);
		// The first starts a round at once; the other 19 arrive while it runs.
		const done = boards.map((boardId, i) =>
			commit.append({
				boardId,
				updates: [anUpdate(`a${i}`), anUpdate(`b${i}`)],
				claims: [{ clientId: 1000 + i, actorKey: `staff:${i}` }]
			})
		);
		await Promise.all(done);
		expect(commit.stats).toEqual({ rounds: 2, boards: 20 });
		const rows = await database.db
			.select({ boardId: boardUpdate.boardId })
			.from(boardUpdate)
			.where(inArray(boardUpdate.boardId, boards));
		expect(rows).toHaveLength(40);
		const claims = await database.db
			.select({ boardId: boardClient.boardId, clientId: boardClient.clientId })
			.from(boardClient)
			.where(inArray(boardClient.boardId, boards));
		expect(claims).toHaveLength(20);
	});

	it('a board whose rows are refused fails alone; the others in its round commit', async () => {
		const commit = new GroupCommit(() => database.db);
		const gone = 'doesnotexist2222';
		const first = commit.append({ boardId: boards[0]!, updates: [anUpdate('x')], claims: [] });
		const results = await Promise.allSettled([
			first,
			commit.append({ boardId: boards[1]!, updates: [anUpdate('y')], claims: [] }),
			commit.append({ boardId: gone, updates: [anUpdate('z')], claims: [] }),
			commit.append({ boardId: boards[2]!, updates: [anUpdate('w')], claims: [] })
		]);
		expect(results.map((r) => r.status)).toEqual([
			'fulfilled',
			'fulfilled',
			'rejected',
			'fulfilled'
		]);
		for (const boardId of boards.slice(0, 3)) {
			const rows = await database.db
				.select({ id: boardUpdate.id })
				.from(boardUpdate)
				.where(eq(boardUpdate.boardId, boardId));
			// Two from the first test (boards 0-2 had none before in this test) plus this one.
			expect(rows).toHaveLength(3);
		}
	});
});
