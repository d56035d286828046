/** Small factories for integration tests: real rows through the real schema. */
import type { Actor } from '../../src/lib/server/auth/actor';
import type { Database } from '../../src/lib/server/db';
import {
	board,
	boardMember,
	school,
	student,
	team,
	teamMember,
	user,
	type Session
} from '../../src/lib/server/db/schema';
import type { GuestRole } from '../../src/lib/board/capabilities';
import { joinLabelsFor } from '../../src/lib/board/participants';
import type { BoardKind } from '../../src/lib/board/kinds';
import { createBoardInvite, joinWithInvite } from '../../src/lib/server/access/sharing';
import { newId } from '../../src/lib/server/auth/tokens';
import { createUserSession } from '../../src/lib/server/auth/session';

export const testPolicy = { idleMinutes: 30, absoluteHours: 12 };

export async function makeSchool(db: Database, name = 'Testschool') {
	const [row] = await db.insert(school).values({ id: newId(), name }).returning();
	return row!;
}

export async function makeUser(
	db: Database,
	schoolId: string,
	options: { role?: 'admin' | 'staff'; name?: string; email?: string; passwordHash?: string } = {}
) {
	const id = newId();
	const [row] = await db
		.insert(user)
		.values({
			id,
			schoolId,
			email: options.email ?? `${id}@school.test`,
			name: options.name ?? `Teacher ${id.slice(0, 4)}`,
			role: options.role ?? 'staff',
			passwordHash: options.passwordHash ?? null
		})
		.returning();
	return row!;
}

export async function makeTeam(db: Database, schoolId: string, memberIds: string[] = []) {
	const [row] = await db.insert(team).values({ id: newId(), schoolId, name: 'Team' }).returning();
	for (const userId of memberIds) await db.insert(teamMember).values({ teamId: row!.id, userId });
	return row!;
}

export async function makeBoard(
	db: Database,
	schoolId: string,
	options: {
		kind?: BoardKind;
		teamId?: string | null;
		members?: Array<[string, 'owner' | 'editor' | 'viewer']>;
		studentId?: string;
	} = {}
) {
	const [row] = await db
		.insert(board)
		.values({
			id: newId(),
			schoolId,
			teamId: options.teamId ?? null,
			studentId: options.studentId ?? null,
			kind: options.kind ?? 'verbeterbord',
			title: 'Testbord'
		})
		.returning();
	for (const [userId, role] of options.members ?? []) {
		await db.insert(boardMember).values({ boardId: row!.id, userId, role });
	}
	return row!;
}

export async function makeStudent(
	db: Database,
	schoolId: string,
	options: { teamId?: string; mentorId?: string } = {}
) {
	const [row] = await db
		.insert(student)
		.values({
			id: newId(),
			schoolId,
			teamId: options.teamId ?? null,
			mentorId: options.mentorId ?? null,
			firstName: 'Kim',
			lastName: 'Test'
		})
		.returning();
	return row!;
}

/** A logged-in staff member: returns the session token as a browser would hold it. */
export async function loginToken(db: Database, u: { id: string; schoolId: string }) {
	const { token } = await createUserSession(db, u, testPolicy);
	return token;
}

/** A guest who joined `boardId` by an invite link with `role`: its session token and actor key. */
export async function guestToken(
	db: Database,
	boardId: string,
	role: GuestRole,
	createdById: string,
	displayName = 'Gast',
	label?: string
) {
	const { token } = await createBoardInvite(
		db,
		boardId,
		{ role, expiresHours: 24, singleUse: false, label: '' },
		createdById
	);
	// In a care meeting everyone joins as a role: the first one the link offers, unless asked.
	const joined = await joinWithInvite(
		db,
		token,
		displayName,
		new Date(),
		label ?? joinLabelsFor(role)[0]
	);
	if (!joined.ok) throw new Error(`join failed: ${joined.reason}`);
	return { token: joined.session.token, actorKey: joined.session.session.id };
}

/** A session stand-in for actors built in tests (no row behind it). */
export const fakeSession = { id: 'sessionfake22222' } as Session;

/** A staff actor for calling server functions directly (no real session row behind it). */
export function asUser(u: { id: string; schoolId: string; role: 'admin' | 'staff'; name: string }) {
	return {
		kind: 'user',
		session: fakeSession,
		user: {
			id: u.id,
			schoolId: u.schoolId,
			email: 'x@y.z',
			name: u.name,
			role: u.role,
			locale: null
		}
	} as Actor & { kind: 'user' };
}
