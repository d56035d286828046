/**
 * The three-way talk (driehoeksgesprek) on the server: its criteria version, ending it, its
 * record and summary.
 *
 * Ending a talk works like ending a care meeting (zorgoverleg.ts): the browser says only "end
 * it"; the server builds the record from the board's document it holds and, in one
 * transaction, keeps the record (once per talk: one talk per board), an `assessment` per view
 * and a `student_goal` per agreed goal, and marks the talk ended on the board. No browser
 * writes a record, an assessment or a goal of its own.
 */
import { and, desc, eq, gte } from 'drizzle-orm';
import { z } from 'zod';
import { capabilitiesOf } from '$lib/board/capabilities';
import type { Perspective } from '$lib/board/criteria';
import type { AssessmentInput } from '$lib/board/growth';
import {
	buildTalkRecord,
	endTalk,
	talkEndedAt,
	talkRecordData,
	talkSummaryFor,
	type TalkRecordData
} from '$lib/board/driehoeksgesprek';
import { findRecordId } from '../board/verbeterbord-records.server';
import { actorId, type Actor } from './auth/actor';
import type { BoardRole } from './auth/permissions';
import { editBoardDoc, SERVER_ORIGIN } from './board-edit';
import { endingOutcome, mayEndSession, type EndSessionOutcome } from './bordsessie';
import type { Queryable } from './db';
import { assessment, boardRecord, type Board } from './db/schema';
import { loadCriteriaVersion } from './criteria';
import { recordAgreedGoals, recordAssessments } from './growth';
import { meetingParticipants, summaryReaderOf } from './zorgoverleg';
import { db } from './runtime';

export const TALK_RECORD = 'talk_record';
/** One talk per board: its record's key. */
const TALK_KEY = 'talk';

/* ------------------------------------------------------------------ ending a talk */

/** Nothing to say but "end it": one talk per board, so there is no "which one". */
export const endTalkInput = z.object({}).strict();

type Derived =
	{ kind: 'ended'; record: TalkRecordData } | { kind: 'not_running' } | { kind: 'unrecordable' };

export async function endThreeWayTalk(
	b: Pick<Board, 'id' | 'teamId' | 'schoolId' | 'studentId' | 'criteriaVersionId'> &
		Partial<Pick<Board, 'createdAt'>>,
	actor: Actor,
	now = new Date()
): Promise<EndSessionOutcome> {
	const content = await loadCriteriaVersion(db(), b.schoolId, b.criteriaVersionId);
	let stored: { id: number; created: boolean } | null = null;
	const { result } = await editBoardDoc<Derived>(
		b.id,
		(doc) => {
			if (talkEndedAt(doc)) return { kind: 'not_running' };
			let record: TalkRecordData;
			try {
				record = buildTalkRecord(
					doc,
					{ versionId: content ? b.criteriaVersionId : null, content },
					now
				);
			} catch {
				return { kind: 'unrecordable' };
			}
			endTalk(doc, SERVER_ORIGIN, now);
			return { kind: 'ended', record };
		},
		{
			commit: async (tx, derived) => {
				if (derived.kind !== 'ended') return;
				stored = await storeTalkRecord(tx, b, derived.record, actorId(actor));
				// A talk ended twice (two instances at once) keeps one record and writes nothing more.
				if (!stored.created || !b.studentId) return;
				await recordTalkAssessments(tx, b, b.studentId, derived.record, now);
				await recordTalkGoals(tx, b, b.studentId, derived.record, now);
			}
		}
	);
	return endingOutcome(result, stored, () => findRecordId(db(), b.id, TALK_RECORD, TALK_KEY));
}

/** Keep the talk's record (once per board); call inside a transaction. */
export async function storeTalkRecord(
	database: Queryable,
	b: Pick<Board, 'id' | 'teamId'>,
	data: TalkRecordData,
	createdById: string | null
): Promise<{ id: number; created: boolean }> {
	const [row] = await database
		.insert(boardRecord)
		.values({
			boardId: b.id,
			teamId: b.teamId,
			kind: TALK_RECORD,
			key: TALK_KEY,
			data,
			createdById
		})
		.onConflictDoNothing({ target: [boardRecord.boardId, boardRecord.kind, boardRecord.key] })
		.returning({ id: boardRecord.id });
	if (row) return { id: row.id, created: true };
	const existing = await findRecordId(database, b.id, TALK_RECORD, TALK_KEY);
	if (existing === null) throw new Error('talk record conflict without a record');
	return { id: existing, created: false };
}

/**
 * One assessment per view of the talk, in its perspective, on the talk's criteria version,
 * through growth's one writer (`recordAssessments`, which checks every row against the version
 * and throws, rolling the talk's end back, on anything that does not fit).
 *
 * A student's view that only repeats the self-evaluation they gave on the growth page while this
 * talk was open (talk-feed.ts put it into the talk) is not stored a second time; the same level
 * said again in a later talk is, as a new look (the stagnation signals count those).
 */
