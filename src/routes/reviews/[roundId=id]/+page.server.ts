import { error, fail, redirect } from '@sveltejs/kit';
import { giveAdvice, roundAdvice, roundDecisions, roundStudents } from '$lib/server/review';
import { requireRound } from '$lib/server/access/guards';
import { recordStudentsRead } from '$lib/server/privacy/audit';
import type { Actions, PageServerLoad } from './$types';

/** Subject teachers: one row per student, a stoplight and one concrete advice, fast. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { round, access, database, actor } = await requireRound(locals, params.roundId, 'any');
	if (access === 'wall') redirect(303, `/reviews/${round.id}/plenary`);
	const me = locals.actor?.kind === 'user' ? locals.actor.user.id : '';
	const subject = (url.searchParams.get('subject') ?? '').trim().slice(0, 60);
	const [students, advice, decisions] = await Promise.all([
		roundStudents(database, round),
		roundAdvice(database, round.id),
		roundDecisions(database, round.id)
	]);
	const mine = advice.filter((a) => a.teacherId === me && a.subject === subject);
	// The list is a read of each child's review (name, group, the stoplights given, a decision's
	// state): one row per child, as on the plenary page, once within the read window however
	// often the list reloads while advice is given.
	await recordStudentsRead(
		database,
		actor,
		round.schoolId,
		students.map((s) => s.id),
		'student.review.view',
		{ overview: true }
	);
	return {
		round: { id: round.id, title: round.title, closed: round.closedAt !== null },
		subject,
		students: students.map((s) => ({
			id: s.id,
			name: `${s.firstName} ${s.lastName}`.trim(),
			groupName: s.groupName,
			mine: s.mentorId === me,
			advice: mine.find((a) => a.studentId === s.id) ?? null,
			adviceCount: advice.filter((a) => a.studentId === s.id).length,
			decision: decisions.find((d) => d.studentId === s.id)?.status ?? null
		}))
	};
};

export const actions: Actions = {
	advice: async ({ locals, params, request }) => {
		const { round, database } = await requireRound(locals, params.roundId, 'staff');
		if (locals.actor?.kind !== 'user') error(404, 'Not found');
		const form = Object.fromEntries(await request.formData());
		const result = await giveAdvice(database, locals.actor, round, form);
		const studentId = String(form.studentId ?? '');
		if (!result.ok) {
			return fail(result.status, {
				studentId,
				errors: result.errors,
				values: {
					stoplight: String(form.stoplight ?? ''),
					advice: String(form.advice ?? '').slice(0, 500)
				}
			});
		}
		return { savedFor: studentId };
	}
};
