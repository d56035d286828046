/**
 * Photo consent, append-only: the newest row per student is the one in force. Under 16 a
 * parent decides, from 16 the student does (AVG/GDPR art. 8 as the Netherlands applies it);
 * only the birth date decides which, never a checkbox.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor';
import type { Database, Queryable } from '../db';
import { photoConsent, user } from '../db/schema';
import { recordAudit } from '../privacy/audit';

export type ConsentStatus = 'given' | 'withdrawn';
export type ConsentGiver = 'parent' | 'student';

/** Age in whole years on `now`, from an ISO date string (yyyy-mm-dd). */
export function ageOn(birthDate: string, now: Date): number {
	const [y, mo, d] = birthDate.split('-').map(Number) as [number, number, number];
	let age = now.getUTCFullYear() - y;
	const beforeBirthday =
		now.getUTCMonth() + 1 < mo || (now.getUTCMonth() + 1 === mo && now.getUTCDate() < d);
	if (beforeBirthday) age -= 1;
	return age;
}

/** Without a known birth date we ask the parent: the careful choice. */
export function consentGiver(birthDate: string | null, now = new Date()): ConsentGiver {
	return birthDate && ageOn(birthDate, now) >= 16 ? 'student' : 'parent';
}

export async function recordConsent(
	db: Queryable,
	actor: Actor & { kind: 'user' },
	s: { id: string; birthDate: string | null },
	status: ConsentStatus,
	now = new Date()
) {
	const givenBy = consentGiver(s.birthDate, now);
	return (db as Database).transaction(async (tx) => {
		const [row] = await tx
			.insert(photoConsent)
			.values({ studentId: s.id, status, givenBy, recordedById: actor.user.id, recordedAt: now })
			.returning();
		await recordAudit(tx, {
			schoolId: actor.user.schoolId,
			who: actor,
			action: 'consent.change',
			subjectType: 'photo_consent',
			subjectId: String(row!.id),
			studentId: s.id,
			meta: { status, givenBy }
		});
		return row!;
	});
}

export async function consentHistory(db: Queryable, studentId: string) {
	return db
		.select()
		.from(photoConsent)
		.where(eq(photoConsent.studentId, studentId))
		.orderBy(desc(photoConsent.recordedAt), desc(photoConsent.id));
}

export async function hasConsent(db: Queryable, studentId: string): Promise<boolean> {
	const [latest] = await consentHistory(db, studentId);
	return latest?.status === 'given';
}

/** The students among `ids` whose newest consent row says "given". */
export async function consentedStudents(db: Queryable, ids: string[]): Promise<Set<string>> {
	if (ids.length === 0) return new Set();
	const rows = await db
		.selectDistinctOn([photoConsent.studentId], {
			studentId: photoConsent.studentId,
			status: photoConsent.status
		})
		.from(photoConsent)
		.where(inArray(photoConsent.studentId, ids))
		.orderBy(photoConsent.studentId, desc(photoConsent.recordedAt), sql`${photoConsent.id} desc`);
	return new Set(rows.filter((r) => r.status === 'given').map((r) => r.studentId));
}

/**
 * The consent in force was given by a parent, but the student is 16 now and decides for
 * themself: the mentor is reminded to ask the student and record it again.
 */
export function consentRenewalDue(
	birthDate: string | null,
	latest: { status: ConsentStatus; givenBy: ConsentGiver } | undefined,
	now = new Date()
): boolean {
	return (
		consentGiver(birthDate, now) === 'student' &&
		latest?.status === 'given' &&
		latest.givenBy === 'parent'
	);
}

/** Of these students, the ones whose consent must be renewed by the student (see above). */
export async function renewalsDue(
	db: Queryable,
	students: Array<{ id: string; birthDate: string | null }>,
	now = new Date()
): Promise<Set<string>> {
	// Only who is 16 or older can be due: no query for a class of younger children.
	const adults = students.filter((s) => consentGiver(s.birthDate, now) === 'student');
	if (adults.length === 0) return new Set();
	const rows = await db
		.selectDistinctOn([photoConsent.studentId], {
			studentId: photoConsent.studentId,
			status: photoConsent.status,
			givenBy: photoConsent.givenBy
		})
		.from(photoConsent)
		.where(
			inArray(
				photoConsent.studentId,
				adults.map((s) => s.id)
			)
		)
		.orderBy(photoConsent.studentId, desc(photoConsent.recordedAt), sql`${photoConsent.id} desc`);
	const birth = new Map(adults.map((s) => [s.id, s.birthDate]));
	return new Set(
		rows
			.filter((r) => consentRenewalDue(birth.get(r.studentId) ?? null, r, now))
			.map((r) => r.studentId)
	);
}

/** Who recorded each consent row, by name, from the student's own school only. */
export async function consentRecorders(db: Queryable, schoolId: string, userIds: string[]) {
	if (userIds.length === 0) return new Map<string, string>();
	const rows = await db
		.select({ id: user.id, name: user.name })
		.from(user)
		.where(and(eq(user.schoolId, schoolId), inArray(user.id, userIds)));
	return new Map(rows.map((r) => [r.id, r.name]));
}
