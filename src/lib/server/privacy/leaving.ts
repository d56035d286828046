/**
 * A student leaves the school: the admin records the date (retention counts from it) and can
 * undo it. A left student no longer appears in staff lists and their own link stops working
 * (permissions.ts, session.ts read `left_at`); their file stays until retention deletes it.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { isoDate } from '../../board/dates';
import type { Actor } from '../auth/actor';
import type { Database } from '../db';
import { student } from '../db/schema';
import { recordAudit } from './audit';

/** The form: a real calendar day, not in the future (a leaving is recorded, not planned). */
export function leavingSchema(today: string) {
	return z.object({
		studentId: z.string().min(1).max(40),
		leftOn: isoDate('invalid_date').refine((d) => d <= today, 'future')
	});
}

/** Sets (a day) or clears (null) the student's leaving date; false when not of this school. */
export async function setStudentLeft(
	db: Database,
	admin: Actor & { kind: 'user' },
	studentId: string,
	leftOn: string | null
): Promise<boolean> {
	const schoolId = admin.user.schoolId;
	return db.transaction(async (tx) => {
		const rows = await tx
			.update(student)
			// Noon UTC: the same calendar day in school time, whatever the server's zone.
			.set({ leftAt: leftOn ? new Date(`${leftOn}T12:00:00Z`) : null, updatedAt: new Date() })
			.where(and(eq(student.id, studentId), eq(student.schoolId, schoolId)))
			.returning({ id: student.id });
		if (rows.length === 0) return false;
		await recordAudit(tx, {
			schoolId,
			who: admin,
			action: 'student.left',
			subjectType: 'student',
			subjectId: studentId,
			studentId,
			meta: { left: leftOn !== null }
		});
		return true;
	});
}
