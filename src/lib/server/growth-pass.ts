/**
 * The weekly pass on one criterion (issue 11: "updating a criterion for 25 students in a weekly
 * pass takes a mentor under 5 minutes"): a team's students, one row each, with the newest view
 * of the mentor and of the student on that criterion, in the words of the version each was
 * given in. Saving a row goes through growth's `recordLevel`, as the student's page does.
 * Every query is scoped to the school in the query; who may open it is the team's page rule
 * (`teamAccess`), and who may record a level for a student is `mayRecordLevel`.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { findLevel, type Criterion } from '../board/criteria';
import type { Actor } from './auth/actor';
import { studentsVisibleTo } from './auth/permissions';
import { listSets } from './criteria';
import type { Queryable } from './db';
import { assessment, criteriaSetVersion, type Team } from './db/schema';

export interface PassView {
	levelId: string;
	levelLabel: string;
	assessedOn: string;
}

export interface PassRow {
	id: string;
	name: string;
	groupName: string;
	mine: boolean;
	mentor: PassView | null;
	student: PassView | null;
}

export interface PassCriterion {
	setId: string;
	setName: string;
	criterion: Criterion;
}

/**
 * The criteria a pass can be about (every criterion of the sets the team works with) and the
 * chosen one: the asked one when it exists, else the first.
 */
export async function passCriteria(
	db: Queryable,
	team: Pick<Team, 'id' | 'schoolId'>,
	asked: { setId: string; criterionId: string } | null
) {
	const sets = await listSets(db, team.schoolId, team.id);
	const all: PassCriterion[] = sets.flatMap(({ set, content }) =>
		content.criteria.map((criterion) => ({ setId: set.id, setName: set.name, criterion }))
	);
	const chosen =
		(asked && all.find((c) => c.setId === asked.setId && c.criterion.id === asked.criterionId)) ??
		all[0] ??
		null;
	return { all, chosen };
}

/**
 * One row per student of the team the actor may see (students who left are not listed), with
 * the newest mentor's and student's view on this criterion of this set (any version: a level
 * reads in the words it was given in).
 */
export async function passRows(
	db: Queryable,
	actor: Actor & { kind: 'user' },
	team: Pick<Team, 'id' | 'schoolId'>,
	setId: string,
	criterionId: string
): Promise<PassRow[]> {
	const students = (await studentsVisibleTo(db, actor)).filter((s) => s.teamId === team.id);
	if (students.length === 0) return [];
	const rows = await db
		.select({
			studentId: assessment.studentId,
			perspective: assessment.perspective,
			levelId: assessment.levelId,
			assessedOn: assessment.assessedOn,
			content: criteriaSetVersion.content
		})
		.from(assessment)
		.innerJoin(criteriaSetVersion, eq(criteriaSetVersion.id, assessment.versionId))
		.where(
			and(
				eq(assessment.schoolId, team.schoolId),
				eq(criteriaSetVersion.setId, setId),
				eq(assessment.criterionId, criterionId),
				inArray(assessment.perspective, ['mentor', 'student']),
				inArray(
					assessment.studentId,
					students.map((s) => s.id)
				)
			)
		)
		.orderBy(desc(assessment.assessedOn), desc(assessment.createdAt), desc(assessment.id));
	const newest = new Map<string, PassView>();
	for (const r of rows) {
		const key = `${r.studentId}/${r.perspective}`;
		if (newest.has(key)) continue;
		const level = findLevel(r.content, criterionId, r.levelId);
		if (level)
			newest.set(key, { levelId: r.levelId, levelLabel: level.label, assessedOn: r.assessedOn });
	}
	return students.map((s) => ({
		id: s.id,
		name: `${s.firstName} ${s.lastName}`.trim(),
		groupName: s.groupName,
		mine: s.mine,
		mentor: newest.get(`${s.id}/mentor`) ?? null,
		student: newest.get(`${s.id}/student`) ?? null
	}));
}
