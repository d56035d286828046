/**
 * A student's growth outside any board's document: assessments per perspective (student,
 * mentor, home), the student's evidence, and the goals agreed in a three-way talk. Written by
 * the server only (a form here, or the end of a talk: feat/talk calls `recordAssessments` and
 * `recordAgreedGoals` in its own transaction). Every lookup is scoped to the school in the
 * query; who may do what is asked of auth/permissions.ts.
 */
import { and, count, desc, eq, inArray, isNotNull, max, ne } from 'drizzle-orm';
import {
	findCriterion,
	findLevel,
	type CriteriaContent,
	type Perspective
} from '../board/criteria';
import {
	agreedGoalsInput,
	assessmentInput,
	perspectivesDiffer,
	type AgreedGoalsInput,
	type AssessmentInput,
	type LevelForm,
	type PerspectiveView
} from '../board/growth';
import { schoolDay } from '../board/growth-timeline';
import type { Actor } from './auth/actor';
import { loadStudent, mayRemoveEvidence } from './auth/permissions';
import { newId } from './auth/tokens';
import { listSets } from './criteria';
import type { Database, Queryable } from './db';
import {
	assessment,
	criteriaSet,
	criteriaSetVersion,
	evidence,
	media,
	student,
	studentGoal,
	type Student
} from './db/schema';
import { consentedStudents, hasConsent } from './photos/consent';
import { storeImage } from './photos/media';
import { ImageRejectedError, type ImageError } from './photos/pipeline';
import {
	removeEvidenceFromTalks,
	showEvidenceInTalks,
	showSelfEvaluationInTalks
} from './talk-feed';

/** Input that names something that is not there, or is malformed: the caller answers 400. */
export class GrowthInputError extends Error {
	constructor(
		readonly code: string,
		readonly index = 0
	) {
		super(`growth input refused: ${code} (row ${index})`);
	}
}

/* ------------------------------------------------------------------ assessments */

/**
 * Stores assessments in the caller's transaction. Each row must name a student and a version of
 * this school, and a criterion and level that exist in that very version; anything else throws
 * a GrowthInputError and the caller's transaction rolls back, so a talk's end stores all of its
 * assessments or none.
 */
export async function recordAssessments(tx: Queryable, input: AssessmentInput[]) {
	const ids: string[] = [];
	const versions = new Map<string, CriteriaContent | null>();
	for (const [index, raw] of input.entries()) {
		const parsed = assessmentInput.safeParse(raw);
		if (!parsed.success) throw new GrowthInputError('invalid', index);
		const row = parsed.data;
		if (!(await loadStudent(tx, row.schoolId, row.studentId))) {
			throw new GrowthInputError('unknown_student', index);
		}
		const key = `${row.schoolId}/${row.versionId}`;
		if (!versions.has(key)) {
			const [v] = await tx
				.select({ content: criteriaSetVersion.content })
				.from(criteriaSetVersion)
				.innerJoin(criteriaSet, eq(criteriaSet.id, criteriaSetVersion.setId))
				.where(
					and(eq(criteriaSetVersion.id, row.versionId), eq(criteriaSet.schoolId, row.schoolId))
				)
				.limit(1);
			versions.set(key, v?.content ?? null);
		}
		const content = versions.get(key);
		if (!content) throw new GrowthInputError('unknown_version', index);
		if (!findCriterion(content, row.criterionId)) {
			throw new GrowthInputError('unknown_criterion', index);
		}
		if (!findLevel(content, row.criterionId, row.levelId)) {
			throw new GrowthInputError('unknown_level', index);
		}
		const id = newId();
		await tx.insert(assessment).values({ id, ...row });
		ids.push(id);
	}
	return ids;
}

export interface CriterionViews {
	id: string;
	title: string;
	views: Partial<Record<Perspective, PerspectiveView>>;
	differ: boolean;
}

export interface SetViews {
	setId: string;
	name: string;
	versionId: string;
	criteria: CriterionViews[];
}

/**
 * Per criterion of each set the student's team works with (its own and the school's), the
 * newest assessment from each perspective, side by side. A level reads in the words of the
 * version it was given in: a later rewording never changes what someone said.
 */
