import { fail } from '@sveltejs/kit';
import { retentionSettingsSchema } from '$lib/board/retention';
import { requireAdmin } from '$lib/server/access/guards';
import {
	runRetention,
	saveRetentionSettings,
	schoolRetention
} from '$lib/server/privacy/retention';
import { mentionsOfStudents } from '$lib/server/privacy/erase';
import { db, getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

/** The school's retention periods, and a dry run: what the next daily run will delete. */
export const load: PageServerLoad = async ({ locals }) => {
	const admin = requireAdmin(locals.actor);
	const database = db();
	const now = new Date();
	const [settings, dry] = await Promise.all([
		schoolRetention(database, admin.user.schoolId),
		// The very function the daily job runs, told not to delete: what it lists is what goes.
		runRetention(database, now, { dryRun: true, schoolId: admin.user.schoolId })
	]);
	const mine = dry.schools[0];
	const due = mine?.students ?? [];
	// Free text elsewhere that names a due student is not deleted by the run (a name match can
	// be another child): listed here for a person to decide on the student's erasure page.
	const mentions = await mentionsOfStudents(getRuntime(), admin.user.schoolId, due);
	return {
		settings,
		at: now,
		counts: mine?.counts ?? null,
		students: due.map((s) => ({
			id: s.id,
			name: `${s.firstName} ${s.lastName}`.trim(),
			leftAt: s.leftAt,
			mentions: (mentions.get(s.id) ?? []).map((m) => ({
				key: m.key,
				title: m.title,
				boardTitle: m.boardTitle,
				about: m.kind === 'note' ? m.studentName : null
			}))
		}))
	};
};

export const actions: Actions = {
	settings: async ({ locals, request }) => {
		const admin = requireAdmin(locals.actor);
		const form = Object.fromEntries(await request.formData());
		const parsed = retentionSettingsSchema.safeParse(form);
		if (!parsed.success) {
			const issue = parsed.error.issues[0]!;
			return fail(400, {
				field: String(issue.path[0] ?? ''),
				problem: issue.message,
				values: {
					studentFileYears: String(form.studentFileYears ?? '').slice(0, 5),
					careNotesYears: String(form.careNotesYears ?? '').slice(0, 5),
					auditMonths: String(form.auditMonths ?? '').slice(0, 5)
				}
			});
		}
		await saveRetentionSettings(db(), admin, parsed.data);
		return { saved: true };
	}
};
