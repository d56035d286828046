/**
 * Criteria sets (succescriteria with levels in words) and their versions. A version is never
 * rewritten: saving a set adds version n+1, so an assessment made against version 3 reads as it
 * was made. Who may edit: `mayEditCriteria` in auth/permissions.ts; every lookup here is scoped
 * to the school in the query. Free of SvelteKit aliases: the sync server (server/rooms.ts)
 * loads a talk's version from here too.
 */
import { and, asc, desc, eq, inArray, isNull, or } from 'drizzle-orm';
import { criteriaContent, defaultLeerhouding, type CriteriaContent } from '../board/criteria';
import { newId } from './auth/tokens';
import type { Database, Queryable } from './db';
import { criteriaSet, criteriaSetVersion, type CriteriaSet } from './db/schema';

export interface SetWithVersion {
	set: CriteriaSet;
	versionId: string;
	version: number;
	content: CriteriaContent;
}

/** A set of this school (archived ones too), or null: another school's id is not found. */
export async function loadSet(
	db: Queryable,
	schoolId: string,
	setId: string
): Promise<CriteriaSet | null> {
	const [row] = await db
		.select()
		.from(criteriaSet)
		.where(and(eq(criteriaSet.id, setId), eq(criteriaSet.schoolId, schoolId)))
		.limit(1);
	return row ?? null;
}

/** One version of a set of this school, with its set, or null. */
export async function loadVersion(db: Queryable, schoolId: string, versionId: string) {
	const [row] = await db
		.select({ version: criteriaSetVersion, set: criteriaSet })
		.from(criteriaSetVersion)
		.innerJoin(criteriaSet, eq(criteriaSet.id, criteriaSetVersion.setId))
		.where(and(eq(criteriaSetVersion.id, versionId), eq(criteriaSet.schoolId, schoolId)))
		.limit(1);
	return row ?? null;
}

/** The newest version of a set of this school, or null. */
export async function currentVersion(db: Queryable, schoolId: string, setId: string) {
	const [row] = await db
		.select({ version: criteriaSetVersion })
		.from(criteriaSetVersion)
		.innerJoin(criteriaSet, eq(criteriaSet.id, criteriaSetVersion.setId))
		.where(and(eq(criteriaSetVersion.setId, setId), eq(criteriaSet.schoolId, schoolId)))
		.orderBy(desc(criteriaSetVersion.version))
		.limit(1);
	return row?.version ?? null;
}

/** Every version's content of a set, oldest first (new ids must not reuse an old one). */
export async function setHistory(db: Queryable, schoolId: string, setId: string) {
	const rows = await db
		.select({ content: criteriaSetVersion.content })
		.from(criteriaSetVersion)
		.innerJoin(criteriaSet, eq(criteriaSet.id, criteriaSetVersion.setId))
		.where(and(eq(criteriaSetVersion.setId, setId), eq(criteriaSet.schoolId, schoolId)))
		.orderBy(asc(criteriaSetVersion.version));
	return rows.map((r) => r.content);
}

/**
 * The live sets a team works with: its own and the school-wide ones (`teamId` null), each with
 * its current version. `teamId` null lists only the school-wide sets.
 */
export async function listSets(
	db: Queryable,
	schoolId: string,
	teamId: string | null
): Promise<SetWithVersion[]> {
	const sets = await db
		.select()
		.from(criteriaSet)
		.where(
			and(
				eq(criteriaSet.schoolId, schoolId),
				isNull(criteriaSet.archivedAt),
				teamId
					? or(eq(criteriaSet.teamId, teamId), isNull(criteriaSet.teamId))
					: isNull(criteriaSet.teamId)
			)
		)
		.orderBy(asc(criteriaSet.createdAt), asc(criteriaSet.id));
	if (sets.length === 0) return [];
	const versions = await db
		.selectDistinctOn([criteriaSetVersion.setId])
		.from(criteriaSetVersion)
		.where(
			inArray(
				criteriaSetVersion.setId,
				sets.map((s) => s.id)
			)
		)
		.orderBy(criteriaSetVersion.setId, desc(criteriaSetVersion.version));
	const bySet = new Map(versions.map((v) => [v.setId, v]));
	return sets.flatMap((set) => {
		const v = bySet.get(set.id);
		return v ? [{ set, versionId: v.id, version: v.version, content: v.content }] : [];
	});
}

