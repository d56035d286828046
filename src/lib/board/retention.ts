/**
 * Retention policy: how long each kind of data is kept, as one school sets it, and the cut-off
 * moments that follow from it. Pure, so the daily job, its dry run, the admin's settings form
 * and the public privacy page all read the same numbers (issue "privacy": claim nothing the
 * code does not do).
 */
import { z } from 'zod';

/**
 * Dutch defaults: a student file is kept two years after the student leaves; care meetings
 * follow the school's own policy (by default as long as the file); the audit log a year.
 */
export const retentionDefaults = {
	studentFileYears: 2,
	careNotesYears: 2,
	auditMonths: 12
} as const;

/** Fixed by the app, not by a school: what only serves logging in and sharing. */
export const fixedRetention = {
	/** Failed logins are only needed for throttling (an hour); never kept past a day. */
	loginAttemptHours: 24
} as const;

/**
 * The `retention` part of `school.settings`. Care notes can be kept shorter than the file,
 * never longer: they are part of it, and go when the student row goes.
 */
/** A whole number in range; the codes are what the settings form shows. */
const wholeNumber = (min: number, max: number, fallback: number) =>
	z.coerce
		.number({ error: 'invalid_number' })
		.int('invalid_number')
		.min(min, 'range')
		.max(max, 'range')
		.default(fallback);

export const retentionSettingsSchema = z
	.object({
		studentFileYears: wholeNumber(1, 10, retentionDefaults.studentFileYears),
		careNotesYears: wholeNumber(0, 10, retentionDefaults.careNotesYears),
		auditMonths: wholeNumber(1, 60, retentionDefaults.auditMonths)
	})
	.refine((s) => s.careNotesYears <= s.studentFileYears, {
		message: 'care_longer_than_file',
		path: ['careNotesYears']
	});

export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;

/**
 * A school's settings as stored (jsonb, anything may be in it): an unknown or broken value
 * falls back to the defaults rather than failing the job, because a job that stops deleting is
 * worse than one that keeps to the national default.
 */
export function readRetention(settings: unknown): RetentionSettings {
	const raw =
		settings && typeof settings === 'object' && 'retention' in settings
			? (settings as { retention: unknown }).retention
			: {};
	const parsed = retentionSettingsSchema.safeParse(raw ?? {});
	return parsed.success ? parsed.data : { ...retentionDefaults };
}

/** `months` calendar months before `now` (UTC), the day clamped to the shorter month's end. */
export function monthsBefore(now: Date, months: number): Date {
	const d = new Date(now.getTime());
	const day = d.getUTCDate();
	d.setUTCDate(1);
	d.setUTCMonth(d.getUTCMonth() - months);
	const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
	d.setUTCDate(Math.min(day, last));
	return d;
}

export interface RetentionCutoffs {
	/** A student who left before this moment is deleted. */
	studentLeftBefore: Date;
	/** A left student's care meetings (zorgoverleg) go when they left before this. */
	careLeftBefore: Date;
	/** Audit rows created before this are deleted. */
	auditBefore: Date;
	/** Failed login attempts created before this are deleted. */
	loginAttemptBefore: Date;
}

export function retentionCutoffs(s: RetentionSettings, now: Date): RetentionCutoffs {
	return {
		studentLeftBefore: monthsBefore(now, s.studentFileYears * 12),
		careLeftBefore: monthsBefore(now, s.careNotesYears * 12),
		auditBefore: monthsBefore(now, s.auditMonths),
		loginAttemptBefore: new Date(now.getTime() - fixedRetention.loginAttemptHours * 3_600_000)
	};
}
