/**
 * The stoplight student review (leerlingbespreking), relational because it is queried across
 * students and teachers and kept as a record:
 * 1. subject teachers give every student a stoplight AND one concrete advice (never one alone);
 * 2. the mentor reads all advice per student, marks "clear" or raises a big question, and can
 *    ask a subject teacher about an advice (a comment thread per advice);
 * 3. the plenary agenda is built from the big questions only; each outcome becomes an action
 *    with an owner and a date;
 * 4. the student sees only their own advice and writes their own goals.
 */
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { actorChildId, actorName, type Actor } from '../auth/actor';
import {
	canDecide,
	canSeeStudent,
	loadStudent,
	loadTeam,
	mayWriteStudentGoals,
	roundAccess
} from '../auth/permissions';
import { newId } from '../auth/tokens';
import type { Database, Queryable } from '../db';
import {
	reviewAction,
	reviewAdvice,
	reviewComment,
	reviewDecision,
	reviewRound,
	student,
	studentEvent,
	studentGoal,
	team,
	teamMember,
	user,
	type ReviewRound
} from '../db/schema';
import { isoDate } from '../validation';

type UserActor = Actor & { kind: 'user' };

export type ReviewResult<T = void> =
	{ ok: true; value: T } | { ok: false; status: 400 | 404; errors: Record<string, string> };

const notFound = { ok: false, status: 404, errors: {} } as const;
const invalid = (errors: Record<string, string>) => ({ ok: false, status: 400, errors }) as const;

function issues(error: z.ZodError) {
	const out: Record<string, string> = {};
	for (const i of error.issues) out[String(i.path[0] ?? 'form')] ??= i.message;
	return out;
}

// The rules (who takes part, who decides) live in the one policy module.
export { canDecide, loadRound, roundAccess } from '../auth/permissions';

export const roundSchema = z.object({
	teamId: z.string().regex(/^[a-z2-9]{16}$/, 'required'),
	title: z.string().trim().min(1, 'required').max(120, 'too_long')
});

export async function createRound(
	db: Queryable,
	actor: UserActor,
	input: unknown
): Promise<ReviewResult<string>> {
	const parsed = roundSchema.safeParse(input);
	if (!parsed.success) return invalid(issues(parsed.error));
	// The team is looked up in the actor's own school: another school's team id finds nothing.
	const t = await loadTeam(db, actor.user.schoolId, parsed.data.teamId);
	// Missing, archived, another school's or not yours: the same 404.
	if (!t || t.archivedAt) return notFound;
	if ((await roundAccess(db, actor, { schoolId: t.schoolId, teamId: t.id })) !== 'staff') {
		return notFound;
	}
	const id = newId();
	await db.insert(reviewRound).values({
		id,
		schoolId: t.schoolId,
		teamId: t.id,
		title: parsed.data.title,
		createdById: actor.user.id
	});
	return { ok: true, value: id };
}

export async function roundStudents(db: Queryable, round: ReviewRound) {
	return db
		.select({
			id: student.id,
			firstName: student.firstName,
			lastName: student.lastName,
			groupName: student.groupName,
			mentorId: student.mentorId
		})
		.from(student)
		.where(
			and(
				eq(student.teamId, round.teamId),
				eq(student.schoolId, round.schoolId),
				isNull(student.leftAt)
			)
		)
		.orderBy(asc(student.groupName), asc(student.firstName), asc(student.lastName));
}

/* ------------------------------------------------------------------ 1. advice */

export const adviceSchema = z.object({
	studentId: z.string().regex(/^[a-z2-9]{16}$/, 'required'),
	subject: z
		.string({ message: 'subject_required' })
		.trim()
		.min(1, 'subject_required')
		.max(60, 'too_long'),
	stoplight: z.enum(['green', 'orange', 'red'], { message: 'stoplight_required' }),
	// A stoplight alone says nothing a student can act on: one concrete advice is required.
	advice: z
		.string({ message: 'advice_required' })
		.trim()
		.min(1, 'advice_required')
		.max(500, 'too_long')
});

