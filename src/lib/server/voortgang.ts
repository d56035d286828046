/**
 * Server side of the progress wall: the data a wall needs that is relational (students,
 * mentors, photos with consent, history, signals), and writing the history the server derives
 * from the wall's document (never from a browser request).
 * The live state (stoplight, flags, one line) is in the board's Y.Doc; see $lib/board/voortgang.
 */
import { and, asc, desc, eq, gte, inArray, isNull } from 'drizzle-orm';
import { WEEK_MS } from '$lib/board/dates';
import { computeSignals, type SignalEvent } from '$lib/board/signals';
import {
	readWallSettings,
	stoplightSchema,
	studentUpdateSchema,
	type Stoplight,
	type StudentUpdate,
	type Thresholds
} from '$lib/board/voortgang';
import { actorId, actorName, type Actor } from './auth/actor';
import {
	actorSchool,
	loadBoard,
	loadStudent,
	loadTeam,
	mayViewTeamPhotos,
	teamAccess,
	type BoardRole
} from './auth/permissions';
import { capabilitiesOf } from '../board/capabilities';
import type { Queryable } from './db';
import { school, student, studentEvent, studentGoal, team, user, type Board } from './db/schema';
import { readSchoolType } from '$lib/board/school-type';
import { consentedStudents } from './photos/consent';
import { agreedGoals } from './growth';
import type { ProgressWallData, WallStudent } from '$lib/board/voortgang-data';

export type { ProgressWallData, WallStudent };

/** How far back the wall reads history: enough for long streaks, bounded for speed. */
const HISTORY_WEEKS = 26;
export const STRIP_WEEKS = 8;

/** Student id -> photo id, for the photos this actor may see on this wall right now. */
export async function visibleWallPhotos(
	db: Queryable,
	board: Board,
	actor: Actor
): Promise<Record<string, string>> {
	if (!board.teamId || !(await mayViewTeamPhotos(db, actor, board))) return {};
	const rows = await db
		.select({ id: student.id, photoId: student.photoId })
		.from(student)
		.where(
			and(
				eq(student.teamId, board.teamId),
				eq(student.schoolId, board.schoolId),
				isNull(student.leftAt)
			)
		);
	const withPhoto = rows.filter((r) => r.photoId);
	const consented = await consentedStudents(
		db,
		withPhoto.map((r) => r.id)
	);
	return Object.fromEntries(
		withPhoto.filter((r) => consented.has(r.id)).map((r) => [r.id, r.photoId!])
	);
}

function toSignalEvent(row: typeof studentEvent.$inferSelect): SignalEvent {
	const stoplight = stoplightSchema.safeParse(row.data.stoplight);
	const flags = Array.isArray(row.data.flags) ? row.data.flags.map(String) : [];
	return {
		studentId: row.studentId,
		kind: row.kind,
		at: row.createdAt,
		data: { stoplight: stoplight.success ? stoplight.data : null, flags }
	};
}

/** The team's own flags and thresholds, or the defaults for its school's type. */
async function wallSettingsOf(
	db: Queryable,
	schoolId: string,
	teamRow: { settings: Record<string, unknown> } | null | undefined
) {
	const [row] = await db
		.select({ settings: school.settings })
		.from(school)
		.where(eq(school.id, schoolId));
	return readWallSettings(teamRow?.settings, readSchoolType(row?.settings));
}

