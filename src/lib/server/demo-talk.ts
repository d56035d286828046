/**
 * A past three-way talk for the demo school, so a newcomer sees what a driehoeksgesprek leaves
 * behind: the board with the student's goals, the three views and the agreed goal, its record
 * with the printable summary, the assessments and the agreed goal on the student. Fictional,
 * deterministic, idempotent (only written when the board is created). Record, assessments and
 * goal are derived from the board's document by the same code the server uses when a talk ends.
 */
import * as Y from 'yjs';
import { defaultLeerhouding } from '../board/criteria';
import { DAY_MS } from '../board/dates';
import {
	addEvidence,
	addGoalAction,
	agreeGoal,
	buildTalkRecord,
	endTalk,
	setView
} from '../board/driehoeksgesprek';
import { addWish } from '../board/zorgoverleg';
import type { Database } from './db';
import { board, boardMember, boardUpdate } from './db/schema';
import { recordTalkAssessments, recordTalkGoals, storeTalkRecord } from './driehoeksgesprek';
import { loadCriteriaVersion, talkCriteriaVersion } from './criteria';

export interface DemoTalk {
	boardId: string;
	schoolId: string;
	teamId: string;
	studentId: string;
	studentName: string;
	mentor: { id: string; name: string };
}

/** What was prepared and said, two weeks ago. */
function talkDoc(t: DemoTalk, heldAt: Date): Y.Doc {
	const doc = new Y.Doc();
	const origin = 'demo';
	const student = { createdBy: `demo-student-${t.studentId}`, createdByName: t.studentName };
	const parent = { createdBy: 'demo-parent-talk', createdByName: 'Vader van ' + t.studentName };
	const mentor = { createdBy: t.mentor.id, createdByName: t.mentor.name };
	const wish = addWish(
		doc,
		{ title: 'Ik wil eerder beginnen aan mijn huiswerk', visibility: 'family' },
		origin,
		{ ...student, byChild: true }
	);
	setView(
		doc,
		{ criterion: 'plannen', level: 'soms', note: 'Met mijn planner lukt het beter' },
		'student',
		origin,
		student
	);
	setView(doc, { criterion: 'hulp-vragen', level: 'begin' }, 'student', origin, student);
	setView(doc, { criterion: 'plannen', level: 'soms' }, 'mentor', origin, mentor);
	setView(
		doc,
		{ criterion: 'hulp-vragen', level: 'soms', note: 'Vraagt het na de les' },
		'mentor',
		origin,
		mentor
	);
	setView(
		doc,
		{ criterion: 'plannen', level: 'begin', note: 'Thuis begint hij pas laat' },
		'parent',
		origin,
		parent
	);
	addEvidence(doc, { title: 'Mijn weekplanning van de toetsweek' }, origin, student);
	const due = (days: number) =>
		new Date(heldAt.getTime() + days * DAY_MS).toISOString().slice(0, 10);
	const goal = agreeGoal(
		doc,
		{
			title: 'Ik wil eerder beginnen aan mijn huiswerk',
			fromCard: wish.ok ? wish.value : undefined,
			targetDate: due(42)
		},
		origin,
		mentor
	);
	if (goal.ok) {
		addGoalAction(
			doc,
			goal.value,
			{ title: 'Elke maandag de week plannen', who: t.studentName, due: due(7) },
			origin,
			mentor
		);
		addGoalAction(
			doc,
			goal.value,
			{ title: 'Na drie weken samen kijken hoe het gaat', who: t.mentor.name, due: due(21) },
			origin,
			mentor
		);
	}
	return doc;
}

export async function seedDemoPastTalk(db: Database, t: DemoTalk, now = new Date()) {
	const heldAt = new Date(now.getTime() - 14 * DAY_MS);
	heldAt.setHours(16, 0, 0, 0);
	const doc = talkDoc(t, heldAt);
	await db.transaction(async (tx) => {
		const versionId = await talkCriteriaVersion(tx, t.schoolId, t.teamId, t.mentor.id);
		const [created] = await tx
			.insert(board)
			.values({
				id: t.boardId,
				kind: 'driehoeksgesprek',
				title: `Driehoeksgesprek ${t.studentName}`,
				schoolId: t.schoolId,
				teamId: t.teamId,
				studentId: t.studentId,
				createdById: t.mentor.id,
				createdAt: heldAt,
				criteriaVersionId: versionId
			})
			.onConflictDoNothing()
			.returning({ id: board.id });
		if (!created) return;
		const content =
			(await loadCriteriaVersion(tx, t.schoolId, versionId)) ?? defaultLeerhouding.content;
		const endedAt = new Date(heldAt.getTime() + 30 * 60 * 1000);
		const record = buildTalkRecord(doc, { versionId, content }, endedAt);
		endTalk(doc, 'demo', endedAt);
		await tx.insert(boardMember).values({ boardId: t.boardId, userId: t.mentor.id, role: 'owner' });
		await tx.insert(boardUpdate).values({ boardId: t.boardId, data: Y.encodeStateAsUpdate(doc) });
		const b = { id: t.boardId, teamId: t.teamId, schoolId: t.schoolId };
		await storeTalkRecord(tx, b, record, t.mentor.id);
		await recordTalkAssessments(tx, b, t.studentId, record, endedAt);
		await recordTalkGoals(tx, b, t.studentId, record, endedAt);
	});
}