export async function giveAdvice(
	db: Queryable,
	actor: UserActor,
	round: ReviewRound,
	input: unknown
): Promise<ReviewResult<string>> {
	if ((await roundAccess(db, actor, round)) !== 'staff' || round.closedAt) return notFound;
	const parsed = adviceSchema.safeParse(input);
	if (!parsed.success) return invalid(issues(parsed.error));
	const s = await loadStudent(db, round.schoolId, parsed.data.studentId);
	if (!s || s.teamId !== round.teamId) return notFound;
	const now = new Date();
	// One transaction: the advice and its history entry are kept together or not at all.
	return (db as Database).transaction(async (tx) => {
		const [row] = await tx
			.insert(reviewAdvice)
			.values({
				id: newId(),
				roundId: round.id,
				studentId: s.id,
				teacherId: actor.user.id,
				subject: parsed.data.subject,
				stoplight: parsed.data.stoplight,
				advice: parsed.data.advice
			})
			.onConflictDoUpdate({
				target: [
					reviewAdvice.roundId,
					reviewAdvice.studentId,
					reviewAdvice.teacherId,
					reviewAdvice.subject
				],
				set: { stoplight: parsed.data.stoplight, advice: parsed.data.advice, updatedAt: now }
			})
			.returning({ id: reviewAdvice.id });
		await tx.insert(studentEvent).values({
			studentId: s.id,
			kind: 'review_advice',
			data: {
				roundId: round.id,
				subject: parsed.data.subject,
				stoplight: parsed.data.stoplight,
				advice: parsed.data.advice
			},
			actorId: actor.user.id,
			actorName: actor.user.name
		});
		return { ok: true, value: row!.id } as const;
	});
}

/** All advice of a round, with teacher names, for the teacher's own overview and the mentor. */
export async function roundAdvice(db: Queryable, roundId: string, studentIds?: string[]) {
	return db
		.select({
			id: reviewAdvice.id,
			studentId: reviewAdvice.studentId,
			teacherId: reviewAdvice.teacherId,
			teacherName: user.name,
			subject: reviewAdvice.subject,
			stoplight: reviewAdvice.stoplight,
			advice: reviewAdvice.advice,
			updatedAt: reviewAdvice.updatedAt
		})
		.from(reviewAdvice)
		.innerJoin(user, eq(user.id, reviewAdvice.teacherId))
		.where(
			and(
				eq(reviewAdvice.roundId, roundId),
				studentIds ? inArray(reviewAdvice.studentId, studentIds) : undefined
			)
		)
		.orderBy(asc(reviewAdvice.subject), asc(user.name));
}

/* ------------------------------------------------------------------ 2. mentor read-through */

export async function adviceComments(db: Queryable, adviceIds: string[]) {
	if (adviceIds.length === 0) return [];
	return db
		.select()
		.from(reviewComment)
		.where(inArray(reviewComment.adviceId, adviceIds))
		.orderBy(asc(reviewComment.createdAt), asc(reviewComment.id));
}

export const commentSchema = z.object({
	adviceId: z.string().regex(/^[a-z2-9]{16}$/, 'required'),
	body: z.string().trim().min(1, 'required').max(1000, 'too_long')
});

export async function addComment(
	db: Queryable,
	actor: UserActor,
	round: ReviewRound,
	input: unknown
): Promise<ReviewResult<number>> {
	if ((await roundAccess(db, actor, round)) !== 'staff') return notFound;
	const parsed = commentSchema.safeParse(input);
	if (!parsed.success) return invalid(issues(parsed.error));
	const [advice] = await db
		.select({ id: reviewAdvice.id })
		.from(reviewAdvice)
		.where(and(eq(reviewAdvice.id, parsed.data.adviceId), eq(reviewAdvice.roundId, round.id)))
		.limit(1);
	if (!advice) return notFound;
	const [row] = await db
		.insert(reviewComment)
		.values({
			adviceId: advice.id,
			authorId: actor.user.id,
			authorName: actor.user.name,
			body: parsed.data.body
		})
		.returning({ id: reviewComment.id });
	return { ok: true, value: row!.id };
}

export const decisionSchema = z.discriminatedUnion('status', [
	z.object({ status: z.literal('clear'), question: z.string().optional() }),
	z.object({
		status: z.literal('question'),
		question: z
			.string({ message: 'question_required' })
			.trim()
			.min(1, 'question_required')
			.max(500, 'too_long')
	})
]);

