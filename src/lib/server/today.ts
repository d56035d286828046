/**
 * The first screen of a signed-in staff member ("Vandaag"): what is on this week and where to
 * start. Everything here is read through the one policy: boards come from `listBoardsFor`
 * (so a colleague never sees another student's care board), review questions from `roundsFor`,
 * students are the actor's own (mentor) and all of the actor's school, in the query.
 */
import { and, desc, eq, gte, inArray, isNull } from 'drizzle-orm';
import { personalBoardKinds, type BoardKind } from '../board/kinds';
import { actionsDueFor, sessionDue, weekOf, type DueAction } from '../board/today';
import { listCards } from '../board/verbeterbord';
import { SESSION_RECORD } from '../board/verbeterbord-records.server';
import type { UserActor } from './access/guards';
import { teamsForUser } from './access/teams';
import { loadBoardDoc } from './board-store';
import { listBoardsFor } from './boards';
import { sessionBoardKinds } from './bordsessie';
import type { Database } from './db';
import {
	boardRecord,
	reviewAction,
	reviewDecision,
	student,
	studentEvent,
	teamMember
} from './db/schema';
import { runRetention } from './privacy/retention';
import { roundsFor } from './review';

export interface TodayBoard {
	id: string;
	kind: BoardKind;
	title: string;
	teamName: string | null;
}

export interface Today {
	weekStart: string;
	weekEnd: string;
	/** Team boards with a weekly session, and whether this week's is still to be held. */
	sessions: Array<TodayBoard & { due: boolean; lastSessionAt: string | null }>;
	/** The actor's own students without a progress-wall update since Monday. */
	noUpdate: { students: Array<{ id: string; name: string }>; wallId: string | null };
	/** Big questions of open student reviews still waiting for the plenary meeting. */
	questions: Array<{ roundId: string; roundTitle: string; studentName: string; question: string }>;
	/** The actor's own open actions (by name) due this week or overdue, on any board they see. */
	actions: Array<DueAction & { boardId: string; boardTitle: string }>;
	/** How to start a board: the teams they may create one in. */
	canCreate: boolean;
	/** For an admin (IB'er): care meetings not yet held, and what retention would delete. */
	admin: {
		careMeetings: TodayBoard[];
		retentionDue: number;
	} | null;
}

const teamSessionKinds = [...sessionBoardKinds].filter((k) => !personalBoardKinds.includes(k));

export async function todayFor(db: Database, actor: UserActor, now = new Date()): Promise<Today> {
	const me = actor.user;
	const week = weekOf(now);
	const [boards, myTeams, createTeams] = await Promise.all([
		listBoardsFor(db, actor),
		db.select({ id: teamMember.teamId }).from(teamMember).where(eq(teamMember.userId, me.id)),
		teamsForUser(db, me)
	]);
	const teamIds = new Set(myTeams.map((t) => t.id));
	const teamBoards = boards.filter(
		(b) => teamSessionKinds.includes(b.kind) && b.teamId !== null && teamIds.has(b.teamId)
	);

	const [lastSessions, noUpdate, questions, actions, admin] = await Promise.all([
		lastSessionStarts(
			db,
			teamBoards.map((b) => b.id)
		),
		studentsWithoutUpdate(db, actor, week.startAt, boards),
		openQuestions(db, actor),
		ownActions(db, me.name, boards, now),
		me.role === 'admin' ? adminToday(db, actor, boards, now) : null
	]);

	return {
		weekStart: week.start,
		weekEnd: week.end,
		sessions: teamBoards.map((b) => {
			const last = lastSessions.get(b.id) ?? null;
			return { ...toItem(b), due: sessionDue(last, now), lastSessionAt: last };
		}),
		noUpdate,
		questions,
		actions,
		canCreate: createTeams.length > 0,
		admin
	};
}

type Listed = Awaited<ReturnType<typeof listBoardsFor>>[number];

function toItem(b: Listed): TodayBoard {
	return { id: b.id, kind: b.kind, title: b.title, teamName: b.teamName };
}

/** The start of each board's newest kept session (the record's key is its session start). */
async function lastSessionStarts(db: Database, boardIds: string[]) {
	const last = new Map<string, string>();
	if (boardIds.length === 0) return last;
	const rows = await db
		.select({ boardId: boardRecord.boardId, key: boardRecord.key })
		.from(boardRecord)
		.where(and(inArray(boardRecord.boardId, boardIds), eq(boardRecord.kind, SESSION_RECORD)))
		.orderBy(desc(boardRecord.createdAt));
	for (const r of rows) if (r.key && !last.has(r.boardId)) last.set(r.boardId, r.key);
	return last;
}

