/**
 * The three-way talk (driehoeksgesprek): student, mentor and parent. Pure: knows Yjs and the
 * domain, not the network or the DOM.
 *
 * It keeps the verbeterbord's document layout (verbeterbord.ts: one Y.Map per card in `cards`),
 * so the sync guard, persistence, the family part and the copy code work unchanged. Its cards:
 * - `wishes`: the student's own goals ("mijn doelen"), kept as typed (as in a care meeting);
 * - `views`: one person's view of the student on one criterion of the board's criteria version
 *   (`criterion`, `level`, `note`, `perspective`): the student's self-evaluation, the mentor's,
 *   the home view. One per author and criterion, changed in place; the perspective follows from
 *   the author's role (`Capabilities.perspective`), checked by the sync server;
 * - `evidence`: what the student shows (a short text, or a stored evidence item and its photo);
 * - `goals` with `actions` (`goalId`): the 1–3 goals agreed together, written by staff; a goal
 *   that takes up one of the student's own goals says so in `fromCard`.
 *
 * The student's own cards default to `family`: the parent sits in the talk, and the student
 * may keep any of them for school (`care`), which keeps it off the parent's device.
 *
 * The talk moves through its steps in `session.step` (prepare → views → agree), moved on by the
 * student, who leads it, or by staff; a parent follows. It ends once (`session.endedAt`, set by
 * the server when it keeps the record).
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { findLevel, perspectives, type CriteriaContent, type Perspective } from './criteria';
import {
	addCard,
	BODY_MAX,
	cardsMap,
	listCards,
	NAME_MAX,
	sessionMap,
	TITLE_MAX,
	updateCard,
	VIEW_NOTE_MAX,
	visibilities,
	type Card,
	type Origin,
	type Result,
	type Visibility
} from './verbeterbord';
import { readerSees, type SummaryReader } from './zorgoverleg';

/** The card types a talk holds; the sync server refuses any other on a talk. */
export const talkAreas = ['wishes', 'views', 'evidence', 'goals', 'actions'] as const;
export const MAX_AGREED_GOALS = 3;
/**
 * What a talk's record (and the goals stored from it) holds at most. The board's own op refuses
 * a fourth agreed goal, but two devices agreeing one at the same moment can leave one more: the
 * talk's end keeps what the board holds rather than refusing to end.
 */
export const RECORD_MAX_GOALS = 20;
export const RECORD_MAX_GOAL_ACTIONS = 50;

/** What the student's own words default to (see the header). */
export const STUDENT_DEFAULT_VISIBILITY: Visibility = 'family';

export type ViewCard = Extract<Card, { type: 'views' }>;
export type GoalCard = Extract<Card, { type: 'goals' }>;

/* ------------------------------------------------------------------ views */

/** The views on the board, one per author and criterion (the newest wins when two slipped in). */
export function listViews(doc: Y.Doc): ViewCard[] {
	return listCards(doc, 'views').filter((c): c is ViewCard => c.type === 'views');
}

/** The ids of `author`'s views on `criterion` (the sync server allows one). */
export function viewIdsOf(doc: Y.Doc, author: string, criterion: string): string[] {
	const ids: string[] = [];
	for (const [id, map] of cardsMap(doc)) {
		if (!(map instanceof Y.Map)) continue;
		if (
			map.get('type') === 'views' &&
			map.get('createdBy') === author &&
			map.get('criterion') === criterion
		) {
			ids.push(id);
		}
	}
	return ids;
}

/**
 * Give or change one's view on a criterion: the card of this author and criterion is changed in
 * place (one per author and criterion), else a new one is added.
 */
export function setView(
	doc: Y.Doc,
	input: { criterion: string; level: string; note?: string; visibility?: Visibility },
	perspective: Perspective,
	origin: Origin,
	author: { createdBy: string; createdByName: string }
): Result<string> {
	const existing = viewIdsOf(doc, author.createdBy, input.criterion)[0];
	const fields = {
		criterion: input.criterion,
		level: input.level,
		note: input.note ?? '',
		...(input.visibility ? { visibility: input.visibility } : {})
	};
	if (existing) return updateCard(doc, existing, fields, origin);
	return addCard(doc, { type: 'views', ...fields, perspective }, origin, author);
}

