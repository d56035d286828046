/**
 * What a student's page and evidence page show of growth, for one viewer: the views per
 * criterion, the evidence, the agreed goals and the criteria evidence may point at. Null for
 * whoever may see the student but not their growth (a wall, a guest: maySeeGrowth).
 */
import type { Perspective } from '../board/criteria';
import { schoolDay, type CriterionSignal } from '../board/growth-timeline';
import { mondayOf } from '../board/planning';
import type { Actor } from './auth/actor';
import { loadStudent, maySeeGrowth, mayRemoveEvidence } from './auth/permissions';
import { listSets } from './criteria';
import type { Queryable } from './db';
import type { Board, Student } from './db/schema';
import { agreedGoals, latestViews, listEvidence } from './growth';
import { loadGrowthTimeline } from './growth-timeline';
import { hasConsent } from './photos/consent';
import { weekPlan } from './planning';

export async function loadGrowth(db: Queryable, actor: Actor, s: Student) {
	if (!(await maySeeGrowth(db, actor, s))) return null;
	const [views, evidence, goals, sets, photoConsent] = await Promise.all([
		latestViews(db, s.schoolId, s.id),
		listEvidence(db, s.schoolId, s.id),
		agreedGoals(db, s.schoolId, [s.id]),
		listSets(db, s.schoolId, s.teamId),
		hasConsent(db, s.id)
	]);
	return {
		viewer: actor.kind === 'student' ? ('student' as const) : ('staff' as const),
		views,
		evidence: await Promise.all(
			evidence.map(async (e) => ({
				id: e.id,
				text: e.text,
				photoId: e.photoId,
				outsideSchool: e.outsideSchool,
				addedBy: e.addedBy,
				authorName: e.authorName,
				criterionTitle: e.criterionTitle,
				createdAt: e.createdAt.toISOString(),
				canRemove: await mayRemoveEvidence(db, actor, { ...e, studentId: s.id }, s)
			}))
		),
		goals: goals.map((g) => ({
			id: g.id,
			text: g.text,
			actions: g.actions,
			agreedAt: g.agreedAt?.toISOString() ?? null
		})),
		criteria: sets.flatMap(({ set, content }) =>
			content.criteria.map((c) => ({
				value: `${set.id}:${c.id}`,
				label: `${set.name}: ${c.title}`
			}))
		),
		photoConsent
	};
}

export type GrowthData = NonNullable<Awaited<ReturnType<typeof loadGrowth>>>;

/** Per set, each criterion's levels in words and the reader's own newest one, if any. */
export interface LevelSet {
	setId: string;
	name: string;
	criteria: {
		id: string;
		title: string;
		levels: { id: string; label: string }[];
		current: string | null;
	}[];
}

/**
 * What the growth page and the student's page add to that: stagnation questions, this week's
 * plan per open goal, and per criterion the levels to choose from (with the reader's own
 * newest one). The caller has asked maySeeGrowth.
 */
export async function loadGrowthWork(db: Queryable, actor: Actor, s: Student, now = new Date()) {
	const weekOf = mondayOf(schoolDay(now));
	const own: Perspective = actor.kind === 'student' ? 'student' : 'mentor';
	const [{ signals }, plan, views, sets] = await Promise.all([
		loadGrowthTimeline(db, s, { from: null, to: null }, now),
		weekPlan(db, s, weekOf),
		latestViews(db, s.schoolId, s.id),
		listSets(db, s.schoolId, s.teamId)
	]);
	const levelSets: LevelSet[] = sets.map(({ set, content }) => ({
		setId: set.id,
		name: set.name,
		criteria: content.criteria.map((c) => {
			const mine = views.find((v) => v.setId === set.id)?.criteria.find((x) => x.id === c.id)
				?.views[own];
			const current = mine && c.levels.some((l) => l.id === mine.levelId) ? mine.levelId : null;
			return { id: c.id, title: c.title, levels: c.levels, current };
		})
	}));
	return { signals, weekOf, plan, levelSets };
}

/**
 * What the mentor brings to the talk beside the board: the stagnation questions per criterion
 * (growth-timeline.ts `criterionSignals`), as questions, never a score. Only for a staff member
 * giving the mentor's view who may see the student's growth: not on a parent's or the student's
 * phone, and not on a paired wall, a shared screen.
 */
export async function talkPreparation(
	database: Queryable,
	b: Pick<Board, 'schoolId' | 'studentId'>,
	actor: Actor,
	perspective: Perspective | null,
	now = new Date()
): Promise<{ studentName: string; signals: CriterionSignal[] } | null> {
	if (actor.kind !== 'user' || perspective !== 'mentor' || !b.studentId) return null;
	const s = await loadStudent(database, b.schoolId, b.studentId);
	if (!s || !(await maySeeGrowth(database, actor, s))) return null;
	const { signals } = await loadGrowthTimeline(database, s, { from: null, to: null }, now);
	return { studentName: s.firstName, signals };
}
