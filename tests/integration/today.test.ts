/**
 * The first screen ("Vandaag") per role, on the real database: each staff member sees their own
 * week (sessions due on their team's boards, their students without an update, open review
 * questions, their own actions), an admin also the care meetings to come; nothing of another
 * school and nothing of a care board they may not open, even when an action there bears their name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, type CardInput } from '../../src/lib/board/verbeterbord';
import { SESSION_RECORD } from '../../src/lib/board/verbeterbord-records.server';
import { loadRound } from '../../src/lib/server/auth/permissions';
import type { Database } from '../../src/lib/server/db';
import { boardRecord, boardUpdate } from '../../src/lib/server/db/schema';
import { createRound, decide } from '../../src/lib/server/review';
import { todayFor } from '../../src/lib/server/today';
import { recordStudentEvent } from '../../src/lib/server/voortgang';
import { drivers } from '../helpers/db';
import {
	asUser,
	makeBoard,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser
} from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

// A Wednesday: the week runs from Monday 7 to Sunday 13 December.
const now = new Date('2026-12-09T10:00:00');

async function withCards(db: Database, boardId: string, cards: CardInput[]) {
	const doc = new Y.Doc();
	for (const card of cards) {
		addCard(doc, card, 'test', { createdBy: 'x', createdByName: 'X', on: '2026-12-01' });
	}
	await db.insert(boardUpdate).values({ boardId, data: Y.encodeStateAsUpdate(doc) });
}

const action = (title: string, who: string, due: string): CardInput => ({
	type: 'actions',
	title,
	who,
	due
});

describe.each(drivers)('the first screen per role (%s)', (driver) => {
	let rt: TestRuntime;
	const ids = {} as Record<string, string>;
	let mentor: ReturnType<typeof asUser>;
	let colleague: ReturnType<typeof asUser>;
	let admin: ReturnType<typeof asUser>;
	let otherMentor: ReturnType<typeof asUser>;

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const db = rt.database.db;
		const school = await makeSchool(db, 'School A');
		const m = await makeUser(db, school.id, { name: 'Mehmet Yilmaz' });
		const c = await makeUser(db, school.id, { name: 'Daan de Vries' });
		const a = await makeUser(db, school.id, { name: 'Ilse Bakker', role: 'admin' });
		const team = await makeTeam(db, school.id, [m.id, c.id, a.id]);
		[mentor, colleague, admin] = [asUser(m), asUser(c), asUser(a)];

		const verb = await makeBoard(db, school.id, { teamId: team.id, kind: 'verbeterbord' });
		const zorg = await makeBoard(db, school.id, { teamId: team.id, kind: 'zorgbord' });
		const wall = await makeBoard(db, school.id, { teamId: team.id, kind: 'voortgangsbord' });
		await withCards(db, verb.id, [
			action('Rooster delen', 'Mehmet Yilmaz', '2026-12-10'),
			action('Ouderavond plannen', 'Daan de Vries', '2026-12-10'),
			action('Later', 'Mehmet Yilmaz', '2027-01-20')
		]);
		// The verbeterbord held its session last week, the zorgbord this Monday.
		for (const [boardId, startedAt] of [
			[verb.id, '2026-12-02T08:30:00.000Z'],
			[zorg.id, '2026-12-07T08:30:00.000Z']
		] as const) {
			await db
				.insert(boardRecord)
				.values({ boardId, teamId: team.id, kind: SESSION_RECORD, key: startedAt, data: {} });
		}

		const noor = await makeStudent(db, school.id, { teamId: team.id, mentorId: m.id });
		const sem = await makeStudent(db, school.id, { teamId: team.id, mentorId: m.id });
		const julia = await makeStudent(db, school.id, { teamId: team.id, mentorId: c.id });
		// Sem had his update on Tuesday; Noor's last one was in the week before.
		for (const [studentId, at] of [
			[sem.id, '2026-12-08T09:00:00'],
			[noor.id, '2026-12-04T09:00:00']
		] as const) {
			const id = await recordStudentEvent(db, {
				boardId: wall.id,
				studentId,
				update: { stoplight: 'green', flags: [], note: '' },
				by: { actor: mentor, role: 'owner' },
				at: new Date(at)
			});
			expect(id).not.toBeNull();
		}

		// Noor's care meeting, Mehmet's; Julia's, Daan's, with an action in Mehmet's name.
		const noorCare = await makeBoard(db, school.id, {
			teamId: team.id,
			kind: 'zorgoverleg',
			studentId: noor.id,
			members: [[m.id, 'owner']]
		});
		const juliaCare = await makeBoard(db, school.id, {
			teamId: team.id,
			kind: 'zorgoverleg',
			studentId: julia.id,
			members: [[c.id, 'owner']]
		});
		await withCards(db, juliaCare.id, [
			action('Gesprek met moeder', 'Mehmet Yilmaz', '2026-12-08')
		]);

		const round = await createRound(db, mentor, { teamId: team.id, title: 'Rapport 1' });
		if (!round.ok) throw new Error('round');
		const r = (await loadRound(db, school.id, round.value))!;
		expect(
			(await decide(db, mentor, r, noor.id, { status: 'question', question: 'Naar vwo?' })).ok
		).toBe(true);

		// Another school, with a person of the same name and a board due.
		const schoolB = await makeSchool(db, 'School B');
		const b = await makeUser(db, schoolB.id, { name: 'Mehmet Yilmaz' });
		const teamB = await makeTeam(db, schoolB.id, [b.id]);
		const verbB = await makeBoard(db, schoolB.id, { teamId: teamB.id, kind: 'verbeterbord' });
		await withCards(db, verbB.id, [action('Van school B', 'Mehmet Yilmaz', '2026-12-10')]);
		await makeStudent(db, schoolB.id, { teamId: teamB.id, mentorId: b.id });
		otherMentor = asUser(b);

		Object.assign(ids, {
			verb: verb.id,
			zorg: zorg.id,
			wall: wall.id,
			noor: noor.id,
			sem: sem.id,
			julia: julia.id,
			noorCare: noorCare.id,
			juliaCare: juliaCare.id,
			verbB: verbB.id
		});
	});
	afterAll(async () => {
		await rt?.close();
	});

	it("shows a mentor this week's sessions, own students, questions and own actions only", async () => {
		const t = await todayFor(rt.database.db, mentor, now);
		expect(t).toMatchObject({ weekStart: '2026-12-07', weekEnd: '2026-12-13', canCreate: true });
		expect(t.admin).toBeNull();
		expect(t.sessions.map((s) => [s.id, s.due]).sort()).toEqual(
			[
				[ids.verb, true],
				[ids.zorg, false]
			].sort()
		);
		expect(t.noUpdate).toEqual({
			students: [{ id: ids.noor, name: 'Kim Test' }],
			wallId: ids.wall
		});
		expect(t.questions).toEqual([
			{
				roundId: expect.any(String),
				roundTitle: 'Rapport 1',
				studentName: 'Kim Test',
				question: 'Naar vwo?'
			}
		]);
		// Not the action in his name on Julia's care board: he may not open that board.
		expect(t.actions.map((a) => [a.title, a.boardId])).toEqual([['Rooster delen', ids.verb]]);
	});

	it('shows a colleague their own students and actions, not the mentor’s', async () => {
		const t = await todayFor(rt.database.db, colleague, now);
		expect(t.noUpdate.students.map((s) => s.id)).toEqual([ids.julia]);
		expect(t.actions.map((a) => a.title)).toEqual(['Ouderavond plannen']);
	});

	it('shows an admin the care meetings not held yet and the retention count', async () => {
		const t = await todayFor(rt.database.db, admin, now);
		expect(t.admin?.careMeetings.map((b) => b.id).sort()).toEqual(
			[ids.noorCare, ids.juliaCare].sort()
		);
		expect(t.admin?.retentionDue).toBe(0);
		// An admin is no one's mentor here: no students of theirs are waiting.
		expect(t.noUpdate.students).toEqual([]);
	});

	it('shows a namesake in another school nothing of school A', async () => {
		const t = await todayFor(rt.database.db, otherMentor, now);
		const seen = JSON.stringify(t);
		for (const id of Object.entries(ids)
			.filter(([k]) => k !== 'verbB')
			.map(([, v]) => v)) {
			expect(seen).not.toContain(id);
		}
		expect(t.actions.map((a) => a.title)).toEqual(['Van school B']);
		expect(t.questions).toEqual([]);
	});
});