/** Per criterion, the views of each perspective (several people may share one perspective). */
export function viewsByCriterion(
	views: readonly ViewCard[]
): Map<string, Record<Perspective, ViewCard[]>> {
	const byCriterion = new Map<string, Record<Perspective, ViewCard[]>>();
	for (const view of views) {
		let row = byCriterion.get(view.criterion);
		if (!row) byCriterion.set(view.criterion, (row = { student: [], mentor: [], parent: [] }));
		row[view.perspective].push(view);
	}
	return byCriterion;
}

/**
 * Do the views on a criterion differ? Only whether they are the same level or not: the talk
 * says "jullie zien het verschillend", never by how much (no positions, scores or numbers).
 */
export function viewsDiffer(views: readonly { level: string }[]): boolean {
	return new Set(views.map((v) => v.level)).size > 1;
}

/* ------------------------------------------------------------------ evidence, goals */

export function addEvidence(
	doc: Y.Doc,
	input: {
		title: string;
		evidenceId?: string;
		mediaId?: string;
		visibility?: Visibility;
		criterion?: string;
	},
	origin: Origin,
	author: { createdBy: string; createdByName: string }
): Result<string> {
	return addCard(
		doc,
		{
			type: 'evidence',
			title: input.title,
			visibility: input.visibility ?? STUDENT_DEFAULT_VISIBILITY,
			...(input.evidenceId ? { evidenceId: input.evidenceId } : {}),
			...(input.mediaId ? { mediaId: input.mediaId } : {}),
			...(input.criterion ? { criterion: input.criterion } : {})
		},
		origin,
		author
	);
}

export type EvidenceCard = Extract<Card, { type: 'evidence' }>;

/** Attach a piece of evidence to one of the talk's criteria, or (null) to none. */
export function setEvidenceCriterion(
	doc: Y.Doc,
	id: string,
	criterion: string | null,
	origin: Origin = null
): Result<string> {
	const map = cardsMap(doc).get(id);
	if (!(map instanceof Y.Map) || map.get('type') !== 'evidence') {
		return { ok: false, errors: { form: 'not_found' } };
	}
	if (criterion !== null) return updateCard(doc, id, { criterion }, origin);
	if (map.has('criterion')) doc.transact(() => map.delete('criterion'), origin);
	return { ok: true, value: id };
}

/**
 * The evidence under each criterion it is attached to ("Drie blikken" lists it there); evidence
 * on no criterion, or on one this talk's version does not hold, is under `null`.
 */
export function evidenceByCriterion(
	evidence: readonly Card[],
	criteria: CriteriaContent | null
): Map<string | null, EvidenceCard[]> {
	const byCriterion = new Map<string | null, EvidenceCard[]>();
	for (const card of evidence) {
		if (card.type !== 'evidence') continue;
		const key = criterionExists(criteria, card.criterion) ? card.criterion! : null;
		const list = byCriterion.get(key);
		if (list) list.push(card);
		else byCriterion.set(key, [card]);
	}
	return byCriterion;
}

export function agreedGoals(doc: Y.Doc): GoalCard[] {
	return listCards(doc, 'goals').filter((c): c is GoalCard => c.type === 'goals');
}

/** Staff agree a goal, possibly taking up one of the student's own (kept in their words). */
export function agreeGoal(
	doc: Y.Doc,
	input: { title: string; targetDate?: string; fromCard?: string },
	origin: Origin,
	author: { createdBy: string; createdByName: string }
): Result<string> {
	if (agreedGoals(doc).length >= MAX_AGREED_GOALS)
		return { ok: false, errors: { form: 'too_many' } };
	return addCard(
		doc,
		{
			type: 'goals',
			title: input.title,
			targetDate: input.targetDate ?? '',
			visibility: 'family',
			...(input.fromCard ? { fromCard: input.fromCard } : {})
		},
		origin,
		author
	);
}

