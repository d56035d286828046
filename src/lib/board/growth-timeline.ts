/**
 * A student's growth over time, per criterion: the levels each perspective gave (in words),
 * evidence on the criterion, each talk as a point; beside it the goals set and reached and the
 * evidence on no criterion. And stagnation signals per criterion, worded as questions with
 * their reason. Pure: rows in, points out; no database, no Svelte.
 *
 * A level's position in its version (`rank`) is used here only to tell a step from no step;
 * it never leaves this module as a number a page could show (seed 000: no scores).
 */
import type { Perspective } from './criteria';
import { DAY_MS } from './dates';

/** yyyy-mm-dd */
type Day = string;

export interface TimelineAssessment {
	setId: string;
	criterionId: string;
	levelLabel: string;
	/** Position of the level in the version it was given in: compared, never shown. */
	rank: number;
	perspective: Perspective;
	note: string;
	authorName: string;
	on: Day;
	/** Tie-break within a day: the order it was stored in. */
	createdAt: Date;
}

export interface TimelineEvidence {
	id: string;
	setId: string | null;
	criterionId: string | null;
	text: string;
	photoId: string | null;
	outsideSchool: boolean;
	addedBy: Perspective;
	authorName: string;
	on: Day;
}

export interface TimelineGoal {
	id: string;
	text: string;
	agreedOn: Day;
	reachedOn: Day | null;
}

export interface TimelineTalk {
	boardId: string;
	recordId: number;
	title: string;
	on: Day;
}

/**
 * What a level point says about movement: the first view from this perspective, a step on
 * from its previous view, the same words again, or other words (a step back is named no more
 * harshly than that: the conversation decides what it means).
 */
export type LevelChange = 'first' | 'step' | 'same' | 'other';

export type TimelinePoint =
	| {
			kind: 'level';
			on: Day;
			perspective: Perspective;
			levelLabel: string;
			note: string;
			authorName: string;
			change: LevelChange;
	  }
	| {
			kind: 'evidence';
			on: Day;
			id: string;
			text: string;
			photoId: string | null;
			outsideSchool: boolean;
			addedBy: Perspective;
			authorName: string;
	  }
	| { kind: 'talk'; on: Day; boardId: string; recordId: number; title: string }
	| { kind: 'goal_set'; on: Day; goalId: string; text: string }
	| { kind: 'goal_reached'; on: Day; goalId: string; text: string };

export interface CriterionRef {
	setId: string;
	setName: string;
	criterionId: string;
	title: string;
}

export interface CriterionTimeline extends CriterionRef {
	points: TimelinePoint[];
}

export interface GrowthTimeline {
	criteria: CriterionTimeline[];
	/** Goals set and reached, talks, and evidence on no (current) criterion. */
	general: TimelinePoint[];
}

export interface Period {
	from: Day | null;
	to: Day | null;
}

const within = (on: Day, period: Period) =>
	(period.from === null || on >= period.from) && (period.to === null || on <= period.to);

/** Same-day points keep a fixed order: the talk first, then what was said and shown in it. */
const kindOrder: Record<TimelinePoint['kind'], number> = {
	talk: 0,
	level: 1,
	evidence: 2,
	goal_set: 3,
	goal_reached: 4
};
const perspectiveOrder: Record<Perspective, number> = { student: 0, mentor: 1, parent: 2 };

function byDay(a: TimelinePoint, b: TimelinePoint) {
	if (a.on !== b.on) return a.on < b.on ? -1 : 1;
	if (a.kind !== b.kind) return kindOrder[a.kind] - kindOrder[b.kind];
	if (a.kind === 'level' && b.kind === 'level') {
		return perspectiveOrder[a.perspective] - perspectiveOrder[b.perspective];
	}
	return 0;
}

const sortAssessments = (rows: readonly TimelineAssessment[]) =>
	[...rows].sort(
		(a, b) =>
			(a.on < b.on ? -1 : a.on > b.on ? 1 : 0) || a.createdAt.getTime() - b.createdAt.getTime()
	);

/** Each assessment with how it moved from the same perspective's previous one. */
function withChanges(rows: readonly TimelineAssessment[]) {
	const previous = new Map<Perspective, TimelineAssessment>();
	return sortAssessments(rows).map((a) => {
		const prev = previous.get(a.perspective);
		previous.set(a.perspective, a);
		const change: LevelChange = !prev
			? 'first'
			: a.rank > prev.rank
				? 'step'
				: a.rank === prev.rank
					? 'same'
					: 'other';
		return { a, change };
	});
}

const key = (setId: string, criterionId: string) => `${setId}/${criterionId}`;

/**
 * The timeline of each criterion (in the order given) and the general one. The whole history
 * is read before the period is applied, so the first point inside a period still says whether
 * it was a step from the one before it.
 */