export async function decide(
	db: Queryable,
	actor: UserActor,
	round: ReviewRound,
	studentId: string,
	input: unknown
): Promise<ReviewResult> {
	if ((await roundAccess(db, actor, round)) !== 'staff' || round.closedAt) return notFound;
	const s = await loadStudent(db, round.schoolId, studentId);
	if (!s || s.teamId !== round.teamId || !canDecide(actor, s)) return notFound;
	const parsed = decisionSchema.safeParse(input);
	if (!parsed.success) return invalid(issues(parsed.error));
	const question = parsed.data.status === 'question' ? parsed.data.question : '';
	const now = new Date();
	await db
		.insert(reviewDecision)
		.values({
			roundId: round.id,
			studentId: s.id,
			status: parsed.data.status,
			question,
			decidedById: actor.user.id,
			decidedAt: now
		})
		.onConflictDoUpdate({
			target: [reviewDecision.roundId, reviewDecision.studentId],
			set: { status: parsed.data.status, question, decidedById: actor.user.id, decidedAt: now }
		});
	return { ok: true, value: undefined };
}

export async function roundDecisions(db: Queryable, roundId: string) {
	return db.select().from(reviewDecision).where(eq(reviewDecision.roundId, roundId));
}

/* ------------------------------------------------------------------ 3. plenary */

/** Big questions only: students marked "clear" or not yet read never reach the agenda. */
export async function plenaryAgenda(db: Queryable, round: ReviewRound) {
	const rows = await db
		.select({
			studentId: student.id,
			firstName: student.firstName,
			lastName: student.lastName,
			groupName: student.groupName,
			question: reviewDecision.question,
			mentorName: user.name
		})
		.from(reviewDecision)
		.innerJoin(student, eq(student.id, reviewDecision.studentId))
		.leftJoin(user, eq(user.id, reviewDecision.decidedById))
		.where(and(eq(reviewDecision.roundId, round.id), eq(reviewDecision.status, 'question')))
		.orderBy(asc(student.groupName), asc(student.firstName));
	const actions = await db
		.select({
			id: reviewAction.id,
			studentId: reviewAction.studentId,
			outcome: reviewAction.outcome,
			ownerName: user.name,
			dueDate: reviewAction.dueDate
		})
		.from(reviewAction)
		.leftJoin(user, eq(user.id, reviewAction.ownerId))
		.where(eq(reviewAction.roundId, round.id))
		.orderBy(asc(reviewAction.createdAt));
	return rows.map((r) => ({
		studentId: r.studentId,
		name: `${r.firstName} ${r.lastName}`.trim(),
		groupName: r.groupName,
		question: r.question,
		mentorName: r.mentorName ?? '',
		actions: actions.filter((a) => a.studentId === r.studentId)
	}));
}

export const outcomeSchema = z.object({
	studentId: z.string().regex(/^[a-z2-9]{16}$/, 'required'),
	outcome: z.string().trim().min(1, 'required').max(500, 'too_long'),
	ownerId: z.string().regex(/^[a-z2-9]{16}$/, 'owner_required'),
	dueDate: isoDate('date_required')
});

export async function recordOutcome(
	db: Queryable,
	actor: Actor,
	round: ReviewRound,
	input: unknown
): Promise<ReviewResult<string>> {
	if (!(await roundAccess(db, actor, round))) return notFound;
	const parsed = outcomeSchema.safeParse(input);
	if (!parsed.success) return invalid(issues(parsed.error));
	const { studentId, outcome, ownerId, dueDate } = parsed.data;
	// One transaction, with the decision row locked: a mentor clearing the student at the same
	// moment either comes first (no action) or after the action exists, never in between.
	return (db as Database).transaction(async (tx) => {
		const [onAgenda] = await tx
			.select({ studentId: reviewDecision.studentId })
			.from(reviewDecision)
			.where(
				and(
					eq(reviewDecision.roundId, round.id),
					eq(reviewDecision.studentId, studentId),
					eq(reviewDecision.status, 'question')
				)
			)
			.limit(1)
			.for('update');
		if (!onAgenda) return notFound;
		// An owner is active staff of the round's school, as the form's list offers them.
		const [owner] = await tx
			.select({ id: user.id })
			.from(user)
			.where(
				and(eq(user.id, ownerId), eq(user.schoolId, round.schoolId), isNull(user.deactivatedAt))
			)
			.limit(1);
		if (!owner) return invalid({ ownerId: 'owner_required' });
		const id = newId();
		await tx.insert(reviewAction).values({
			id,
			roundId: round.id,
			studentId,
			outcome,
			ownerId: owner.id,
			dueDate,
			createdById: actor.kind === 'user' ? actor.user.id : null
		});
		return { ok: true, value: id } as const;
	});
}

