import { error, fail, redirect } from '@sveltejs/kit';
import type { Actor } from '$lib/server/auth/actor';
import { familyShareSchema, setFamilyShare } from '$lib/server/auth/student-link';
import { recordStudentRead } from '$lib/server/privacy/audit';
import { db } from '$lib/server/runtime';
import { studentHome } from '$lib/server/student-home';
import type { Actions, PageServerLoad } from './$types';

/** Only the student's own session opens /me; staff, walls and guests get a 404. */
function requireStudentActor(actor: Actor | null) {
	if (!actor) redirect(303, '/login');
	if (actor.kind !== 'student') error(404, 'Not found');
	return actor;
}

export const load: PageServerLoad = async ({ locals }) => {
	const actor = requireStudentActor(locals.actor);
	const home = await studentHome(db(), actor);
	if (!home) error(404, 'Not found');
	// The student's own link reading their file is a read too (actor kind `student`).
	await recordStudentRead(
		db(),
		actor,
		{ id: actor.studentId, schoolId: actor.schoolId },
		'student.view',
		{ home: true }
	);
	return {
		...home,
		conversations: home.conversations.map((c) => ({
			...c,
			createdAt: c.createdAt.toISOString(),
			lastRecordAt: c.lastRecordAt?.toISOString() ?? null
		}))
	};
};

export const actions: Actions = {
	familyShare: async ({ locals, request }) => {
		const actor = requireStudentActor(locals.actor);
		const parsed = familyShareSchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { familyError: 'invalid' as const });
		// Under 16 the choice is not the student's: refused, nothing stored.
		if (!(await setFamilyShare(db(), actor, parsed.data.familyShare))) {
			return fail(400, { familyError: 'not_offered' as const });
		}
		return { familySaved: parsed.data.familyShare };
	}
};
