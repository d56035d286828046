import { error, fail } from '@sveltejs/kit';
import { plenaryAgenda, recordOutcome, roundStaff } from '$lib/server/review';
import { requireRound } from '$lib/server/access/guards';
import { recordStudentRead } from '$lib/server/privacy/audit';
import type { Actions, PageServerLoad } from './$types';

/** The plenary meeting, on the wall or a laptop: big questions only, outcomes as actions. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const { round, database, actor } = await requireRound(locals, params.roundId, 'any');
	const [agenda, staff] = await Promise.all([
		plenaryAgenda(database, round),
		roundStaff(database, round)
	]);
	// Each big question is a read of that child's review (their name, the question, what was
	// agreed): one row per child. The page reloads after every outcome recorded and stays on
	// the wall for the whole meeting, so a reload within the read window adds none.
	for (const item of agenda) {
		await recordStudentRead(
			database,
			actor,
			{ id: item.studentId, schoolId: round.schoolId },
			'student.review.view',
			{ plenary: true },
			{ rerun: true }
		);
	}
	return { round: { id: round.id, title: round.title }, agenda, staff };
};

export const actions: Actions = {
	outcome: async ({ locals, params, request }) => {
		const { round, database } = await requireRound(locals, params.roundId, 'any');
		if (!locals.actor) error(404, 'Not found');
		const form = Object.fromEntries(await request.formData());
		const result = await recordOutcome(database, locals.actor, round, form);
		if (!result.ok) {
			if (result.status === 404) error(404, 'Not found');
			return fail(400, { outcomeFor: String(form.studentId ?? ''), errors: result.errors });
		}
		return { recorded: true };
	}
};