export function buildTimeline(
	criteria: readonly CriterionRef[],
	input: {
		assessments: readonly TimelineAssessment[];
		evidence: readonly TimelineEvidence[];
		goals: readonly TimelineGoal[];
		talks: readonly TimelineTalk[];
	},
	period: Period = { from: null, to: null }
): GrowthTimeline {
	const known = new Set(criteria.map((c) => key(c.setId, c.criterionId)));
	const talkPoints: TimelinePoint[] = input.talks.map((t) => ({
		kind: 'talk',
		on: t.on,
		boardId: t.boardId,
		recordId: t.recordId,
		title: t.title
	}));
	const evidencePoint = (e: TimelineEvidence): TimelinePoint => ({
		kind: 'evidence',
		on: e.on,
		id: e.id,
		text: e.text,
		photoId: e.photoId,
		outsideSchool: e.outsideSchool,
		addedBy: e.addedBy,
		authorName: e.authorName
	});

	const timelines = criteria.map((c): CriterionTimeline => {
		const levels = withChanges(
			input.assessments.filter((a) => a.setId === c.setId && a.criterionId === c.criterionId)
		).map(({ a, change }): TimelinePoint => ({
			kind: 'level',
			on: a.on,
			perspective: a.perspective,
			levelLabel: a.levelLabel,
			note: a.note,
			authorName: a.authorName,
			change
		}));
		const evidence = input.evidence
			.filter((e) => e.setId === c.setId && e.criterionId === c.criterionId)
			.map(evidencePoint);
		const points = [...levels, ...evidence, ...talkPoints]
			.filter((p) => within(p.on, period))
			.sort(byDay);
		return { ...c, points };
	});

	const general: TimelinePoint[] = [
		...talkPoints,
		...input.goals.flatMap((g): TimelinePoint[] => [
			{ kind: 'goal_set', on: g.agreedOn, goalId: g.id, text: g.text },
			...(g.reachedOn
				? [{ kind: 'goal_reached' as const, on: g.reachedOn, goalId: g.id, text: g.text }]
				: [])
		]),
		...input.evidence
			.filter((e) => !e.setId || !e.criterionId || !known.has(key(e.setId, e.criterionId)))
			.map(evidencePoint)
	]
		.filter((p) => within(p.on, period))
		.sort(byDay);

	return { criteria: timelines, general };
}

/** Whether a criterion's timeline holds anything of the student's own growth (not only talks). */
export function hasGrowthPoints(t: CriterionTimeline): boolean {
	return t.points.some((p) => p.kind === 'level' || p.kind === 'evidence');
}

/* ------------------------------------------------------------------ stagnation */

/** After how many days without a step a criterion that was looked at again asks a question. */
export const STAGNATION_DAYS = 42;

export interface CriterionSignal extends CriterionRef {
	/** The day of the last step (or of the first view, when there never was one). */
	since: Day;
	/** Who looked again since then and saw no step, in the fixed order student, mentor, parent. */
	perspectives: Perspective[];
	/** How many views were given since `since`, that one included. */
	views: number;
	/** The newest level in words, from the first perspective named. */
	levelLabel: string;
}

const dayNumber = (d: Day) => Date.parse(`${d}T00:00:00Z`) / DAY_MS;

/**
 * Stagnation per criterion (seed 000: "uitblijvende groei op bepaalde criteria"): no
 * perspective saw a step for at least `days` days, and someone looked again in that time and
 * saw none. A criterion nobody looked at again is no signal (that is a question of attention,
 * not of growth), nor is one where any perspective saw a step in that time.
 */
export function criterionSignals(
	criteria: readonly CriterionRef[],
	assessments: readonly TimelineAssessment[],
	today: Day,
	days = STAGNATION_DAYS
): CriterionSignal[] {
	const signals: CriterionSignal[] = [];
	for (const c of criteria) {
		const rows = withChanges(
			assessments.filter((a) => a.setId === c.setId && a.criterionId === c.criterionId)
		);
		if (rows.length === 0) continue;
		// The clock starts at the newest step from any perspective, else at the very first view:
		// a parent's late first view does not restart it.
		const steps = rows.filter((r) => r.change === 'step');
		const since = steps.length ? steps[steps.length - 1]!.a.on : rows[0]!.a.on;
		if (dayNumber(today) - dayNumber(since) < days) continue;
		const after = rows.filter((r) => r.a.on >= since);
		const lookedAgain = rows.filter((r) => r.a.on > since);
		if (lookedAgain.length === 0) continue;
		const who = perspectivesIn(lookedAgain.map((r) => r.a.perspective));
		const newest = [...lookedAgain].reverse().find((r) => r.a.perspective === who[0])!;
		signals.push({
			...c,
			since,
			perspectives: who,
			views: after.length,
			levelLabel: newest.a.levelLabel
		});
	}
	return signals;
}

function perspectivesIn(list: readonly Perspective[]): Perspective[] {
	return (['student', 'mentor', 'parent'] as const).filter((p) => list.includes(p));
}

/** The calendar day of an instant in Dutch school time, so a talk at 23:30 is not tomorrow's. */
export function schoolDay(d: Date): Day {
	// en-CA formats as yyyy-mm-dd.
	return d.toLocaleDateString('en-CA', { timeZone: 'Europe/Amsterdam' });
}
