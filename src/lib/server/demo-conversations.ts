/**
 * A past care meeting for the demo school, so a newcomer sees what a zorgoverleg leaves behind:
 * the board with its successes, the child's own words and the agreed actions, and the record of
 * the meeting with its printable summary. Fictional, deterministic, idempotent (only written
 * when the board is created). The record is built from the board's document by the same code
 * the server uses when a meeting ends (buildMeetingRecord), never written by hand.
 */
import * as Y from 'yjs';
import { DAY_MS } from '../board/dates';
import { addCard } from '../board/verbeterbord';
import {
	addWish,
	buildMeetingRecord,
	endMeeting,
	setMeetingCheckIn,
	startMeeting
} from '../board/zorgoverleg';
import type { Database } from './db';
import { board, boardMember, boardUpdate } from './db/schema';
import { storeMeetingRecord } from './zorgoverleg';

export interface DemoCareMeeting {
	boardId: string;
	schoolId: string;
	teamId: string;
	studentId: string;
	childName: string;
	mentor: { id: string; name: string };
	careCoordinator: { id: string; name: string };
}

/** The meeting three weeks ago, at a quarter past two. */
function meetingTime(now: Date): Date {
	const at = new Date(now.getTime() - 21 * DAY_MS);
	at.setHours(14, 15, 0, 0);
	return at;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** What was said, in the order the child led it. */
function meetingDoc(m: DemoCareMeeting, startedAt: Date): Y.Doc {
	const doc = new Y.Doc();
	const origin = 'demo';
	const child = { createdBy: `demo-child-${m.studentId}`, createdByName: m.childName };
	const mentor = { createdBy: m.mentor.id, createdByName: m.mentor.name };
	startMeeting(doc, origin, startedAt);
	setMeetingCheckIn(doc, child.createdBy, { name: m.childName, value: 3 }, origin);
	setMeetingCheckIn(doc, 'demo-parent', { name: 'Moeder van ' + m.childName, value: 2 }, origin);
	setMeetingCheckIn(doc, m.mentor.id, { name: m.mentor.name, value: 3 }, origin);
	setMeetingCheckIn(doc, 'demo-youth-care', { name: 'Jeugdzorg', value: 0 }, origin);
	const on = isoDay(startedAt);
	addCard(doc, { type: 'successes', title: 'Ik ga weer graag naar gym' }, origin, {
		...child,
		on
	});
	addCard(
		doc,
		{ type: 'successes', title: 'Elke ochtend op tijd, al drie weken', who: m.childName },
		origin,
		{ ...mentor, on }
	);
	addWish(
		doc,
		{ title: 'Ik wil vaker hulp vragen als ik vastloop', visibility: 'family' },
		origin,
		{
			...child,
			byChild: true
		}
	);
	addWish(doc, { title: 'In de pauze wil ik niet alleen zijn', visibility: 'care' }, origin, {
		...child,
		byChild: true
	});
	const due = (days: number) => isoDay(new Date(startedAt.getTime() + days * DAY_MS));
	addCard(
		doc,
		{
			type: 'actions',
			title: 'Een vast hulpmoment op maandag en donderdag',
			who: m.mentor.name,
			due: due(14)
		},
		origin,
		{ ...mentor, on }
	);
	addCard(
		doc,
		{
			type: 'actions',
			title: 'Samen een pauzemaatje zoeken',
			who: m.careCoordinator.name,
			due: due(7)
		},
		origin,
		{ ...mentor, on }
	);
	addCard(
		doc,
		{ type: 'actions', title: 'Thuis elke vrijdag de week doornemen', who: 'Ouders', due: due(5) },
		origin,
		{ ...mentor, on }
	);
	return doc;
}

export async function seedDemoPastCareMeeting(db: Database, m: DemoCareMeeting, now = new Date()) {
	const startedAt = meetingTime(now);
	const endedAt = new Date(startedAt.getTime() + 40 * 60 * 1000);
	const doc = meetingDoc(m, startedAt);
	const record = buildMeetingRecord(doc, endedAt);
	endMeeting(doc, 'demo');
	await db.transaction(async (tx) => {
		const [created] = await tx
			.insert(board)
			.values({
				id: m.boardId,
				kind: 'zorgoverleg',
				title: `Zorgoverleg ${m.childName}`,
				schoolId: m.schoolId,
				teamId: m.teamId,
				studentId: m.studentId,
				createdById: m.mentor.id,
				createdAt: startedAt
			})
			.onConflictDoNothing()
			.returning({ id: board.id });
		if (!created) return;
		await tx.insert(boardMember).values({ boardId: m.boardId, userId: m.mentor.id, role: 'owner' });
		// The board after the meeting: its successes, words and actions stay on it.
		await tx.insert(boardUpdate).values({ boardId: m.boardId, data: Y.encodeStateAsUpdate(doc) });
		await storeMeetingRecord(tx, { id: m.boardId, teamId: m.teamId }, record, m.mentor.id);
	});
}
