/**
 * What a student's page and evidence page show of growth, for one viewer: the views per
 * criterion, the evidence, the agreed goals and the criteria evidence may point at. Null for
 * whoever may see the student but not their growth (a wall, a guest: maySeeGrowth).
 */
import type { Actor } from './auth/actor';
import { maySeeGrowth, mayRemoveEvidence } from './auth/permissions';
import { listSets } from './criteria';
import type { Queryable } from './db';
import type { Student } from './db/schema';
import { agreedGoals, latestViews, listEvidence } from './growth';
import { hasConsent } from './photos/consent';

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
