import { error } from '@sveltejs/kit';
import { and, asc, eq } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { requireAdmin } from '$lib/server/access/guards';
import { listStaff } from '$lib/server/access/staff';
import { student } from '$lib/server/db/schema';
import { auditFilterSchema, browseAudit } from '$lib/server/privacy/audit-browse';
import { db } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/** The audit log of the admin's own school: filter by student, person and period. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const admin = requireAdmin(locals.actor);
	const parsed = auditFilterSchema.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) error(400, m.pv_audit_bad_filter());
	const database = db();
	const schoolId = admin.user.schoolId;
	const [log, staff, students] = await Promise.all([
		browseAudit(database, schoolId, parsed.data),
		listStaff(database, schoolId),
		// Left students too: their file is still here, and so is who looked at it.
		database
			.select({ id: student.id, firstName: student.firstName, lastName: student.lastName })
			.from(student)
			.where(and(eq(student.schoolId, schoolId)))
			.orderBy(asc(student.firstName), asc(student.lastName))
	]);
	return {
		filter: parsed.data,
		log,
		people: staff.map((s) => ({ id: s.id, name: s.name })),
		students: students.map((s) => ({ id: s.id, name: `${s.firstName} ${s.lastName}`.trim() }))
	};
};
