/**
 * Reads what a student's growth timeline is built from (assessments, evidence, agreed goals,
 * talk records) and hands it to the pure derivation in board/growth-timeline.ts. Every query is
 * scoped to the student's school in the query itself; the caller has asked maySeeGrowth.
 */
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import {
	buildTimeline,
	criterionSignals,
	schoolDay,
	type CriterionRef,
	type GrowthTimeline,
	type Period,
	type TimelineAssessment
} from '../board/growth-timeline';
import type { Actor } from './auth/actor';
import { boardRole } from './auth/permissions';
import { listSets } from './criteria';
import type { Queryable } from './db';
import {
	assessment,
	board,
	boardRecord,
	criteriaSet,
	criteriaSetVersion,
	evidence,
	student,
	studentGoal,
	type Student
} from './db/schema';
import { TALK_RECORD } from './driehoeksgesprek';
import { consentedStudents } from './photos/consent';

/** The criteria the student's team works with now, in the order of their sets. */
async function currentCriteria(db: Queryable, s: Student): Promise<CriterionRef[]> {
	const sets = await listSets(db, s.schoolId, s.teamId);
	return sets.flatMap(({ set, content }) =>
		content.criteria.map((c) => ({
			setId: set.id,
			setName: set.name,
			criterionId: c.id,
			title: c.title
		}))
	);
}

/** Every assessment of the student, its level in the words (and place) of its own version. */
async function assessmentsOf(db: Queryable, s: Student): Promise<TimelineAssessment[]> {
	const rows = await db
		.select({
			setId: criteriaSetVersion.setId,
			content: criteriaSetVersion.content,
			criterionId: assessment.criterionId,
			levelId: assessment.levelId,
			perspective: assessment.perspective,
			note: assessment.note,
			authorName: assessment.authorName,
			on: assessment.assessedOn,
			createdAt: assessment.createdAt
		})
		.from(assessment)
		.innerJoin(criteriaSetVersion, eq(criteriaSetVersion.id, assessment.versionId))
		.innerJoin(criteriaSet, eq(criteriaSet.id, criteriaSetVersion.setId))
		.where(
			and(
				eq(assessment.studentId, s.id),
				eq(assessment.schoolId, s.schoolId),
				eq(criteriaSet.schoolId, s.schoolId)
			)
		)
		.orderBy(asc(assessment.assessedOn), asc(assessment.createdAt));
	return rows.flatMap((r) => {
		const levels = r.content.criteria.find((c) => c.id === r.criterionId)?.levels ?? [];
		const rank = levels.findIndex((l) => l.id === r.levelId);
		if (rank < 0) return [];
		return [
			{
				setId: r.setId,
				criterionId: r.criterionId,
				levelLabel: levels[rank]!.label,
				rank,
				perspective: r.perspective,
				note: r.note,
				authorName: r.authorName,
				on: r.on,
				createdAt: r.createdAt
			}
		];
	});
}

/**
 * The student's growth timeline (optionally for a period) and the stagnation signals on the
 * criteria the team works with now.
 */
export async function loadGrowthTimeline(
	db: Queryable,
	s: Student,
	period: Period = { from: null, to: null },
	now = new Date()
) {
	const [criteria, assessments, evidenceRows, goals, talks, consent] = await Promise.all([
		currentCriteria(db, s),
		assessmentsOf(db, s),
		db
			.select()
			.from(evidence)
			.where(and(eq(evidence.studentId, s.id), eq(evidence.schoolId, s.schoolId)))
			.orderBy(asc(evidence.createdAt)),
		db
			.select({
				id: studentGoal.id,
				text: studentGoal.text,
				status: studentGoal.status,
				agreedAt: studentGoal.agreedAt,
				reachedAt: studentGoal.reachedAt
			})
			.from(studentGoal)
			.innerJoin(student, eq(student.id, studentGoal.studentId))
			.where(
				and(
					eq(studentGoal.studentId, s.id),
					eq(student.schoolId, s.schoolId),
					isNotNull(studentGoal.agreedAt)
				)
			),
		db
			.select({
				recordId: boardRecord.id,
				boardId: board.id,
				title: board.title,
				createdAt: boardRecord.createdAt
			})
			.from(boardRecord)
			.innerJoin(board, eq(board.id, boardRecord.boardId))
			.where(
				and(
					eq(board.schoolId, s.schoolId),
					eq(board.studentId, s.id),
					inArray(boardRecord.kind, [TALK_RECORD])
				)
			)
			.orderBy(asc(boardRecord.createdAt)),
		consentedStudents(db, [s.id])
	]);
	const timeline = buildTimeline(
		criteria,
		{
			assessments,
			evidence: evidenceRows.map((e) => ({
				id: e.id,
				setId: e.setId,
				criterionId: e.criterionId,
				text: e.text,
				// A withdrawn consent hides the picture at once; the text stays.
				photoId: e.mediaId && consent.has(s.id) ? e.mediaId : null,
				outsideSchool: e.outsideSchool,
				addedBy: e.addedBy,
				authorName: e.authorName,
				on: schoolDay(e.createdAt)
			})),
			goals: goals.map((g) => ({
				id: g.id,
				text: g.text,
				agreedOn: schoolDay(g.agreedAt!),
				// The day it was marked reached, never its last change (an edit moves `updatedAt`).
				reachedOn: g.status === 'done' && g.reachedAt ? schoolDay(g.reachedAt) : null
			})),
			talks: talks.map((t) => ({ ...t, on: schoolDay(t.createdAt) }))
		},
		period
	);
	return {
		timeline,
		signals: criterionSignals(criteria, assessments, schoolDay(now))
	};
}

export type LoadedTimeline = Awaited<ReturnType<typeof loadGrowthTimeline>>;

/**
 * The talks of a timeline this reader may open (the one policy, `boardRole`): only those link
 * to their summary; a colleague who is not on a talk's board reads it as a point, not a 404.
 */
export async function openableTalks(
	db: Queryable,
	actor: Actor,
	timeline: GrowthTimeline
): Promise<string[]> {
	const ids = new Set<string>();
	for (const p of [...timeline.general, ...timeline.criteria.flatMap((c) => c.points)]) {
		if (p.kind === 'talk') ids.add(p.boardId);
	}
	const open: string[] = [];
	for (const id of ids) if (await boardRole(db, actor, id)) open.push(id);
	return open;
}
