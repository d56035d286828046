/**
 * The demo's past: eight weekly sessions on the demo verbeterbord and zorgbord, replayed through
 * the board operations and kept by the server's own record code, once however often the demo is
 * seeded, and the same every time for the same day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { getSession, listCards } from '../../src/lib/board/verbeterbord';
import {
	listSessionRecords,
	listTeamSuccesses,
	SUCCESS_RECORD
} from '../../src/lib/board/verbeterbord-records.server';
import { loadBoardDoc } from '../../src/lib/server/board-store';
import { DEMO_TEAM_ID, demoAccounts, demoBoards, seedDemo } from '../../src/lib/server/demo';
import { loadProgressWall } from '../../src/lib/server/voortgang';
import { seedDemoBoardHistory, sessionStart } from '../../src/lib/server/demo-history';
import {
	board,
	boardRecord,
	reviewAction,
	reviewAdvice,
	reviewDecision,
	reviewRound,
	user
} from '../../src/lib/server/db/schema';
import { DEMO_REVIEW_ROUND_ID } from '../../src/lib/server/demo-review';
import { readActions } from '../../src/lib/board/voortgang';
import { drivers } from '../helpers/db';
import { asUser, makeBoard, makeSchool, makeTeam, makeUser } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const [verb, zorg, voortgang] = demoBoards;

describe.each(drivers)('the demo history (%s)', (driver) => {
	let rt: TestRuntime;

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		await seedDemo(rt.database.db);
		await seedDemo(rt.database.db);
	});
	afterAll(async () => {
		await rt?.close();
	});

	it('keeps eight weekly sessions per board, newest last week, once', async () => {
		const db = rt.database.db;
		for (const b of [verb!, zorg!]) {
			const records = await listSessionRecords(db, b.id);
			expect(records).toHaveLength(8);
			const starts = records.map((r) => r.data.startedAt);
			expect(starts[0]).toBe(sessionStart(new Date(), 1).toISOString());
			// A week apart, newest first; each kept when it ended.
			for (let i = 1; i < starts.length; i++) {
				expect(Date.parse(starts[i - 1]!) - Date.parse(starts[i]!)).toBeGreaterThan(6 * 86400_000);
			}
			for (const r of records) {
				expect(r.createdAt.toISOString()).toBe(r.data.endedAt);
				expect(r.data.checkins).toHaveLength(3);
				expect(r.data.leader).not.toBe('');
			}
			// Last week's actions were reviewed from the second session on; new ones taken on.
			expect(records.slice(0, -1).every((r) => r.data.reviewed.length > 0)).toBe(true);
			expect(records.every((r) => r.data.newActions.length > 0)).toBe(true);
			expect(records.every((r) => r.data.successes.length > 0)).toBe(true);
		}
	});

	it('archives every success once and leaves the board ready for this week', async () => {
		const db = rt.database.db;
		const archived = await db
			.select({ key: boardRecord.key })
			.from(boardRecord)
			.where(and(eq(boardRecord.boardId, verb!.id), eq(boardRecord.kind, SUCCESS_RECORD)));
		const said = (await listSessionRecords(db, verb!.id)).flatMap((r) => r.data.successes);
		expect(archived).toHaveLength(said.length);
		expect((await listTeamSuccesses(db, DEMO_TEAM_ID)).length).toBeGreaterThanOrEqual(said.length);

		const { doc } = await loadBoardDoc(db, verb!.id);
		expect(getSession(doc).active).toBe(false);
		const open = listCards(doc, 'actions').filter(
			(a) => a.type === 'actions' && a.status !== 'done'
		);
		expect(open.length).toBeGreaterThan(0);
		// Done actions of earlier weeks are cleared (their records keep them); only what the last
		// session marked done is still on the board.
		const [last] = await listSessionRecords(db, verb!.id);
		const doneLast = last!.data.reviewed.filter((r) => r.outcome === 'done').map((r) => r.title);
		const doneOnBoard = listCards(doc, 'actions')
			.filter((a) => a.type === 'actions' && a.status === 'done')
			.map((a) => a.title);
		expect(doneOnBoard.length).toBeGreaterThan(0);
		expect(doneOnBoard.length).toBeLessThanOrEqual(doneLast.length);
		for (const title of doneOnBoard) expect(doneLast).toContain(title);
		expect(listCards(doc, 'goals')).toHaveLength(2);
		doc.destroy();
	});

	it('the demo progress wall is a primary school’s: its flags and questions never mention an internship', async () => {
		const db = rt.database.db;
		const [wall] = await db.select().from(board).where(eq(board.id, voortgang!.id));
		const [mentor] = await db.select().from(user).where(eq(user.id, demoAccounts[1].id));
		const data = await loadProgressWall(db, wall!, asUser(mentor!));
		expect(data.flags.map((f) => f.id)).toEqual(['verzuim', 'welbevinden', 'leerlijn']);
		expect(JSON.stringify(data.flags)).not.toMatch(/stage/i);
		// The history raises the school's own flags, so the wall has concerns to ask about.
		const concerns = data.signals.filter((s) => s.kind === 'concern');
		expect(concerns.length).toBeGreaterThan(0);
		const known = new Set(data.flags.map((f) => f.id));
		expect(concerns.every((s) => s.kind === 'concern' && known.has(s.flag))).toBe(true);
		expect(JSON.stringify(data.students)).not.toMatch(/stage/i);
	});

	it('holds one past leerlingbespreking and one monthly discussion, however often it is seeded', async () => {
		const db = rt.database.db;
		const rounds = await db.select().from(reviewRound).where(eq(reviewRound.teamId, DEMO_TEAM_ID));
		expect(rounds.map((r) => r.id)).toEqual([DEMO_REVIEW_ROUND_ID]);
		expect(rounds[0]!.closedAt!.getTime()).toBeLessThan(Date.now());
		const advice = await db
			.select()
			.from(reviewAdvice)
			.where(eq(reviewAdvice.roundId, DEMO_REVIEW_ROUND_ID));
		// Every stoplight comes with a concrete advice.
		expect(advice).toHaveLength(16);
		expect(advice.every((a) => a.advice.trim().length > 0)).toBe(true);
		const questions = (
			await db.select().from(reviewDecision).where(eq(reviewDecision.roundId, DEMO_REVIEW_ROUND_ID))
		).filter((d) => d.status === 'question');
		expect(questions).toHaveLength(2);
		const outcomes = await db
			.select()
			.from(reviewAction)
			.where(eq(reviewAction.roundId, DEMO_REVIEW_ROUND_ID));
		expect(outcomes.map((o) => o.studentId).sort()).toEqual(
			questions.map((q) => q.studentId).sort()
		);

		const { doc } = await loadBoardDoc(db, voortgang!.id);
		const agreed = readActions(doc);
		doc.destroy();
		expect(agreed).toHaveLength(3);
		expect(agreed.filter((a) => a.done)).toHaveLength(1);
	});

	it('replays the same past for the same board and day', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const people = [
			await makeUser(db, school.id, { name: 'Anna' }),
			await makeUser(db, school.id, { name: 'Bas' })
		];
		const team = await makeTeam(
			db,
			school.id,
			people.map((p) => p.id)
		);
		const now = new Date('2026-12-09T10:00:00');
		const runs = [];
		for (let i = 0; i < 2; i++) {
			const b = await makeBoard(db, school.id, { teamId: team.id, kind: 'verbeterbord' });
			// Same seed for both: the generator is seeded by the board id, so seed by a fixed one.
			expect(await seedDemoBoardHistory(db, b, people, now, 3, 'fixed-seed')).toEqual({
				sessions: 3
			});
			expect(await seedDemoBoardHistory(db, b, people, now, 3, 'fixed-seed')).toEqual({
				sessions: 0
			});
			runs.push((await listSessionRecords(db, b.id)).map((r) => r.data));
		}
		expect(runs[0]).toEqual(runs[1]);
		expect(runs[0]!.map((r) => r.startedAt.slice(0, 10))).toEqual([
			'2026-11-30',
			'2026-11-23',
			'2026-11-16'
		]);
	});
});
