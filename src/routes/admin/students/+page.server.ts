import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { DAY_MS } from '$lib/board/dates';
import { requireAdmin } from '$lib/server/access/guards';
import { listStaff } from '$lib/server/access/staff';
import {
	addStudents,
	listStudents,
	MAX_GROUP,
	MAX_LINES,
	parseStudentList,
	updateStudent,
	validPlacement
} from '$lib/server/access/students';
import { listTeams } from '$lib/server/access/teams';
import { leavingSchema, setStudentLeft } from '$lib/server/privacy/leaving';
import { schoolRetention } from '$lib/server/privacy/retention';
import { db } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

const optionalId = z
	.string()
	.max(40)
	.optional()
	.transform((v) => (v ? v : null));
const bulkSchema = z.object({
	list: z.string().max(50_000, 'too_long'),
	teamId: optionalId,
	mentorId: optionalId
});

export const load: PageServerLoad = async ({ locals, url }) => {
	const admin = requireAdmin(locals.actor);
	const database = db();
	const [students, teams, staff, retention] = await Promise.all([
		listStudents(database, admin.user.schoolId),
		listTeams(database, admin.user.schoolId),
		listStaff(database, admin.user.schoolId),
		schoolRetention(database, admin.user.schoolId)
	]);
	return {
		// The leaving form says when the file goes: the school's own period.
		studentFileYears: retention.studentFileYears,
		today: new Date().toISOString().slice(0, 10),
		students,
		teams: teams.map((t) => ({ id: t.id, name: t.name })),
		staff: staff.filter((s) => !s.deactivatedAt).map((s) => ({ id: s.id, name: s.name })),
		// The first name of a student just erased (erase/+page.server.ts), for the notice.
		erased: url.searchParams.get('erased')?.slice(0, 100) ?? null
	};
};

async function readBulk(request: Request, schoolId: string) {
	const form = Object.fromEntries(await request.formData());
	const values = {
		list: String(form.list ?? '').slice(0, 50_000),
		teamId: String(form.teamId ?? ''),
		mentorId: String(form.mentorId ?? '')
	};
	const parsed = bulkSchema.safeParse(form);
	if (!parsed.success) return { values, error: 'too_long' as const };
	if (!(await validPlacement(db(), schoolId, parsed.data))) {
		return { values, error: 'placement' as const };
	}
	const lines = parseStudentList(parsed.data.list);
	if (lines.length === 0) return { values, error: 'empty' as const };
	if (lines.length > MAX_LINES) return { values, error: 'too_many' as const };
	return { values, lines, placement: parsed.data };
}

export const actions: Actions = {
	preview: async ({ request, locals }) => {
		const admin = requireAdmin(locals.actor);
		const r = await readBulk(request, admin.user.schoolId);
		if ('error' in r) return fail(400, { values: r.values, bulkError: r.error, lines: [] });
		return { values: r.values, lines: r.lines, previewed: true };
	},
	import: async ({ request, locals }) => {
		const admin = requireAdmin(locals.actor);
		const r = await readBulk(request, admin.user.schoolId);
		if ('error' in r) return fail(400, { values: r.values, bulkError: r.error, lines: [] });
		// All or nothing: one bad line and nothing is added, the list stays in the box.
		if (r.lines.some((l) => l.error)) {
			return fail(400, { values: r.values, bulkError: 'lines' as const, lines: r.lines });
		}
		const added = await addStudents(db(), admin.user.schoolId, r.lines, r.placement);
		return { added };
	},
	update: async ({ request, locals }) => {
		const admin = requireAdmin(locals.actor);
		const parsed = z
			.object({
				studentId: z.string().min(1).max(40),
				groupName: z.string().trim().max(MAX_GROUP, 'too_long').default(''),
				teamId: optionalId,
				mentorId: optionalId
			})
			.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { problem: 'invalid' as const });
		const { studentId, ...values } = parsed.data;
		const database = db();
		if (!(await validPlacement(database, admin.user.schoolId, values))) {
			return fail(400, { problem: 'invalid' as const });
		}
		const ok = await updateStudent(database, admin.user.schoolId, studentId, values);
		return ok ? { done: 'updated' } : fail(404, { problem: 'invalid' as const });
	},
	/** The student left on a day (retention counts from it); `undo` clears it again. */
	left: async ({ request, locals }) => {
		const admin = requireAdmin(locals.actor);
		const form = Object.fromEntries(await request.formData());
		const studentId = typeof form.studentId === 'string' ? form.studentId.slice(0, 40) : '';
		if (form.intent === 'undo') {
			const ok = await setStudentLeft(db(), admin, studentId, null);
			return ok ? { leftDone: 'undone' as const } : fail(404, { problem: 'invalid' as const });
		}
		// Compared as calendar days, with a day's slack for time zones ahead of UTC.
		const tomorrow = new Date(Date.now() + DAY_MS).toISOString().slice(0, 10);
		const parsed = leavingSchema(tomorrow).safeParse(form);
		if (!parsed.success) return fail(400, { leftError: studentId });
		const ok = await setStudentLeft(db(), admin, parsed.data.studentId, parsed.data.leftOn);
		return ok ? { leftDone: 'left' as const } : fail(404, { problem: 'invalid' as const });
	}
};