/** Staff of the round's team, to pick an action owner. */
export async function roundStaff(db: Queryable, round: ReviewRound) {
	return db
		.select({ id: user.id, name: user.name })
		.from(user)
		.where(and(eq(user.schoolId, round.schoolId), isNull(user.deactivatedAt)))
		.orderBy(asc(user.name));
}

/* ------------------------------------------------------------------ 4. student preparation */

/**
 * What the student sees: their own advice only (subject, stoplight, advice; no comments
 * between teachers, no teacher names), and their goals. Whoever may see the student may
 * open it; for a guest that means a board about this very student.
 */
export async function studentPreparation(
	db: Queryable,
	actor: Actor | null,
	round: ReviewRound,
	studentId: string
) {
	// The child's own preparation: on their meeting a guest is that child (a child link bound to
	// them) or nobody here; a parent or care partner neither reads the subject teachers' advice
	// nor writes the child's goals.
	if (actor?.kind === 'guest' && actorChildId(actor) !== studentId) return null;
	const s = await loadStudent(db, round.schoolId, studentId);
	if (!s || s.teamId !== round.teamId || !(await canSeeStudent(db, actor, s))) return null;
	const advice = await db
		.select({
			id: reviewAdvice.id,
			subject: reviewAdvice.subject,
			stoplight: reviewAdvice.stoplight,
			advice: reviewAdvice.advice
		})
		.from(reviewAdvice)
		.where(and(eq(reviewAdvice.roundId, round.id), eq(reviewAdvice.studentId, s.id)))
		.orderBy(asc(reviewAdvice.subject));
	const goals = await db
		.select()
		.from(studentGoal)
		.where(and(eq(studentGoal.studentId, s.id), eq(studentGoal.roundId, round.id)))
		.orderBy(asc(studentGoal.createdAt));
	return { student: s, advice, goals };
}

export const goalSchema = z.object({
	text: z.string().trim().min(1, 'required').max(280, 'too_long'),
	dueDate: isoDate('date_required').or(z.literal('').transform(() => null))
});

export async function addGoal(
	db: Queryable,
	actor: Actor,
	round: ReviewRound,
	studentId: string,
	input: unknown
): Promise<ReviewResult<string>> {
	const prep = await studentPreparation(db, actor, round, studentId);
	if (!prep || !mayWriteStudentGoals(actor)) return notFound;
	const parsed = goalSchema.safeParse(input);
	if (!parsed.success) return invalid(issues(parsed.error));
	const id = newId();
	await db.insert(studentGoal).values({
		id,
		studentId,
		roundId: round.id,
		text: parsed.data.text,
		dueDate: parsed.data.dueDate,
		// Through a link (a pupil's guest link or the student's own) it is the student's own goal.
		writtenBy: actor.kind === 'guest' || actor.kind === 'student' ? 'student' : actorName(actor)
	});
	return { ok: true, value: id };
}

/** Rounds still open in the student's team: where the student prepares their mentor talk. */
export async function openRoundsForStudent(
	db: Queryable,
	s: { schoolId: string; teamId: string | null }
) {
	if (!s.teamId) return [];
	return db
		.select({ id: reviewRound.id, title: reviewRound.title, createdAt: reviewRound.createdAt })
		.from(reviewRound)
		.where(
			and(
				eq(reviewRound.schoolId, s.schoolId),
				eq(reviewRound.teamId, s.teamId),
				isNull(reviewRound.closedAt)
			)
		)
		.orderBy(desc(reviewRound.createdAt));
}

export async function roundsFor(db: Queryable, actor: Actor) {
	if (actor.kind !== 'user') return [];
	const rows = await db
		.select()
		.from(reviewRound)
		.where(eq(reviewRound.schoolId, actor.user.schoolId))
		.orderBy(asc(reviewRound.createdAt));
	const out = [];
	for (const r of rows) if ((await roundAccess(db, actor, r)) === 'staff') out.push(r);
	return out.reverse();
}

/** Teams this staff member may start a review for. */
export async function teamsFor(db: Queryable, actor: UserActor) {
	const all = await db
		.select({ id: team.id, name: team.name })
		.from(team)
		.where(and(eq(team.schoolId, actor.user.schoolId), isNull(team.archivedAt)))
		.orderBy(asc(team.name));
	if (actor.user.role === 'admin') return all;
	const mine = await db
		.select({ teamId: teamMember.teamId })
		.from(teamMember)
		.where(eq(teamMember.userId, actor.user.id));
	const ids = new Set(mine.map((r) => r.teamId));
	return all.filter((t) => ids.has(t.id));
}
