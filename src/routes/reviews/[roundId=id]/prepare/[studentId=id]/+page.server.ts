import { error, fail, redirect } from '@sveltejs/kit';
import { actorSchool, mayWriteStudentGoals } from '$lib/server/auth/permissions';
import { recordStudentRead } from '$lib/server/privacy/audit';
import { addGoal, loadRound, studentPreparation } from '$lib/server/review';
import { db } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

/**
 * Student preparation: the student (a guest session on a board about them, or staff with
 * them) sees their own advice only, and writes their own goals for the next period.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.actor) redirect(303, '/login');
	const database = db();
	const round = await loadRound(database, actorSchool(locals.actor), params.roundId);
	const prep = round
		? await studentPreparation(database, locals.actor, round, params.studentId)
		: null;
	if (!round || !prep) error(404, 'Not found');
	await recordStudentRead(database, locals.actor, prep.student, 'student.review.view', {
		preparation: true
	});
	return {
		round: { id: round.id, title: round.title },
		name: prep.student.firstName,
		advice: prep.advice,
		goals: prep.goals.map((g) => ({ id: g.id, text: g.text, dueDate: g.dueDate })),
		canWrite: mayWriteStudentGoals(locals.actor)
	};
};

export const actions: Actions = {
	goal: async ({ locals, params, request }) => {
		if (!locals.actor) redirect(303, '/login');
		const database = db();
		const round = await loadRound(database, actorSchool(locals.actor), params.roundId);
		if (!round) error(404, 'Not found');
		const form = Object.fromEntries(await request.formData());
		const result = await addGoal(database, locals.actor, round, params.studentId, form);
		if (!result.ok) {
			if (result.status === 404) error(404, 'Not found');
			return fail(400, { errors: result.errors, text: String(form.text ?? '').slice(0, 280) });
		}
		return { added: true };
	}
};
