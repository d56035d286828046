/**
 * Weekly planning per goal (table goal_step): the student plans small steps for this week
 * towards each open agreed goal and ticks them off; the mentor sees the plan on the student's
 * page and may add or tick one too. Every query names the student's school; a goal must be an
 * open agreed goal of this very student. Who may plan is asked of permissions.ts (mayPlanWeek).
 */
import { and, asc, count, eq, isNotNull, ne } from 'drizzle-orm';
import { MAX_STEPS_PER_GOAL_WEEK } from '../board/planning';
import type { Actor } from './auth/actor';
import { newId } from './auth/tokens';
import type { Database, Queryable } from './db';
import { goalStep, student, studentGoal, type Student } from './db/schema';
import { agreedGoals } from './growth';

export interface WeekGoal {
	id: string;
	text: string;
	steps: { id: string; text: string; done: boolean; addedBy: 'student' | 'mentor' | 'parent' }[];
}

/** The open agreed goals of the student, each with its steps planned for the week of `weekOf`. */
export async function weekPlan(db: Queryable, s: Student, weekOf: string): Promise<WeekGoal[]> {
	const goals = await agreedGoals(db, s.schoolId, [s.id]);
	if (goals.length === 0) return [];
	const steps = await db
		.select()
		.from(goalStep)
		.where(
			and(
				eq(goalStep.schoolId, s.schoolId),
				eq(goalStep.studentId, s.id),
				eq(goalStep.weekOf, weekOf)
			)
		)
		.orderBy(asc(goalStep.createdAt), asc(goalStep.id));
	return goals.map((g) => ({
		id: g.id,
		text: g.text,
		steps: steps
			.filter((st) => st.goalId === g.id)
			.map((st) => ({ id: st.id, text: st.text, done: st.doneAt !== null, addedBy: st.addedBy }))
	}));
}

export type StepError = 'forbidden' | 'unknown_goal' | 'too_many';

/**
 * Adds a step for this week to an open agreed goal of this student. The goal check, the count
 * and the insert run in one transaction, so two phones cannot both add the eighth step.
 */
export async function addStep(
	db: Database,
	actor: Actor,
	s: Student,
	input: { goalId: string; text: string },
	weekOf: string
): Promise<{ ok: true; id: string } | { ok: false; error: StepError }> {
	const author =
		actor.kind === 'student' && actor.studentId === s.id
			? { addedBy: 'student' as const, authorUserId: null }
			: actor.kind === 'user'
				? { addedBy: 'mentor' as const, authorUserId: actor.user.id }
				: null;
	if (!author) return { ok: false, error: 'forbidden' };
	return db.transaction(async (tx) => {
		const [goal] = await tx
			.select({ id: studentGoal.id })
			.from(studentGoal)
			.innerJoin(student, eq(student.id, studentGoal.studentId))
			.where(
				and(
					eq(studentGoal.id, input.goalId),
					eq(studentGoal.studentId, s.id),
					eq(student.schoolId, s.schoolId),
					isNotNull(studentGoal.agreedAt),
					ne(studentGoal.status, 'done')
				)
			)
			.limit(1);
		if (!goal) return { ok: false as const, error: 'unknown_goal' as const };
		const [{ n } = { n: 0 }] = await tx
			.select({ n: count() })
			.from(goalStep)
			.where(
				and(
					eq(goalStep.schoolId, s.schoolId),
					eq(goalStep.goalId, goal.id),
					eq(goalStep.weekOf, weekOf)
				)
			);
		if (n >= MAX_STEPS_PER_GOAL_WEEK) return { ok: false as const, error: 'too_many' as const };
		const id = newId();
		await tx.insert(goalStep).values({
			id,
			schoolId: s.schoolId,
			studentId: s.id,
			goalId: goal.id,
			weekOf,
			text: input.text,
			...author
		});
		return { ok: true as const, id };
	});
}

/** Ticks a step of this student off (or back on); false when there is no such step. */
export async function setStepDone(
	db: Queryable,
	s: Student,
	stepId: string,
	done: boolean,
	now = new Date()
): Promise<boolean> {
	const rows = await db
		.update(goalStep)
		.set({ doneAt: done ? now : null })
		.where(
			and(eq(goalStep.id, stepId), eq(goalStep.schoolId, s.schoolId), eq(goalStep.studentId, s.id))
		)
		.returning({ id: goalStep.id });
	return rows.length > 0;
}
