/**
 * The daily retention run: deletes what each school's policy (board/retention.ts) says is due,
 * and logs the counts, never the content, as one `retention.run` audit row per school (plus one
 * for what belongs to no school). The admin's dry-run page calls the same function with
 * `dryRun: true`, so what it shows is what the next run deletes: every kind below has one
 * condition, counted in a dry run and deleted in a real one.
 *
 * Deleting a student row cascades to everything keyed by the student (roster, consent, photos,
 * history, goals, evidence, assessments, their conversation boards with update logs and
 * snapshots). The daily job passes `eraseStudent` (privacy/erase.ts), which also reaches the
 * student's entries inside shared boards' documents, their update logs and open rooms.
 */
import {
	and,
	asc,
	count,
	eq,
	inArray,
	isNotNull,
	isNull,
	lt,
	or,
	sql,
	type SQL
} from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
	readRetention,
	retentionCutoffs,
	retentionDefaults,
	type RetentionSettings
} from '../../board/retention';
import type { Actor } from '../auth/actor';
import type { Database, Queryable } from '../db';
import {
	auditLog,
	board,
	boardInvite,
	boardStudent,
	loginAttempt,
	school,
	session,
	staffInvite,
	student,
	wallPairing
} from '../db/schema';
import { recordAudit } from './audit';

/** What one school's run deletes (or, in a dry run, would delete). */
export interface SchoolRetention {
	schoolId: string;
	/** Students whose file is due, named only to their school's admin on the dry-run page. */
	students: Array<{ id: string; firstName: string; lastName: string; leftAt: Date }>;
	counts: {
		students: number;
		/** Conversation boards (zorgoverleg, driehoeksgesprek) that go with those students. */
		studentBoards: number;
		/** Care meetings of left students whose school keeps care notes shorter than the file. */
		careBoards: number;
		auditRows: number;
		sessions: number;
		boardInvites: number;
		staffInvites: number;
		wallPairings: number;
	};
}

export interface RetentionResult {
	schools: SchoolRetention[];
	/** What belongs to no school: failed logins, unclaimed pairing codes, anonymous audit rows. */
	global: { loginAttempts: number; wallPairings: number; auditRows: number };
}

export interface RetentionOptions {
	dryRun?: boolean;
	/** Only this school (the admin's dry run); the daily job runs for every school. */
	schoolId?: string;
	/**
	 * Erase one due student everywhere (privacy/erase.ts `eraseStudentData`: also their entries
	 * on shared boards, the boards' update logs and snapshots, open rooms). The daily job passes
	 * it; without it a real run deletes the student rows and what cascades from them.
	 */
	eraseStudent?: (schoolId: string, studentId: string) => Promise<unknown>;
}

/** Count what `where` matches, or delete it; one condition either way. */
async function countOrDelete(
	db: Queryable,
	table: PgTable,
	idColumn: Parameters<typeof count>[0],
	where: SQL | undefined,
	dryRun: boolean
): Promise<number> {
	if (dryRun) {
		const [row] = await db
			.select({ n: count(idColumn) })
			.from(table)
			.where(where);
		return row?.n ?? 0;
	}
	const rows = await db
		.delete(table)
		.where(where)
		.returning({ id: idColumn as never });
	return rows.length;
}

/** One kind of data that is due: the table, its id column and the one condition. */
interface Rule {
	table: PgTable;
	id: Parameters<typeof count>[0];
	where: SQL | undefined;
}

const rule = (table: PgTable, id: Rule['id'], where: SQL | undefined): Rule => ({
	table,
	id,
	where
});

/** Counts (dry run) or deletes (real run) what each rule matches, in order, one after another. */
async function applyRules<K extends string>(
	db: Queryable,
	rules: Record<K, Rule>,
	dryRun: boolean
): Promise<Record<K, number>> {
	const counts = {} as Record<K, number>;
	for (const [key, r] of Object.entries(rules) as Array<[K, Rule]>) {
		counts[key] = await countOrDelete(db, r.table, r.id, r.where, dryRun);
	}
	return counts;
}

