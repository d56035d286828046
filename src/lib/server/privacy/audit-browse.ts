/**
 * The admin's view of the audit log: one school's rows, filtered by student, by person and by
 * period, a page at a time, with the people and objects named from the school's own tables
 * (never from the row: it holds ids only). Every lookup is scoped to the school in the query.
 */
import { and, count, desc, eq, gte, inArray, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { DAY_MS, isoDate } from '../../board/dates';
import type { Queryable } from '../db';
import { auditLog, board, student, team, user } from '../db/schema';
import type { AuditWhoView } from '../../components/privacy/labels';

export const AUDIT_PAGE_SIZE = 50;

const optionalId = z
	.string()
	.max(40)
	.optional()
	.transform((v) => v || undefined);
const optionalDay = z
	.union([z.literal(''), isoDate()])
	.optional()
	.transform((v) => v || undefined);

/** The page's query string; anything else is a 400 with the field named. */
export const auditFilterSchema = z
	.object({
		student: optionalId,
		person: optionalId,
		from: optionalDay,
		to: optionalDay,
		page: z.coerce.number().int().min(1).max(10_000).default(1)
	})
	.refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'period', path: ['to'] });

export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** A day in school time (Europe/Amsterdam) starts at most two hours before UTC midnight. */
function dayStart(day: string): Date {
	const utc = new Date(`${day}T00:00:00Z`);
	const local = new Date(utc.toLocaleString('en-US', { timeZone: 'Europe/Amsterdam' }));
	const offset =
		local.getTime() - new Date(utc.toLocaleString('en-US', { timeZone: 'UTC' })).getTime();
	return new Date(utc.getTime() - offset);
}

const nextDay = (day: string) =>
	new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

export interface AuditRowView {
	id: number;
	at: Date;
	action: string;
	who: AuditWhoView;
	studentName: string | null;
	studentId: string | null;
	boardTitle: string | null;
	/** Reason codes and counts, shown as they are (never content, see audit.ts). */
	facts: Record<string, unknown>;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

export async function browseAudit(db: Queryable, schoolId: string, f: AuditFilter) {
	const conditions: SQL[] = [eq(auditLog.schoolId, schoolId)];
	if (f.student) conditions.push(eq(auditLog.studentId, f.student));
	if (f.person) conditions.push(eq(auditLog.actorId, f.person));
	if (f.from) conditions.push(gte(auditLog.createdAt, dayStart(f.from)));
	if (f.to) conditions.push(lt(auditLog.createdAt, dayStart(nextDay(f.to))));
	const where = and(...conditions);
	const [{ total } = { total: 0 }] = await db
		.select({ total: count(auditLog.id) })
		.from(auditLog)
		.where(where);
	const rows = await db
		.select()
		.from(auditLog)
		.where(where)
		.orderBy(desc(auditLog.createdAt), desc(auditLog.id))
		.limit(AUDIT_PAGE_SIZE)
		.offset((f.page - 1) * AUDIT_PAGE_SIZE);

	const userIds = rows.filter((r) => r.actorKind === 'user').map((r) => r.actorId!);
	const studentIds = [
		...rows.map((r) => r.studentId),
		...rows.map((r) => (r.actorKind === 'student' ? r.actorId!.replace(/^student:/, '') : null))
	].filter((v): v is string => !!v);
	const boardIds = rows
		.flatMap((r) => [r.subjectType === 'board' ? r.subjectId : null, str(r.meta.guestBoardId)])
		.filter((v): v is string => !!v);
	const teamIds = rows.map((r) => str(r.meta.teamId)).filter((v): v is string => !!v);
	const [users, students, boards, teams] = await Promise.all([
		userIds.length
			? db
					.select({ id: user.id, name: user.name, role: user.role })
					.from(user)
					.where(and(eq(user.schoolId, schoolId), inArray(user.id, userIds)))
			: [],
		studentIds.length
			? db
					.select({ id: student.id, first: student.firstName, last: student.lastName })
					.from(student)
					.where(and(eq(student.schoolId, schoolId), inArray(student.id, studentIds)))
			: [],
		boardIds.length
			? db
					.select({ id: board.id, title: board.title })
					.from(board)
					.where(and(eq(board.schoolId, schoolId), inArray(board.id, boardIds)))
			: [],
		teamIds.length
			? db
					.select({ id: team.id, name: team.name })
					.from(team)
					.where(and(eq(team.schoolId, schoolId), inArray(team.id, teamIds)))
			: []
	]);
	const userOf = new Map(users.map((u) => [u.id, u]));
	const studentName = new Map(students.map((s) => [s.id, `${s.first} ${s.last}`.trim()]));
	const boardTitle = new Map(boards.map((b) => [b.id, b.title]));
	const teamName = new Map(teams.map((t) => [t.id, t.name]));

	const whoOf = (r: (typeof rows)[number]): AuditWhoView => {
		switch (r.actorKind) {
			case 'user': {
				const u = userOf.get(r.actorId ?? '');
				// A colleague since removed is still named as a person, without the name.
				return { kind: 'user', name: u?.name ?? '', role: u?.role ?? null };
			}
			case 'guest':
				return {
					kind: 'guest',
					role: str(r.meta.guestRole) ?? '',
					boardTitle: boardTitle.get(str(r.meta.guestBoardId) ?? '') ?? null
				};
			case 'device':
				return { kind: 'device', teamName: teamName.get(str(r.meta.teamId) ?? '') ?? null };
			case 'student':
				return {
					kind: 'student',
					name: studentName.get((r.actorId ?? '').replace(/^student:/, '')) ?? null
				};
			case 'system':
				return { kind: 'system' };
		}
	};
	const hidden = new Set(['guestRole', 'guestBoardId', 'teamId']);
	return {
		total,
		pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
		rows: rows.map((r): AuditRowView => ({
			id: r.id,
			at: r.createdAt,
			action: r.action,
			who: whoOf(r),
			studentId: r.studentId,
			studentName: r.studentId ? (studentName.get(r.studentId) ?? null) : null,
			boardTitle: r.subjectType === 'board' ? (boardTitle.get(r.subjectId ?? '') ?? null) : null,
			facts: Object.fromEntries(Object.entries(r.meta).filter(([k]) => !hidden.has(k)))
		}))
	};
}