/** An action of an agreed goal: what, who, by when. */
export function addGoalAction(
	doc: Y.Doc,
	goalId: string,
	input: { title: string; who: string; due?: string },
	origin: Origin,
	author: { createdBy: string; createdByName: string }
): Result<string> {
	return addCard(
		doc,
		{ type: 'actions', title: input.title, who: input.who, due: input.due ?? '', goalId },
		origin,
		author
	);
}

/* ------------------------------------------------------------------ the talk's steps */

/** The steps of a talk, in order; the end is not a step anyone moves to (the server ends it). */
export const talkSteps = ['prepare', 'views', 'agree'] as const;
export type TalkStep = (typeof talkSteps)[number];

/** Where the talk is; an unknown or missing value reads as the first step. */
export function talkStep(doc: Y.Doc): TalkStep {
	const value = sessionMap(doc).get('step');
	return talkSteps.includes(value as TalkStep) ? (value as TalkStep) : 'prepare';
}

export function setTalkStep(doc: Y.Doc, step: TalkStep, origin: Origin = null) {
	doc.transact(() => sessionMap(doc).set('step', step), origin);
}

/** The step before or after `step` (null at either end). */
export function talkStepBeside(step: TalkStep, direction: -1 | 1): TalkStep | null {
	return talkSteps[talkSteps.indexOf(step) + direction] ?? null;
}

/* ------------------------------------------------------------------ the talk's end */

export function talkEndedAt(doc: Y.Doc): string {
	const value = sessionMap(doc).get('endedAt');
	return typeof value === 'string' ? value : '';
}

/** Close the talk on the board (the server does, after keeping its record). */
export function endTalk(doc: Y.Doc, origin: Origin = null, now = new Date()) {
	doc.transact(() => sessionMap(doc).set('endedAt', now.toISOString()), origin);
}

/* ------------------------------------------------------------------ what the guard knows */

/** What the sync server's rules need to know about a talk beyond the changed entries. */
export interface TalkFacts {
	/** The board's criteria version (null: none chosen, so no view can be given). */
	criteria: CriteriaContent | null;
	/** Ids of the views by `author` on `criterion`, as the document is after the transaction. */
	viewIdsOf(author: string, criterion: string): string[];
	/** Whether the server ended the talk: its record is kept, its cards no longer change. */
	ended(): boolean;
}

export function talkFacts(doc: Y.Doc, criteria: CriteriaContent | null): TalkFacts {
	return {
		criteria,
		viewIdsOf: (author, criterion) => viewIdsOf(doc, author, criterion),
		ended: () => talkEndedAt(doc) !== ''
	};
}

export function criterionExists(criteria: CriteriaContent | null, criterion: unknown): boolean {
	if (!criteria || typeof criterion !== 'string') return false;
	return criteria.criteria.some((c) => c.id === criterion);
}

export function levelExists(
	criteria: CriteriaContent | null,
	criterion: unknown,
	level: unknown
): boolean {
	if (!criteria || typeof criterion !== 'string' || typeof level !== 'string') return false;
	return findLevel(criteria, criterion, level) !== null;
}

/* ------------------------------------------------------------------ the record */

const line = (max: number) => z.string().max(max);