interface NewSet {
	schoolId: string;
	teamId: string | null;
	name: string;
	content: CriteriaContent;
	createdById?: string | null;
}

/** Inserts a set with its first version, in the caller's transaction. */
export async function insertSet(tx: Queryable, input: NewSet): Promise<SetWithVersion> {
	const content = criteriaContent.parse(input.content);
	const [set] = await tx
		.insert(criteriaSet)
		.values({
			id: newId(),
			schoolId: input.schoolId,
			teamId: input.teamId,
			name: input.name,
			createdById: input.createdById ?? null
		})
		.returning();
	const [v] = await tx
		.insert(criteriaSetVersion)
		.values({
			id: newId(),
			setId: set!.id,
			version: 1,
			content,
			createdById: input.createdById ?? null
		})
		.returning();
	return { set: set!, versionId: v!.id, version: 1, content };
}

/** Creates a set with its first version, in one transaction. */
export async function createSet(db: Database, input: NewSet): Promise<SetWithVersion> {
	return db.transaction((tx) => insertSet(tx, input));
}

/**
 * The team's sets, creating "Leerhouding" from the default the first time a team needs one
 * (and has no set of its own or of the school). Idempotent for a team that has any set.
 */
export async function ensureDefaultSet(
	db: Database,
	schoolId: string,
	teamId: string,
	createdById: string | null = null
): Promise<SetWithVersion[]> {
	const existing = await listSets(db, schoolId, teamId);
	if (existing.length > 0) return existing;
	await createSet(db, {
		schoolId,
		teamId,
		name: defaultLeerhouding.name,
		content: defaultLeerhouding.content,
		createdById
	});
	return listSets(db, schoolId, teamId);
}

export type SaveVersionResult =
	| { ok: true; versionId: string; version: number }
	| { ok: false; reason: 'not_found' | 'archived' };

/**
 * Saves a set's name and content as version n+1. The set row is locked for the transaction,
 * so two people saving at once get versions n+1 and n+2, never a clash; earlier versions are
 * never touched. The content is validated here too: no caller can store an invalid rubric.
 */
export async function saveVersion(
	db: Database,
	schoolId: string,
	setId: string,
	input: { name: string; content: CriteriaContent; createdById?: string | null }
): Promise<SaveVersionResult> {
	const content = criteriaContent.parse(input.content);
	return db.transaction(async (tx) => {
		const [set] = await tx
			.select()
			.from(criteriaSet)
			.where(and(eq(criteriaSet.id, setId), eq(criteriaSet.schoolId, schoolId)))
			.for('update')
			.limit(1);
		if (!set) return { ok: false, reason: 'not_found' } as const;
		if (set.archivedAt) return { ok: false, reason: 'archived' } as const;
		const [last] = await tx
			.select({ version: criteriaSetVersion.version })
			.from(criteriaSetVersion)
			.where(eq(criteriaSetVersion.setId, setId))
			.orderBy(desc(criteriaSetVersion.version))
			.limit(1);
		const version = (last?.version ?? 0) + 1;
		const [v] = await tx
			.insert(criteriaSetVersion)
			.values({ id: newId(), setId, version, content, createdById: input.createdById ?? null })
			.returning({ id: criteriaSetVersion.id });
		if (input.name !== set.name) {
			await tx
				.update(criteriaSet)
				.set({ name: input.name })
				.where(and(eq(criteriaSet.id, setId), eq(criteriaSet.schoolId, schoolId)));
		}
		return { ok: true, versionId: v!.id, version } as const;
	});
}

/** Archives a set: no longer listed or offered, its versions and assessments stay as they are. */
export async function archiveSet(db: Queryable, schoolId: string, setId: string) {
	const rows = await db
		.update(criteriaSet)
		.set({ archivedAt: new Date() })
		.where(
			and(
				eq(criteriaSet.id, setId),
				eq(criteriaSet.schoolId, schoolId),
				isNull(criteriaSet.archivedAt)
			)
		)
		.returning({ id: criteriaSet.id });
	return rows.length > 0;
}

/* ------------------------------------------------------------------ three-way talks */

/**
 * The criteria version a new talk is held against: the newest version of the team's own set
 * (else the school's), the Dutch default set made for the team when there is none.
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
	const created = await insertSet(tx, {
		schoolId,
		teamId,
		name: defaultLeerhouding.name,
		content: defaultLeerhouding.content,
		createdById
	});
	return created.versionId;
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
