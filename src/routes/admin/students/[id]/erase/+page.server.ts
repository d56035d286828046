import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireAdmin } from '$lib/server/access/guards';
import { eraseStudentData, erasurePreview } from '$lib/server/privacy/erase';
import { getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

const confirmSchema = z.object({
	firstName: z.string().trim().max(100),
	// Ticked cards elsewhere that name the student (`<boardId>/<cardId>`); unknown keys erase nothing.
	mentions: z.array(z.string().max(100)).max(1000)
});

/** What will go, named per kind, before an admin erases a student (AVG art. 17). */
export const load: PageServerLoad = async ({ locals, params }) => {
	const admin = requireAdmin(locals.actor);
	const preview = await erasurePreview(getRuntime(), admin.user.schoolId, params.id.slice(0, 40));
	if (!preview) error(404, 'Not found');
	return preview;
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const admin = requireAdmin(locals.actor);
		const runtime = getRuntime();
		const preview = await erasurePreview(runtime, admin.user.schoolId, params.id.slice(0, 40));
		if (!preview) error(404, 'Not found');
		const form = await request.formData();
		const parsed = confirmSchema.safeParse({
			firstName: form.get('firstName') ?? '',
			mentions: form.getAll('mention')
		});
		// Typing the first name is the confirmation: a slip of the finger never erases a child.
		const typed = parsed.success ? parsed.data.firstName : '';
		if (
			typed.toLocaleLowerCase('nl') !== preview.student.firstName.trim().toLocaleLowerCase('nl')
		) {
			return fail(400, {
				firstName: typed,
				wrong: true,
				mentions: parsed.success ? parsed.data.mentions : []
			});
		}
		await eraseStudentData(runtime, admin.user.schoolId, preview.student.id, admin, {
			mentions: parsed.success ? parsed.data.mentions : []
		});
		redirect(303, `/admin/students?erased=${encodeURIComponent(preview.student.firstName)}`);
	}
};