export const talkRecordData = z.object({
	type: z.literal('driehoeksgesprek'),
	endedAt: line(40),
	versionId: line(40).nullable(),
	/** The criteria as they read in this talk, so the summary shows levels in words. */
	criteria: z
		.array(
			z.object({
				id: line(40),
				title: line(200),
				levels: z.array(z.object({ id: line(40), label: line(200) })).max(10)
			})
		)
		.max(40),
	/** The student's own goals, in their words. */
	goals: z
		.array(
			z.object({
				title: line(TITLE_MAX),
				body: line(BODY_MAX),
				visibility: z.enum(visibilities),
				byStudent: z.boolean()
			})
		)
		.max(200),
	views: z
		.array(
			z.object({
				criterion: line(40),
				level: line(40),
				note: line(VIEW_NOTE_MAX),
				perspective: z.enum(perspectives),
				/** Absent: everyone in the talk (a parent's own view carries none). */
				visibility: z.enum(visibilities).optional(),
				name: line(NAME_MAX),
				/** The author's actor key: a user id for a mentor's view (the assessment's author). */
				authorKey: line(64)
			})
		)
		.max(400),
	evidence: z
		.array(
			z.object({
				title: line(TITLE_MAX),
				visibility: z.enum(visibilities).optional(),
				evidenceId: line(40).optional(),
				mediaId: line(40).optional(),
				/** The criterion it was shown on (an id of `criteria`). */
				criterion: line(40).optional()
			})
		)
		.max(200),
	agreed: z
		.array(
			z.object({
				title: line(TITLE_MAX),
				targetDate: line(10),
				/** Takes up one of the student's own goals. */
				fromStudent: z.boolean(),
				by: line(NAME_MAX),
				actions: z
					.array(z.object({ what: line(TITLE_MAX), who: line(NAME_MAX), due: line(10) }))
					.max(RECORD_MAX_GOAL_ACTIONS)
			})
		)
		.max(RECORD_MAX_GOALS)
});
export type TalkRecordData = z.output<typeof talkRecordData>;

/** What the board says about this talk, before it is closed. Throws when it does not fit. */
export function buildTalkRecord(
	doc: Y.Doc,
	criteria: { versionId: string | null; content: CriteriaContent | null },
	now = new Date()
): TalkRecordData {
	const wishes = listCards(doc, 'wishes');
	const studentGoalIds = new Set(
		wishes.filter((w) => w.type === 'wishes' && w.forChild !== true).map((w) => w.id)
	);
	const actions = listCards(doc, 'actions');
	return talkRecordData.parse({
		type: 'driehoeksgesprek',
		endedAt: now.toISOString(),
		versionId: criteria.versionId,
		criteria: criteria.content?.criteria ?? [],
		goals: wishes.map((c) => ({
			title: c.title,
			body: c.body,
			visibility: c.visibility ?? STUDENT_DEFAULT_VISIBILITY,
			byStudent: c.type === 'wishes' && c.forChild !== true
		})),
		// Only views on this version's levels count (the guard refuses others; older boards aside).
		views: listViews(doc)
			.filter((v) => levelExists(criteria.content, v.criterion, v.level))
			.map((v) => ({
				criterion: v.criterion,
				level: v.level,
				note: v.note,
				perspective: v.perspective,
				...(v.visibility ? { visibility: v.visibility } : {}),
				name: v.createdByName,
				authorKey: v.createdBy
			})),
		evidence: listCards(doc, 'evidence').map((c) => ({
			title: c.title,
			...(c.visibility ? { visibility: c.visibility } : {}),
			...(c.type === 'evidence' && c.evidenceId ? { evidenceId: c.evidenceId } : {}),
			...(c.type === 'evidence' && c.mediaId ? { mediaId: c.mediaId } : {}),
			...(c.type === 'evidence' && criterionExists(criteria.content, c.criterion)
				? { criterion: c.criterion }
				: {})
		})),
		agreed: agreedGoals(doc).map((g) => ({
			title: g.title,
			targetDate: g.targetDate,
			fromStudent: !!g.fromCard && studentGoalIds.has(g.fromCard),
			by: g.createdByName,
			actions: actions
				.filter((a) => a.type === 'actions' && a.goalId === g.id)
				.map((a) => ({
					what: a.title,
					who: a.type === 'actions' ? a.who : '',
					due: a.type === 'actions' ? a.due : ''
				}))
		}))
	});
}

/**
 * The record as one reader may read it: staff and the student everything, the family only
 * what the student (or the mentor) left for home, a care partner what the care team may see.
 * The agreed goals were made with the parent at the table: everyone reads them.
 */
export function talkSummaryFor(data: TalkRecordData, reader: SummaryReader): TalkRecordData {
	const sees = (v: { visibility?: Visibility }) => readerSees(v.visibility, reader);
	return {
		...data,
		goals: data.goals.filter(sees),
		views: data.views.filter(sees),
		evidence: data.evidence.filter(sees)
	};
}
