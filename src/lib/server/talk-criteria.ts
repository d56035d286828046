/**
 * Which criteria version a three-way talk is held against, and reading one. Server-only, and
 * free of SvelteKit aliases: the sync server (server/rooms.ts) loads a talk's version too.
 */
import { and, desc, eq, isNull, or } from 'drizzle-orm';
import { criteriaContent, defaultLeerhouding, type CriteriaContent } from '../board/criteria';
import { newId } from './auth/tokens';
import type { Queryable } from './db';
import { criteriaSet, criteriaSetVersion } from './db/schema';

/**
 * The criteria version a new talk is held against: the newest version of the team's own set
 * (else the school's), the Dutch default set made for the team when there is none.
 *
 * Seam: feat/growth provides `ensureDefaultSet` and `currentVersion` in
 * src/lib/server/criteria.ts; this reads the same tables until that merges, and should then
 * become `(await currentVersion(tx, ...)) ?? (await ensureDefaultSet(tx, ...))`.
 */
export async function talkCriteriaVersion(
	tx: Queryable,
	schoolId: string,
	teamId: string | null,
	createdById: string | null
): Promise<string> {
	const rows = await tx
		.select({ id: criteriaSetVersion.id, teamId: criteriaSet.teamId })
		.from(criteriaSetVersion)
		.innerJoin(criteriaSet, eq(criteriaSet.id, criteriaSetVersion.setId))
		.where(
			and(
				eq(criteriaSet.schoolId, schoolId),
				isNull(criteriaSet.archivedAt),
				teamId
					? or(eq(criteriaSet.teamId, teamId), isNull(criteriaSet.teamId))
					: isNull(criteriaSet.teamId)
			)
		)
		.orderBy(desc(criteriaSetVersion.createdAt), desc(criteriaSetVersion.version));
	const own = rows.find((r) => r.teamId === teamId) ?? rows[0];
	if (own) return own.id;
	const setId = newId();
	const versionId = newId();
	await tx.insert(criteriaSet).values({
		id: setId,
		schoolId,
		teamId,
		name: defaultLeerhouding.name,
		createdById
	});
	await tx.insert(criteriaSetVersion).values({
		id: versionId,
		setId,
		version: 1,
		content: defaultLeerhouding.content,
		createdById
	});
	return versionId;
}

/** A version's content, only of this school (null: missing, another school's, or malformed). */
export async function loadCriteriaVersion(
	database: Queryable,
	schoolId: string,
	versionId: string | null
): Promise<CriteriaContent | null> {
	if (!versionId) return null;
	const [row] = await database
		.select({ content: criteriaSetVersion.content })
		.from(criteriaSetVersion)
		.innerJoin(criteriaSet, eq(criteriaSet.id, criteriaSetVersion.setId))
		.where(and(eq(criteriaSetVersion.id, versionId), eq(criteriaSet.schoolId, schoolId)))
		.limit(1);
	const parsed = row ? criteriaContent.safeParse(row.content) : null;
	return parsed?.success ? parsed.data : null;
}