export async function latestViews(
	db: Queryable,
	schoolId: string,
	studentId: string
): Promise<SetViews[]> {
	const s = await loadStudent(db, schoolId, studentId);
	if (!s) return [];
	const sets = await listSets(db, schoolId, s.teamId);
	if (sets.length === 0) return [];
	const rows = await db
		.select({
			setId: criteriaSetVersion.setId,
			content: criteriaSetVersion.content,
			criterionId: assessment.criterionId,
			levelId: assessment.levelId,
			perspective: assessment.perspective,
			note: assessment.note,
			assessedOn: assessment.assessedOn,
			authorName: assessment.authorName
		})
		.from(assessment)
		.innerJoin(criteriaSetVersion, eq(criteriaSetVersion.id, assessment.versionId))
		.where(
			and(
				eq(assessment.studentId, s.id),
				eq(assessment.schoolId, schoolId),
				inArray(
					criteriaSetVersion.setId,
					sets.map((x) => x.set.id)
				)
			)
		)
		.orderBy(desc(assessment.assessedOn), desc(assessment.createdAt), desc(assessment.id));
	const latest = new Map<string, PerspectiveView>();
	for (const r of rows) {
		const key = `${r.setId}/${r.criterionId}/${r.perspective}`;
		if (latest.has(key)) continue;
		const level = findLevel(r.content, r.criterionId, r.levelId);
		latest.set(key, {
			levelId: r.levelId,
			levelLabel: level?.label ?? '',
			note: r.note,
			assessedOn: r.assessedOn,
			authorName: r.authorName
		});
	}
	return sets.map(({ set, versionId, content }) => ({
		setId: set.id,
		name: set.name,
		versionId,
		criteria: content.criteria.map((c) => {
			const views: CriterionViews['views'] = {};
			for (const p of ['student', 'mentor', 'parent'] as const) {
				const v = latest.get(`${set.id}/${c.id}/${p}`);
				if (v) views[p] = v;
			}
			return { id: c.id, title: c.title, views, differ: perspectivesDiffer(views) };
		})
	}));
}

/* ------------------------------------------------------------------ evidence */

/** Whose evidence this is, from who adds it: the student, staff (mentor), a parent guest. */
export function evidenceAuthor(actor: Actor) {
	switch (actor.kind) {
		case 'student':
			return { addedBy: 'student' as const, authorUserId: null, authorName: actor.displayName };
		case 'user':
			return {
				addedBy: 'mentor' as const,
				authorUserId: actor.user.id,
				authorName: actor.user.name
			};
		case 'guest':
			return actor.role === 'parent'
				? { addedBy: 'parent' as const, authorUserId: null, authorName: actor.displayName }
				: null;
		case 'device':
			return null;
	}
}

export type EvidenceError = 'empty' | 'unknown_criterion' | 'no_consent' | 'forbidden' | ImageError;

export interface NewEvidence {
	text: string;
	outsideSchool: boolean;
	/** A criterion of a set the student's team works with, or null. */
	criterion: { setId: string; criterionId: string } | null;
	photo: Uint8Array | null;
}

/**
 * Adds evidence about a student: a text, a photo or both. A photo goes through the photo
 * pipeline (re-encoded, metadata stripped) and, as every photo of a student, only while photo
 * consent is in force. The caller has checked `mayAddEvidence`; the image and the row are
 * stored in one transaction.
 */
export async function addEvidence(
	db: Database,
	actor: Actor,
	s: Student,
	input: NewEvidence
): Promise<{ ok: true; id: string } | { ok: false; error: EvidenceError }> {
	const author = evidenceAuthor(actor);
	if (!author) return { ok: false, error: 'forbidden' };
	if (!input.text && !input.photo) return { ok: false, error: 'empty' };
	if (input.criterion) {
		const sets = await listSets(db, s.schoolId, s.teamId);
		const set = sets.find((x) => x.set.id === input.criterion!.setId);
		if (!set || !findCriterion(set.content, input.criterion.criterionId)) {
			return { ok: false, error: 'unknown_criterion' };
		}
	}
	if (input.photo && !(await hasConsent(db, s.id))) return { ok: false, error: 'no_consent' };
	try {
		const stored = await db.transaction(async (tx) => {
			const mediaId = input.photo
				? await storeImage(tx, input.photo, {
						schoolId: s.schoolId,
						studentId: s.id,
						purpose: 'evidence',
						createdById: author.authorUserId
					})
				: null;
			const [row] = await tx
				.insert(evidence)
				.values({
					id: newId(),
					schoolId: s.schoolId,
					studentId: s.id,
					setId: input.criterion?.setId ?? null,
					criterionId: input.criterion?.criterionId ?? null,
					text: input.text,
					mediaId,
					outsideSchool: input.outsideSchool,
					...author
				})
				.returning({ id: evidence.id });
			return { id: row!.id, mediaId };
		});
		if (actor.kind === 'student') {
			await showEvidenceInTalks(db, actor, s, {
				evidenceId: stored.id,
				mediaId: stored.mediaId,
				// A photo without words keeps an empty title: each screen names it in its language.
				title: input.text,
				...(input.criterion ? { criterion: input.criterion } : {})
			});
		}
		return { ok: true, id: stored.id };
	} catch (e) {
		if (e instanceof ImageRejectedError) return { ok: false, error: e.code };
		throw e;
	}
}

/**
 * A student's evidence, newest first, with the criterion's current title. `photoId` is set only
 * while photo consent is in force (the photo route checks again): a withdrawn consent leaves
 * the text and hides the picture.
 */