async function schoolRun(
	db: Queryable,
	s: { id: string; settings: unknown },
	now: Date,
	dryRun: boolean
): Promise<SchoolRetention> {
	const cut = retentionCutoffs(readRetention(s.settings), now);
	const students = await db
		.select({
			id: student.id,
			firstName: student.firstName,
			lastName: student.lastName,
			leftAt: student.leftAt
		})
		.from(student)
		.where(
			and(
				eq(student.schoolId, s.id),
				isNotNull(student.leftAt),
				lt(student.leftAt, cut.studentLeftBefore)
			)
		)
		.orderBy(asc(student.lastName), asc(student.firstName));
	const dueIds = students.map((st) => st.id);
	const personal = inArray(board.kind, ['zorgoverleg', 'driehoeksgesprek']);

	// Their conversation boards go with them (board.student_id cascades); counted first.
	const [boards] = dueIds.length
		? await db
				.select({ n: count(board.id) })
				.from(board)
				.where(and(eq(board.schoolId, s.id), inArray(board.studentId, dueIds), personal))
		: [{ n: 0 }];
	const studentCount = dueIds.length
		? await countOrDelete(
				db,
				student,
				student.id,
				and(eq(student.schoolId, s.id), inArray(student.id, dueIds)),
				dryRun
			)
		: 0;

	const rules = {
		// Care notes per school policy: a left student's care meetings may go before the file does.
		careBoards: rule(
			board,
			board.id,
			and(
				eq(board.schoolId, s.id),
				eq(board.kind, 'zorgoverleg'),
				isNull(board.partOf),
				dueIds.length ? sql`not (${inArray(board.studentId, dueIds)})` : undefined,
				sql`${board.studentId} in (select ${student.id} from ${student} where ${student.schoolId} = ${s.id} and ${student.leftAt} is not null and ${student.leftAt} < ${cut.careLeftBefore.toISOString()})`,
				// A meeting shared with siblings holds their words too: it stays, and the left child
				// leaves it with their file (eraseStudentData), never by deleting the board.
				sql`not exists (select 1 from ${boardStudent} where ${boardStudent.boardId} = ${board.id})`
			)
		),
		auditRows: rule(
			auditLog,
			auditLog.id,
			and(eq(auditLog.schoolId, s.id), lt(auditLog.createdAt, cut.auditBefore))
		),
		sessions: rule(
			session,
			session.id,
			and(
				eq(session.schoolId, s.id),
				or(lt(session.expiresAt, now), lt(session.absoluteExpiresAt, now))
			)
		),
		// A guest's session ends with its invite (validateSessionToken): a dead invite opens nothing.
		boardInvites: rule(
			boardInvite,
			boardInvite.id,
			and(
				sql`${boardInvite.boardId} in (select ${board.id} from ${board} where ${board.schoolId} = ${s.id})`,
				or(lt(boardInvite.expiresAt, now), isNotNull(boardInvite.revokedAt))
			)
		),
		staffInvites: rule(
			staffInvite,
			staffInvite.id,
			and(
				eq(staffInvite.schoolId, s.id),
				or(
					lt(staffInvite.expiresAt, now),
					isNotNull(staffInvite.revokedAt),
					isNotNull(staffInvite.usedAt)
				)
			)
		),
		// A wall's device session ends when its pairing's session time is up or it is revoked.
		wallPairings: rule(
			wallPairing,
			wallPairing.id,
			and(
				eq(wallPairing.schoolId, s.id),
				or(eq(wallPairing.status, 'revoked'), lt(wallPairing.sessionExpiresAt, now))
			)
		)
	};
	const counted = await applyRules(db, rules, dryRun);
	return {
		schoolId: s.id,
		students: students.map((st) => ({ ...st, leftAt: st.leftAt! })),
		counts: {
			students: studentCount,
			studentBoards: boards?.n ?? 0,
			...counted
		}
	};
}

