import { error, fail } from '@sveltejs/kit';
import { loadStudent } from '$lib/server/auth/permissions';
import {
	addComment,
	adviceComments,
	canDecide,
	decide,
	roundAdvice,
	roundDecisions,
	roundStudents
} from '$lib/server/review';
import { requireRound } from '$lib/server/access/guards';
import { recordStudentRead } from '$lib/server/privacy/audit';
import type { Actions, PageServerLoad } from './$types';

/** Mentor read-through ("speeddate"): all subject advice for one student side by side. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const { round, database } = await requireRound(locals, params.roundId, 'staff');
	const s = await loadStudent(database, round.schoolId, params.studentId);
	if (!s || s.teamId !== round.teamId || !locals.actor) error(404, 'Not found');
	const me = locals.actor.kind === 'user' ? locals.actor.user.id : '';
	const [students, advice, decisions] = await Promise.all([
		roundStudents(database, round),
		roundAdvice(database, round.id, [s.id]),
		roundDecisions(database, round.id)
	]);
	const comments = await adviceComments(
		database,
		advice.map((a) => a.id)
	);
	// Every subject's advice on one child side by side: a read of the child's file.
	await recordStudentRead(database, locals.actor, s, 'student.review.view');
	// Browse the mentor's own students; someone without mentees browses everyone.
	const own = students.filter((x) => x.mentorId === me);
	const list = own.some((x) => x.id === s.id) ? own : students;
	const at = list.findIndex((x) => x.id === s.id);
	const decision = decisions.find((d) => d.studentId === s.id) ?? null;
	return {
		round: { id: round.id, title: round.title },
		student: { id: s.id, name: `${s.firstName} ${s.lastName}`.trim(), groupName: s.groupName },
		canDecide: canDecide(locals.actor, s),
		decision: decision ? { status: decision.status, question: decision.question } : null,
		advice: advice.map((a) => ({
			id: a.id,
			subject: a.subject,
			teacherName: a.teacherName,
			// The teacher reads their own advice: their box is a reply, not "ask yourself".
			mine: a.teacherId === me,
			stoplight: a.stoplight,
			advice: a.advice,
			comments: comments
				.filter((c) => c.adviceId === a.id)
				.map((c) => ({
					id: c.id,
					author: c.authorName,
					body: c.body,
					at: c.createdAt.toISOString()
				}))
		})),
		position: { index: at, total: list.length },
		previous: at > 0 ? list[at - 1]!.id : null,
		next: at < list.length - 1 ? list[at + 1]!.id : null
	};
};

export const actions: Actions = {
	decide: async ({ locals, params, request }) => {
		const { round, database } = await requireRound(locals, params.roundId, 'staff');
		if (locals.actor?.kind !== 'user') error(404, 'Not found');
		const form = Object.fromEntries(await request.formData());
		const result = await decide(database, locals.actor, round, params.studentId, form);
		if (!result.ok) {
			if (result.status === 404) error(404, 'Not found');
			return fail(400, {
				decideErrors: result.errors,
				question: String(form.question ?? '').slice(0, 500)
			});
		}
		return { decided: true };
	},
	comment: async ({ locals, params, request }) => {
		const { round, database } = await requireRound(locals, params.roundId, 'staff');
		if (locals.actor?.kind !== 'user') error(404, 'Not found');
		const form = Object.fromEntries(await request.formData());
		const result = await addComment(database, locals.actor, round, form);
		if (!result.ok) {
			if (result.status === 404) error(404, 'Not found');
			return fail(400, { commentFor: String(form.adviceId ?? ''), commentErrors: result.errors });
		}
		return { commented: true };
	}
};
