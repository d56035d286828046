/** Teams of a school and who is in them. Leaving a team can take away boards: sync re-checks. */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { accessChanged } from '../access-events';
import { loadTeam } from '../auth/permissions';
import { newId } from '../auth/tokens';
import type { Database, Queryable } from '../db';
import { session, team, teamMember, user, wallPairing } from '../db/schema';

export async function listTeams(db: Queryable, schoolId: string, includeArchived = false) {
	const teams = await db
		.select({ id: team.id, name: team.name, archivedAt: team.archivedAt })
		.from(team)
		.where(
			includeArchived
				? eq(team.schoolId, schoolId)
				: and(eq(team.schoolId, schoolId), isNull(team.archivedAt))
		)
		.orderBy(asc(team.name));
	if (teams.length === 0) return [];
	const members = await db
		.select({ teamId: teamMember.teamId, userId: user.id, name: user.name })
		.from(teamMember)
		.innerJoin(user, eq(user.id, teamMember.userId))
		.where(
			inArray(
				teamMember.teamId,
				teams.map((t) => t.id)
			)
		)
		.orderBy(asc(user.name));
	return teams.map((t) => ({
		...t,
		members: members
			.filter((mm) => mm.teamId === t.id)
			.map(({ userId, name }) => ({ userId, name }))
	}));
}

/** Teams a staff member may pick (their own; an admin: every live team of the school). */
export async function teamsForUser(
	db: Queryable,
	u: { id: string; schoolId: string; role: 'admin' | 'staff' }
) {
	if (u.role === 'admin') {
		return db
			.select({ id: team.id, name: team.name })
			.from(team)
			.where(and(eq(team.schoolId, u.schoolId), isNull(team.archivedAt)))
			.orderBy(asc(team.name));
	}
	return db
		.select({ id: team.id, name: team.name })
		.from(team)
		.innerJoin(teamMember, eq(teamMember.teamId, team.id))
		.where(and(eq(teamMember.userId, u.id), isNull(team.archivedAt)))
		.orderBy(asc(team.name));
}

export async function createTeam(db: Queryable, schoolId: string, name: string) {
	const [row] = await db
		.insert(team)
		.values({ id: newId(), schoolId, name: name.trim() })
		.returning();
	return row!;
}

export async function renameTeam(db: Queryable, schoolId: string, teamId: string, name: string) {
	const rows = await db
		.update(team)
		.set({ name: name.trim() })
		.where(and(eq(team.id, teamId), eq(team.schoolId, schoolId)))
		.returning({ id: team.id });
	return rows.length > 0;
}

export async function setTeamArchived(
	db: Queryable,
	schoolId: string,
	teamId: string,
	archived: boolean,
	now = new Date()
) {
	// One transaction: the team is archived together with the end of its wall screens, or
	// not at all. Sockets are told only after the commit.
	const walls = await (db as Database).transaction(async (tx) => {
		const rows = await tx
			.update(team)
			.set({ archivedAt: archived ? now : null })
			.where(and(eq(team.id, teamId), eq(team.schoolId, schoolId)))
			.returning({ id: team.id });
		if (rows.length === 0) return null;
		if (!archived) return [];
		// An archived team has no wall screens any more.
		const revoked = await tx
			.update(wallPairing)
			.set({ status: 'revoked', revokedAt: now })
			.where(
				and(
					eq(wallPairing.teamId, teamId),
					inArray(wallPairing.status, ['pending', 'paired', 'claimed'])
				)
			)
			.returning({ id: wallPairing.id });
		for (const wall of revoked) await tx.delete(session).where(eq(session.wallPairingId, wall.id));
		return revoked;
	});
	if (walls === null) return false;
	for (const wall of walls) accessChanged({ kind: 'pairing', pairingId: wall.id });
	return true;
}

export async function addTeamMember(
	db: Queryable,
	schoolId: string,
	teamId: string,
	userId: string
) {
	const t = await loadTeam(db, schoolId, teamId);
	const [u] = await db
		.select({ id: user.id })
		.from(user)
		.where(and(eq(user.id, userId), eq(user.schoolId, schoolId)))
		.limit(1);
	if (!t || !u) return false;
	await db.insert(teamMember).values({ teamId, userId }).onConflictDoNothing();
	return true;
}

export async function removeTeamMember(
	db: Queryable,
	schoolId: string,
	teamId: string,
	userId: string
) {
	const t = await loadTeam(db, schoolId, teamId);
	if (!t) return false;
	await db
		.delete(teamMember)
		.where(and(eq(teamMember.teamId, teamId), eq(teamMember.userId, userId)));
	accessChanged({ kind: 'user', userId });
	return true;
}
