/**
 * The students roster: list, add one, bulk add by pasting a list, and the per-student export.
 * Pasted lists are parsed line by line ("Voornaam Achternaam; groep" or spreadsheet columns
 * separated by tabs); every line gets its own error so nothing typed is lost.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { newId } from '../auth/tokens';
import type { Queryable } from '../db';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../privacy/audit';
import {
	board,
	boardRecord,
	media,
	photoConsent,
	student,
	studentEvent,
	team,
	user
} from '../db/schema';

export const MAX_NAME = 100;
export const MAX_GROUP = 40;
export const MAX_LINES = 500;

export interface ParsedLine {
	line: number;
	raw: string;
	firstName: string;
	lastName: string;
	groupName: string;
	error: null | 'name_missing' | 'name_too_long' | 'group_too_long' | 'too_many_fields';
}

/** Split "Voornaam Achternaam" into first name and the rest ("van der Berg" stays together). */
export function splitName(full: string): { firstName: string; lastName: string } {
	const words = full.trim().split(/\s+/).filter(Boolean);
	return { firstName: words[0] ?? '', lastName: words.slice(1).join(' ') };
}

export function parseStudentList(text: string): ParsedLine[] {
	const out: ParsedLine[] = [];
	const lines = text.replace(/\r\n?/g, '\n').split('\n');
	lines.forEach((raw, index) => {
		if (raw.trim() === '') return;
		const fields = (raw.includes('\t') ? raw.split('\t') : raw.split(';')).map((f) => f.trim());
		while (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
		let firstName = '';
		let lastName = '';
		let groupName = '';
		let error: ParsedLine['error'] = null;
		if (fields.length === 3 && raw.includes('\t')) {
			// Spreadsheet columns: first name, last name, group.
			[firstName, lastName, groupName] = fields as [string, string, string];
		} else if (fields.length <= 2) {
			({ firstName, lastName } = splitName(fields[0] ?? ''));
			groupName = fields[1] ?? '';
		} else {
			error = 'too_many_fields';
		}
		if (!error && !firstName) error = 'name_missing';
		else if (!error && (firstName.length > MAX_NAME || lastName.length > MAX_NAME))
			error = 'name_too_long';
		else if (!error && groupName.length > MAX_GROUP) error = 'group_too_long';
		out.push({ line: index + 1, raw: raw.slice(0, 300), firstName, lastName, groupName, error });
	});
	return out;
}

export async function listStudents(db: Queryable, schoolId: string) {
	return db
		.select({
			id: student.id,
			firstName: student.firstName,
			lastName: student.lastName,
			groupName: student.groupName,
			mentorId: student.mentorId,
			mentorName: user.name,
			teamId: student.teamId,
			teamName: team.name,
			leftAt: student.leftAt
		})
		.from(student)
		.leftJoin(user, eq(user.id, student.mentorId))
		.leftJoin(team, eq(team.id, student.teamId))
		.where(eq(student.schoolId, schoolId))
		.orderBy(asc(student.groupName), asc(student.firstName), asc(student.lastName));
}

export interface StudentPlacement {
	teamId: string | null;
	mentorId: string | null;
}

/** Only ids of this school's live teams and active staff are accepted. */
export async function validPlacement(
	db: Queryable,
	schoolId: string,
	placement: StudentPlacement
): Promise<boolean> {
	if (placement.teamId) {
		const [t] = await db
			.select({ id: team.id })
			.from(team)
			.where(and(eq(team.id, placement.teamId), eq(team.schoolId, schoolId)));
		if (!t) return false;
	}
	if (placement.mentorId) {
		const [u] = await db
			.select({ id: user.id })
			.from(user)
			.where(and(eq(user.id, placement.mentorId), eq(user.schoolId, schoolId)));
		if (!u) return false;
	}
	return true;
}

export async function addStudents(
	db: Queryable,
	schoolId: string,
	rows: Array<{ firstName: string; lastName: string; groupName: string }>,
	placement: StudentPlacement
) {
	if (rows.length === 0) return 0;
	await db.insert(student).values(
		rows.map((r) => ({
			id: newId(),
			schoolId,
			firstName: r.firstName,
			lastName: r.lastName,
			groupName: r.groupName,
			teamId: placement.teamId,
			mentorId: placement.mentorId
		}))
	);
	return rows.length;
}

export async function updateStudent(
	db: Queryable,
	schoolId: string,
	studentId: string,
	values: { groupName: string } & StudentPlacement
) {
	const rows = await db
		.update(student)
		.set({ ...values, updatedAt: new Date() })
		.where(and(eq(student.id, studentId), eq(student.schoolId, schoolId)))
		.returning({ id: student.id });
	return rows.length > 0;
}

/**
 * Everything about one student, as JSON, for an access request (AVG art. 15). Media bytes are
 * left out (metadata only); the export itself is written to the audit log.
 */
export async function exportStudent(
	db: Queryable,
	schoolId: string,
	studentId: string,
	actor: Actor
) {
	const [row] = await db
		.select()
		.from(student)
		.where(and(eq(student.id, studentId), eq(student.schoolId, schoolId)))
		.limit(1);
	if (!row) return null;
	const [consents, events, boards, mediaRows] = await Promise.all([
		db.select().from(photoConsent).where(eq(photoConsent.studentId, studentId)),
		db.select().from(studentEvent).where(eq(studentEvent.studentId, studentId)),
		db
			.select({ id: board.id, kind: board.kind, title: board.title, createdAt: board.createdAt })
			.from(board)
			// A family part holds a copy of its board's visible entries: not a board of its own.
			.where(and(eq(board.studentId, studentId), isNull(board.partOf))),
		db
			.select({
				id: media.id,
				purpose: media.purpose,
				mime: media.mime,
				width: media.width,
				height: media.height,
				boardId: media.boardId,
				createdAt: media.createdAt
			})
			.from(media)
			.where(eq(media.studentId, studentId))
	]);
	// Records that mention the student: on their own boards, or with their id in the data.
	const records = await db
		.select()
		.from(boardRecord)
		.where(
			sql`${boardRecord.boardId} in (select ${board.id} from ${board} where ${board.studentId} = ${studentId})
				or ${boardRecord.data}::text like ${'%' + studentId + '%'}`
		);
	await recordAudit(db, {
		schoolId,
		who: actor,
		action: 'student.export',
		subjectType: 'student',
		subjectId: studentId,
		studentId
	});
	return {
		exportedAt: new Date().toISOString(),
		student: row,
		photoConsents: consents,
		events,
		boards,
		boardRecords: records,
		media: mediaRows
	};
}