async function studentsWithoutUpdate(
	db: Database,
	actor: UserActor,
	since: Date,
	boards: Listed[]
): Promise<Today['noUpdate']> {
	const mine = await db
		.select({
			id: student.id,
			firstName: student.firstName,
			lastName: student.lastName,
			teamId: student.teamId
		})
		.from(student)
		.where(
			and(
				eq(student.schoolId, actor.user.schoolId),
				eq(student.mentorId, actor.user.id),
				isNull(student.leftAt)
			)
		)
		.orderBy(student.firstName, student.lastName);
	if (mine.length === 0) return { students: [], wallId: null };
	const updated = await db
		.selectDistinct({ id: studentEvent.studentId })
		.from(studentEvent)
		.where(
			and(
				inArray(
					studentEvent.studentId,
					mine.map((s) => s.id)
				),
				eq(studentEvent.kind, 'update'),
				gte(studentEvent.createdAt, since)
			)
		);
	const done = new Set(updated.map((r) => r.id));
	const waiting = mine.filter((s) => !done.has(s.id));
	// The progress wall where those updates are made: the one of the first waiting student's team.
	const wall = boards.find(
		(b) => b.kind === 'voortgangsbord' && waiting.some((s) => s.teamId === b.teamId)
	);
	return {
		students: waiting.map((s) => ({ id: s.id, name: `${s.firstName} ${s.lastName}`.trim() })),
		wallId: wall?.id ?? null
	};
}

async function openQuestions(db: Database, actor: UserActor): Promise<Today['questions']> {
	const rounds = (await roundsFor(db, actor)).filter((r) => r.closedAt === null);
	if (rounds.length === 0) return [];
	const ids = rounds.map((r) => r.id);
	const [asked, answered] = await Promise.all([
		db
			.select({
				roundId: reviewDecision.roundId,
				studentId: reviewDecision.studentId,
				question: reviewDecision.question,
				firstName: student.firstName,
				lastName: student.lastName
			})
			.from(reviewDecision)
			.innerJoin(student, eq(student.id, reviewDecision.studentId))
			.where(
				and(
					inArray(reviewDecision.roundId, ids),
					eq(reviewDecision.status, 'question'),
					eq(student.schoolId, actor.user.schoolId)
				)
			)
			.orderBy(student.firstName),
		db
			.select({ roundId: reviewAction.roundId, studentId: reviewAction.studentId })
			.from(reviewAction)
			.where(inArray(reviewAction.roundId, ids))
	]);
	const settled = new Set(answered.map((a) => `${a.roundId}/${a.studentId}`));
	const titles = new Map(rounds.map((r) => [r.id, r.title]));
	return asked
		.filter((q) => !settled.has(`${q.roundId}/${q.studentId}`))
		.map((q) => ({
			roundId: q.roundId,
			roundTitle: titles.get(q.roundId) ?? '',
			studentName: `${q.firstName} ${q.lastName}`.trim(),
			question: q.question
		}));
}

/** Boards whose document holds actions with a "who": the verbeterbord family. */
async function ownActions(db: Database, name: string, boards: Listed[], now: Date) {
	const out: Today['actions'] = [];
	for (const b of boards) {
		if (!sessionBoardKinds.has(b.kind)) continue;
		const { doc } = await loadBoardDoc(db, b.id);
		try {
			for (const a of actionsDueFor(listCards(doc, 'actions'), name, now)) {
				out.push({ ...a, boardId: b.id, boardTitle: b.title });
			}
		} finally {
			doc.destroy();
		}
	}
	return out.sort((a, b) => a.due.localeCompare(b.due));
}

async function adminToday(
	db: Database,
	actor: UserActor,
	boards: Listed[],
	now: Date
): Promise<NonNullable<Today['admin']>> {
	const meetings = boards.filter((b) => b.kind === 'zorgoverleg');
	const held = meetings.length
		? await db
				.selectDistinct({ boardId: boardRecord.boardId })
				.from(boardRecord)
				.where(
					inArray(
						boardRecord.boardId,
						meetings.map((b) => b.id)
					)
				)
		: [];
	const heldIds = new Set(held.map((r) => r.boardId));
	// The very dry run the retention page shows: the count here is what the next run deletes.
	const dry = await runRetention(db, now, { dryRun: true, schoolId: actor.user.schoolId });
	return {
		careMeetings: meetings.filter((b) => !heldIds.has(b.id)).map(toItem),
		retentionDue: dry.schools[0]?.counts.students ?? 0
	};
}