async function globalRun(db: Queryable, now: Date, dryRun: boolean) {
	const cut = retentionCutoffs({ ...retentionDefaults }, now);
	return applyRules(
		db,
		{
			loginAttempts: rule(
				loginAttempt,
				loginAttempt.id,
				lt(loginAttempt.createdAt, cut.loginAttemptBefore)
			),
			// Codes nobody typed in time, before any school was chosen.
			wallPairings: rule(
				wallPairing,
				wallPairing.id,
				and(
					isNull(wallPairing.schoolId),
					or(lt(wallPairing.codeExpiresAt, now), eq(wallPairing.status, 'revoked'))
				)
			),
			// Failed logins for unknown addresses belong to no school: kept as long as the default.
			auditRows: rule(
				auditLog,
				auditLog.id,
				and(isNull(auditLog.schoolId), lt(auditLog.createdAt, cut.auditBefore))
			)
		},
		dryRun
	);
}

/** A real run's deletions and its `retention.run` row (counts only), in one transaction. */
function logged<T>(
	db: Database,
	schoolId: string | null,
	now: Date,
	run: (tx: Queryable) => Promise<T>,
	counts: (done: T) => object
): Promise<T> {
	return db.transaction(async (tx) => {
		const done = await run(tx);
		await recordAudit(tx, {
			schoolId,
			who: { kind: 'system' },
			action: 'retention.run',
			meta: { counts: counts(done) },
			at: now
		});
		return done;
	});
}

/**
 * Runs retention at `now` (the job passes its clock, tests a fake one). A real run deletes
 * and logs per school in one transaction, so a school's counts are exactly what went.
 */
export async function runRetention(
	db: Database,
	now: Date,
	options: RetentionOptions = {}
): Promise<RetentionResult> {
	const dryRun = options.dryRun ?? false;
	const schools = await db
		.select({ id: school.id, settings: school.settings })
		.from(school)
		.where(options.schoolId ? eq(school.id, options.schoolId) : undefined);
	const result: RetentionResult = {
		schools: [],
		global: { loginAttempts: 0, wallPairings: 0, auditRows: 0 }
	};
	for (const s of schools) {
		if (dryRun) {
			result.schools.push(await schoolRun(db, s, now, true));
			continue;
		}
		// Due students are erased first, one by one (each its own transactions, rooms locked);
		// the school's run then deletes the rest, and its counts include those students.
		const erase = options.eraseStudent;
		const due = erase ? await schoolRun(db, s, now, true) : null;
		for (const st of due?.students ?? []) await erase!(s.id, st.id);
		result.schools.push(
			await logged(
				db,
				s.id,
				now,
				async (tx) => {
					const run = await schoolRun(tx, s, now, false);
					if (!due) return run;
					const counts = {
						...run.counts,
						students: due.counts.students,
						studentBoards: due.counts.studentBoards
					};
					return { ...run, students: due.students, counts };
				},
				(d) => d.counts
			)
		);
	}
	if (options.schoolId) return result;
	result.global = dryRun
		? await globalRun(db, now, true)
		: await logged(
				db,
				null,
				now,
				(tx) => globalRun(tx, now, false),
				(d) => d
			);
	return result;
}

/** The school's retention settings as the admin page shows them (defaults filled in). */
export async function schoolRetention(db: Queryable, schoolId: string) {
	const [row] = await db
		.select({ settings: school.settings })
		.from(school)
		.where(eq(school.id, schoolId))
		.limit(1);
	return readRetention(row?.settings);
}

/** Saves the admin's (already validated) settings into `school.settings` and logs the change. */
export async function saveRetentionSettings(
	db: Database,
	admin: Actor & { kind: 'user' },
	settings: RetentionSettings
): Promise<void> {
	const schoolId = admin.user.schoolId;
	await db.transaction(async (tx) => {
		const [row] = await tx
			.select({ settings: school.settings })
			.from(school)
			.where(eq(school.id, schoolId))
			.for('update');
		await tx
			.update(school)
			.set({ settings: { ...(row?.settings ?? {}), retention: settings } })
			.where(eq(school.id, schoolId));
		await recordAudit(tx, {
			schoolId,
			who: admin,
			action: 'retention.settings',
			meta: { ...settings }
		});
	});
}