export async function listEvidence(db: Queryable, schoolId: string, studentId: string) {
	const rows = await db
		.select()
		.from(evidence)
		.where(and(eq(evidence.studentId, studentId), eq(evidence.schoolId, schoolId)))
		.orderBy(desc(evidence.createdAt), desc(evidence.id));
	const consent = await consentedStudents(db, [studentId]);
	const setIds = [...new Set(rows.map((r) => r.setId).filter((x): x is string => x !== null))];
	const titles = new Map<string, string>();
	if (setIds.length) {
		const versions = await db
			.selectDistinctOn([criteriaSetVersion.setId], {
				setId: criteriaSetVersion.setId,
				content: criteriaSetVersion.content
			})
			.from(criteriaSetVersion)
			.innerJoin(criteriaSet, eq(criteriaSet.id, criteriaSetVersion.setId))
			.where(and(inArray(criteriaSetVersion.setId, setIds), eq(criteriaSet.schoolId, schoolId)))
			.orderBy(criteriaSetVersion.setId, desc(criteriaSetVersion.version));
		for (const v of versions) {
			for (const c of v.content.criteria) titles.set(`${v.setId}/${c.id}`, c.title);
		}
	}
	return rows.map((r) => ({
		id: r.id,
		text: r.text,
		photoId: r.mediaId && consent.has(studentId) ? r.mediaId : null,
		outsideSchool: r.outsideSchool,
		addedBy: r.addedBy,
		authorUserId: r.authorUserId,
		authorName: r.authorName,
		criterionTitle:
			r.setId && r.criterionId ? (titles.get(`${r.setId}/${r.criterionId}`) ?? null) : null,
		createdAt: r.createdAt
	}));
}

/**
 * Removes one piece of evidence about this student, and its photo with it (a photo of a child's
 * work is not kept once its evidence is gone), if `mayRemoveEvidence` allows it.
 */
export async function removeEvidence(
	db: Database,
	actor: Actor,
	s: Student,
	evidenceId: string
): Promise<'removed' | 'not_found' | 'forbidden'> {
	type Outcome = 'removed' | 'not_found' | 'forbidden';
	const outcome = await db.transaction(async (tx): Promise<Outcome> => {
		const [ev] = await tx
			.select()
			.from(evidence)
			.where(
				and(
					eq(evidence.id, evidenceId),
					eq(evidence.schoolId, s.schoolId),
					eq(evidence.studentId, s.id)
				)
			)
			.limit(1);
		if (!ev) return 'not_found';
		if (!(await mayRemoveEvidence(tx, actor, ev, s))) return 'forbidden';
		await tx.delete(evidence).where(eq(evidence.id, ev.id));
		if (ev.mediaId) {
			await tx
				.delete(media)
				.where(
					and(
						eq(media.id, ev.mediaId),
						eq(media.schoolId, s.schoolId),
						eq(media.purpose, 'evidence')
					)
				);
		}
		return 'removed';
	});
	if (outcome === 'removed') await removeEvidenceFromTalks(db, s, evidenceId);
	return outcome;
}

/* ------------------------------------------------------------------ agreed goals */

/**
 * The one writer of agreed goals: stores the goals a three-way talk agreed on, with their
 * actions, in the caller's transaction (the talk's end, driehoeksgesprek.ts, and the demo).
 * The student must be of this school; bad input throws a GrowthInputError and the caller's
 * transaction rolls back.
 */
export async function recordAgreedGoals(tx: Queryable, input: AgreedGoalsInput) {
	const parsed = agreedGoalsInput.safeParse(input);
	if (!parsed.success) throw new GrowthInputError('invalid');
	const { schoolId, studentId, boardId, writtenBy, goals } = parsed.data;
	if (!(await loadStudent(tx, schoolId, studentId))) throw new GrowthInputError('unknown_student');
	const agreedAt = parsed.data.agreedAt ?? new Date();
	const ids: string[] = [];
	for (const goal of goals) {
		const id = newId();
		await tx.insert(studentGoal).values({
			id,
			studentId,
			boardId,
			text: goal.text,
			dueDate: goal.dueDate,
			actions: goal.actions,
			writtenBy: goal.writtenBy ?? writtenBy,
			agreedAt
		});
		ids.push(id);
	}
	return ids;
}

/** The open goals agreed in talks for these students of this school, newest first. */
export async function agreedGoals(db: Queryable, schoolId: string, studentIds: string[]) {
	if (studentIds.length === 0) return [];
	return db
		.select({
			id: studentGoal.id,
			studentId: studentGoal.studentId,
			text: studentGoal.text,
			actions: studentGoal.actions,
			agreedAt: studentGoal.agreedAt,
			boardId: studentGoal.boardId
		})
		.from(studentGoal)
		.innerJoin(student, eq(student.id, studentGoal.studentId))
		.where(
			and(
				inArray(studentGoal.studentId, studentIds),
				eq(student.schoolId, schoolId),
				isNotNull(studentGoal.agreedAt),
				ne(studentGoal.status, 'done')
			)
		)
		.orderBy(desc(studentGoal.agreedAt), desc(studentGoal.id));
}