export async function recordTalkAssessments(
	tx: Queryable,
	b: Pick<Board, 'id' | 'schoolId'> & Partial<Pick<Board, 'createdAt'>>,
	studentId: string,
	record: TalkRecordData,
	now: Date
): Promise<void> {
	if (!record.versionId || record.views.length === 0) return;
	const versionId = record.versionId;
	const assessedOn = now.toISOString().slice(0, 10);
	const newestOwn = b.createdAt
		? await newestStudentViews(tx, b.schoolId, studentId, versionId, b.createdAt)
		: new Map<string, { levelId: string; note: string }>();
	const rows: AssessmentInput[] = record.views
		.filter((v) => {
			if (v.perspective !== 'student') return true;
			const own = newestOwn.get(v.criterion);
			return !own || own.levelId !== v.level || own.note !== v.note;
		})
		.map((v) => ({
			schoolId: b.schoolId,
			studentId,
			versionId,
			criterionId: v.criterion,
			levelId: v.level,
			perspective: v.perspective,
			note: v.note,
			boardId: b.id,
			// Only a mentor's view has an account behind it; a student's or parent's key is a session.
			authorUserId: v.perspective === 'mentor' ? v.authorKey : null,
			// A name is required of an assessment; a view always had one, an old board maybe not.
			authorName: v.name.trim() || v.perspective,
			assessedOn
		}));
	if (rows.length > 0) await recordAssessments(tx, rows);
}

/** Per criterion of this version, the student's own newest level and note given since `since`. */
async function newestStudentViews(
	tx: Queryable,
	schoolId: string,
	studentId: string,
	versionId: string,
	since: Date
) {
	const rows = await tx
		.select({
			criterionId: assessment.criterionId,
			levelId: assessment.levelId,
			note: assessment.note
		})
		.from(assessment)
		.where(
			and(
				eq(assessment.schoolId, schoolId),
				eq(assessment.studentId, studentId),
				eq(assessment.versionId, versionId),
				eq(assessment.perspective, 'student'),
				gte(assessment.createdAt, since)
			)
		)
		.orderBy(desc(assessment.assessedOn), desc(assessment.createdAt), desc(assessment.id));
	const newest = new Map<string, { levelId: string; note: string }>();
	for (const r of rows) if (!newest.has(r.criterionId)) newest.set(r.criterionId, r);
	return newest;
}

/**
 * The agreed goals as the student's goals, with the talk, the moment and their actions, through
 * growth's one writer (`recordAgreedGoals`). A goal taken up from the student's own words is
 * written by the student; the others by the staff member who wrote them on the board.
 */
export async function recordTalkGoals(
	tx: Queryable,
	b: Pick<Board, 'id' | 'schoolId'>,
	studentId: string,
	record: TalkRecordData,
	now: Date
): Promise<void> {
	if (record.agreed.length === 0) return;
	await recordAgreedGoals(tx, {
		schoolId: b.schoolId,
		studentId,
		boardId: b.id,
		writtenBy: 'mentor',
		agreedAt: now,
		goals: record.agreed.map((g) => ({
			text: g.title,
			dueDate: g.targetDate || null,
			writtenBy: g.fromStudent ? 'student' : g.by || undefined,
			actions: g.actions.map((a) => ({ what: a.what, who: a.who, due: a.due || null }))
		}))
	});
}

/* ------------------------------------------------------------------ records and pages */

/** The talk's record (never another board's: the board id is part of the lookup). */
export async function getTalkRecord(database: Queryable, boardId: string, id: number) {
	const [row] = await database
		.select({ id: boardRecord.id, data: boardRecord.data })
		.from(boardRecord)
		.where(
			and(
				eq(boardRecord.id, id),
				eq(boardRecord.boardId, boardId),
				eq(boardRecord.kind, TALK_RECORD)
			)
		)
		.limit(1);
	const parsed = row ? talkRecordData.safeParse(row.data) : null;
	return row && parsed?.success ? { id: row.id, data: parsed.data } : null;
}

/** The record as this reader may read it: filtered here, never in the browser. */
export function talkSummaryForActor(data: TalkRecordData, actor: Actor) {
	const reader = summaryReaderOf(actor);
	return { reader, data: talkSummaryFor(data, reader) };
}

/** What the talk's board page needs beside the live document. */
export async function loadTalkPage(
	database: Queryable,
	b: Board,
	actor: Actor,
	role: BoardRole | null
) {
	const recordId = await findRecordId(database, b.id, TALK_RECORD, TALK_KEY);
	const perspective: Perspective | null = capabilitiesOf(role, 'driehoeksgesprek').perspective;
	return {
		criteria: await loadCriteriaVersion(database, b.schoolId, b.criteriaVersionId),
		participants: await meetingParticipants(database, b),
		recordId,
		mayEnd: mayEndSession(actor, role),
		perspective
	};
}
