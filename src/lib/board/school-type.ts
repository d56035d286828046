/**
 * The kind of school: primary (po, groep 1-8), secondary (vo) or vocational (mbo). It sets
 * sensible defaults where the kinds differ (the progress wall's flags: a groep 8 has no
 * internship), never what a team may do. Stored in `school.settings.schoolType`.
 */
import { z } from 'zod';

export const schoolTypes = ['po', 'vo', 'mbo'] as const;
export type SchoolType = (typeof schoolTypes)[number];
export const schoolTypeSchema = z.enum(schoolTypes);

/**
 * Schools set up before the type was asked for used the progress wall as it was specified
 * for MBO, so they keep the flags their teams already know.
 */
export const LEGACY_SCHOOL_TYPE: SchoolType = 'mbo';

export function readSchoolType(
	schoolSettings: Record<string, unknown> | null | undefined
): SchoolType {
	const parsed = schoolTypeSchema.safeParse(schoolSettings?.schoolType);
	return parsed.success ? parsed.data : LEGACY_SCHOOL_TYPE;
}