export async function loadProgressWall(
	db: Queryable,
	board: Board,
	actor: Actor,
	now = new Date()
): Promise<ProgressWallData> {
	const teamRow = board.teamId ? await loadTeam(db, board.schoolId, board.teamId) : null;
	const { flags, thresholds } = await wallSettingsOf(db, board.schoolId, teamRow);
	const me = { id: actor.kind === 'user' ? actor.user.id : null, name: actorName(actor) };
	if (!teamRow) {
		return {
			students: [],
			mentors: [],
			flags,
			thresholds,
			signals: [],
			me,
			now: now.toISOString()
		};
	}

	const rows = await db
		.select({
			id: student.id,
			firstName: student.firstName,
			lastName: student.lastName,
			groupName: student.groupName,
			mentorId: student.mentorId,
			mentorName: user.name
		})
		.from(student)
		.leftJoin(user, eq(user.id, student.mentorId))
		.where(
			and(
				eq(student.teamId, teamRow.id),
				eq(student.schoolId, board.schoolId),
				isNull(student.leftAt)
			)
		)
		.orderBy(asc(student.firstName), asc(student.lastName));
	const ids = rows.map((r) => r.id);
	const since = new Date(now.getTime() - HISTORY_WEEKS * WEEK_MS);
	const [events, goals, photos, agreed] = await Promise.all([
		ids.length
			? db
					.select()
					.from(studentEvent)
					.where(
						and(
							inArray(studentEvent.studentId, ids),
							eq(studentEvent.kind, 'update'),
							gte(studentEvent.createdAt, since)
						)
					)
					.orderBy(asc(studentEvent.createdAt), asc(studentEvent.id))
			: [],
		ids.length ? db.select().from(studentGoal).where(inArray(studentGoal.studentId, ids)) : [],
		visibleWallPhotos(db, board, actor),
		agreedGoals(db, board.schoolId, ids)
	]);
	const agreedByStudent = new Map<string, NonNullable<WallStudent['agreedGoals']>>();
	for (const g of agreed) {
		const list = agreedByStudent.get(g.studentId) ?? [];
		list.push({ id: g.id, text: g.text, actions: g.actions });
		agreedByStudent.set(g.studentId, list);
	}

	const lastByStudent = new Map<string, (typeof events)[number]>();
	const monthAgoByStudent = new Map<string, (typeof events)[number]>();
	const monthAgo = now.getTime() - 4 * WEEK_MS;
	const strips = new Map<string, Array<Stoplight | null>>();
	for (const e of events) {
		lastByStudent.set(e.studentId, e);
		if (e.createdAt.getTime() <= monthAgo) monthAgoByStudent.set(e.studentId, e);
		const window = Math.floor((now.getTime() - e.createdAt.getTime()) / WEEK_MS);
		if (window < 0 || window >= STRIP_WEEKS) continue;
		const strip = strips.get(e.studentId) ?? Array<Stoplight | null>(STRIP_WEEKS).fill(null);
		const light = stoplightSchema.safeParse(e.data.stoplight);
		strip[STRIP_WEEKS - 1 - window] = light.success ? light.data : null;
		strips.set(e.studentId, strip);
	}

	const students: WallStudent[] = rows.map((r) => {
		const last = lastByStudent.get(r.id);
		const parsed = last ? studentUpdateSchema.safeParse(last.data) : null;
		const before = monthAgoByStudent.get(r.id);
		const parsedBefore = before ? studentUpdateSchema.safeParse(before.data) : null;
		return {
			id: r.id,
			name: `${r.firstName} ${r.lastName}`.trim(),
			groupName: r.groupName,
			mentorId: r.mentorId,
			mentorName: r.mentorName ?? '',
			photoId: photos[r.id] ?? null,
			last:
				last && parsed?.success
					? { ...parsed.data, at: last.createdAt.toISOString(), by: last.actorName }
					: null,
			monthAgo:
				before && parsedBefore?.success
					? { ...parsedBefore.data, at: before.createdAt.toISOString() }
					: null,
			strip: strips.get(r.id) ?? Array<Stoplight | null>(STRIP_WEEKS).fill(null),
			agreedGoals: agreedByStudent.get(r.id) ?? []
		};
	});
	const mentors = [
		...new Map(
			rows.filter((r) => r.mentorId).map((r) => [r.mentorId!, r.mentorName ?? ''] as const)
		)
	]
		.map(([id, name]) => ({ id, name }))
		.sort((a, b) => a.name.localeCompare(b.name, 'nl'));
	const signals = computeSignals(
		events.map(toSignalEvent),
		now,
		thresholds,
		goals.map((g) => ({
			id: g.id,
			studentId: g.studentId,
			text: g.text,
			dueDate: g.dueDate,
			status: g.status
		}))
	);
	return { students, mentors, flags, thresholds, signals, me, now: now.toISOString() };
}

/**
 * Write one history entry for a student of a progress wall. Only the server calls this, with
 * what the board's own document says (server/student-history.ts derives it from the room);
 * no browser request reaches it. Returns the event id, or null when the board is no progress
 * wall, the student is not one of the wall's team, or `by` may not change student entries.
 * Flags the team does not have are left out: the history speaks the team's words only.
 */
export async function recordStudentEvent(
	db: Queryable,
	input: {
		boardId: string;
		studentId: string;
		update: StudentUpdate;
		by: { actor: Actor; role: BoardRole };
		at?: Date;
	}
): Promise<number | null> {
	if (!capabilitiesOf(input.by.role).studentEntries) return null;
	const board = await loadBoard(db, actorSchool(input.by.actor), input.boardId);
	if (!board || board.kind !== 'voortgangsbord' || !board.teamId) return null;
	const s = await loadStudent(db, board.schoolId, input.studentId);
	if (!s || s.teamId !== board.teamId) return null;
	const teamRow = await loadTeam(db, board.schoolId, board.teamId);
	const known = new Set((await wallSettingsOf(db, board.schoolId, teamRow)).flags.map((f) => f.id));
	const parsed = studentUpdateSchema.safeParse(input.update);
	if (!parsed.success) return null;
	const update = parsed.data;
	const [row] = await db
		.insert(studentEvent)
		.values({
			studentId: s.id,
			boardId: board.id,
			kind: 'update',
			data: {
				stoplight: update.stoplight,
				flags: [...new Set(update.flags.filter((f) => known.has(f)))].sort(),
				note: update.note
			},
			actorId: actorId(input.by.actor),
			actorName: actorName(input.by.actor),
			createdAt: input.at ?? new Date()
		})
		.returning({ id: studentEvent.id });
	return row?.id ?? null;
}

export async function studentTimeline(db: Queryable, studentId: string, limit = 100) {
	return db
		.select()
		.from(studentEvent)
		.where(eq(studentEvent.studentId, studentId))
		.orderBy(desc(studentEvent.createdAt), desc(studentEvent.id))
		.limit(limit);
}

/** Team members may tune the thresholds of their signals; the wall re-reads them on load. */
export async function saveThresholds(
	db: Queryable,
	actor: Actor,
	teamId: string,
	thresholds: Thresholds
) {
	if (actor.kind !== 'user') return false;
	const schoolId = actor.user.schoolId;
	const row = await loadTeam(db, schoolId, teamId);
	if (!row || (await teamAccess(db, actor, row)) !== 'staff') return false;
	const current = (row.settings.voortgang ?? {}) as Record<string, unknown>;
	await db
		.update(team)
		.set({ settings: { ...row.settings, voortgang: { ...current, thresholds } } })
		.where(and(eq(team.id, teamId), eq(team.schoolId, schoolId)));
	return true;
}