/**
 * Marks an agreed goal of this student reached, on `at`; false when there is no such open goal.
 * The day it was reached is kept (`reachedAt`): a later change to the goal does not move it.
 */
export async function markGoalDone(
	db: Queryable,
	s: Pick<Student, 'id'>,
	goalId: string,
	at = new Date()
): Promise<boolean> {
	const rows = await db
		.update(studentGoal)
		.set({ status: 'done', reachedAt: at, updatedAt: at })
		.where(
			and(
				eq(studentGoal.id, goalId),
				eq(studentGoal.studentId, s.id),
				isNotNull(studentGoal.agreedAt),
				ne(studentGoal.status, 'done')
			)
		)
		.returning({ id: studentGoal.id });
	return rows.length > 0;
}

/* ------------------------------------------------------------------ a level outside a talk */

export type LevelError = 'forbidden' | 'unknown_criterion' | 'unknown_level';

/**
 * A level recorded outside a talk: the student's self-evaluation through their link, or the
 * mentor's view on the student's page, on the current version of a set the student's team
 * works with. The perspective follows from who records it, never from the form.
 */
export async function recordLevel(
	db: Database,
	actor: Actor,
	s: Student,
	input: { setId: string; criterionId: string; levelId: string; note: string },
	today: string
): Promise<{ ok: true } | { ok: false; error: LevelError }> {
	const author =
		actor.kind === 'student' && actor.studentId === s.id
			? { perspective: 'student' as const, authorName: actor.displayName, authorUserId: null }
			: actor.kind === 'user'
				? {
						perspective: 'mentor' as const,
						authorName: actor.user.name,
						authorUserId: actor.user.id
					}
				: null;
	if (!author) return { ok: false, error: 'forbidden' };
	const set = (await listSets(db, s.schoolId, s.teamId)).find((x) => x.set.id === input.setId);
	if (!set || !findCriterion(set.content, input.criterionId)) {
		return { ok: false, error: 'unknown_criterion' };
	}
	if (!findLevel(set.content, input.criterionId, input.levelId)) {
		return { ok: false, error: 'unknown_level' };
	}
	await db.transaction((tx) =>
		recordAssessments(tx, [
			{
				schoolId: s.schoolId,
				studentId: s.id,
				versionId: set.versionId,
				criterionId: input.criterionId,
				levelId: input.levelId,
				note: input.note,
				assessedOn: today,
				...author
			}
		])
	);
	if (actor.kind === 'student') await showSelfEvaluationInTalks(db, actor, s, input);
	return { ok: true };
}

/**
 * `recordLevel` for a parsed level form (`<setId>:<criterionId>`, a level, a note), today in
 * school time: the growth page and the weekly pass post the same form.
 */
export function recordLevelForm(
	db: Database,
	actor: Actor,
	s: Student,
	form: LevelForm,
	today = schoolDay(new Date())
) {
	const [setId, criterionId] = form.criterion.split(':') as [string, string];
	return recordLevel(
		db,
		actor,
		s,
		{ setId, criterionId, levelId: form.level, note: form.note },
		today
	);
}

/* ------------------------------------------------------------------ live pages */

/**
 * A fingerprint of the student's growth records (assessments, evidence, agreed goals): it
 * changes whenever one is added, removed or a goal changes. Pages that show growth poll it
 * (routes/students/[studentId]/growth/live) and reload their data only when it moved; it says
 * nothing about the child itself.
 */
export async function growthStamp(db: Queryable, schoolId: string, studentId: string) {
	const [a] = await db
		.select({ n: count(), at: max(assessment.createdAt) })
		.from(assessment)
		.where(and(eq(assessment.studentId, studentId), eq(assessment.schoolId, schoolId)));
	const [e] = await db
		.select({ n: count(), at: max(evidence.createdAt) })
		.from(evidence)
		.where(and(eq(evidence.studentId, studentId), eq(evidence.schoolId, schoolId)));
	const [g] = await db
		.select({ n: count(), at: max(studentGoal.updatedAt) })
		.from(studentGoal)
		.innerJoin(student, eq(student.id, studentGoal.studentId))
		.where(and(eq(studentGoal.studentId, studentId), eq(student.schoolId, schoolId)));
	const part = (r: { n: number; at: Date | string | null } | undefined) =>
		`${r?.n ?? 0}@${r?.at ? new Date(r.at).getTime() : 0}`;
	return [part(a), part(e), part(g)].join('.');
}
