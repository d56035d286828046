/**
 * The students roster: list, add one, bulk add by pasting a list.
 * Pasted lists are parsed line by line ("Voornaam Achternaam; groep" or spreadsheet columns
 * separated by tabs); every line gets its own error so nothing typed is lost. The export and
 * erasure of a student live in privacy/.
 */
import { and, asc, eq } from 'drizzle-orm';
import { newId } from '../auth/tokens';
import type { Queryable } from '../db';
import { student, team, user } from '../db/schema';

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
