/**
 * Route guards: "load it or 404", one per kind of thing a URL names. Every +page.server.ts /
 * +server.ts calls one of these itself (a layout load can be skipped). The rules they apply
 * live in ../auth/permissions.ts; the guards only turn "no" into HTTP. Anyone who is not
 * allowed gets the same 404 as a missing row: ids are no oracle, and every load is scoped to
 * the actor's school in the query, so another school's id is simply not found.
 */
import { error, redirect } from '@sveltejs/kit';
import type { Actor } from '../auth/actor';
import {
	actorSchool,
	boardRole,
	canEdit,
	canManageStudent,
	canSeeStudent,
	loadBoard,
	loadRound,
	loadStudent,
	loadTeam,
	roundAccess,
	teamAccess
} from '../auth/permissions';
import type { Database } from '../db';
import { db } from '../runtime';

export type UserActor = Extract<Actor, { kind: 'user' }>;

const notFound = (): never => error(404, 'Not found');

/** Someone with a session (staff, wall or guest); nobody: to /login. */
export function requireActor(actor: Actor | null): Actor {
	if (!actor) redirect(303, '/login');
	return actor;
}

/** A logged-in staff member (admin or staff). Nobody: to /login. Guest or wall: 404. */
export function requireUser(actor: Actor | null): UserActor {
	if (requireActor(actor).kind !== 'user') notFound();
	return actor as UserActor;
}

/** A school administrator; everyone else sees a 404. */
export function requireAdmin(actor: Actor | null): UserActor {
	const user = requireUser(actor);
	if (user.user.role !== 'admin') notFound();
	return user;
}

/** A board of the actor's school that the actor may open, with the actor's role on it. */
export async function requireBoard(locals: App.Locals, boardId: string) {
	const actor = requireActor(locals.actor);
	const database: Database = db();
	const board = await loadBoard(database, actorSchool(actor), boardId);
	const role = board ? await boardRole(database, actor, board) : null;
	if (!board || !role) return notFound();
	return { database, actor, board, role, canEdit: canEdit(role) };
}

/** A student of the actor's school the actor may see ('see') or look after ('manage'). */
export async function requireStudent(
	locals: App.Locals,
	studentId: string,
	need: 'see' | 'manage' = 'see'
) {
	const actor = requireActor(locals.actor);
	const database: Database = db();
	const student = await loadStudent(database, actorSchool(actor), studentId);
	const allowed =
		student &&
		(need === 'manage'
			? await canManageStudent(database, actor, student)
			: await canSeeStudent(database, actor, student));
	if (!student || !allowed) return notFound();
	return { database, actor, student };
}

/** A team of the actor's school the actor works in (staff, admin) or stands at (its wall). */
export async function requireTeam(locals: App.Locals, teamId: string) {
	const actor = requireActor(locals.actor);
	const database: Database = db();
	const team = await loadTeam(database, actorSchool(actor), teamId);
	const access = team ? await teamAccess(database, actor, team) : null;
	if (!team || !access) return notFound();
	return { database, actor, team, access };
}

/** A review round of the actor's school the actor takes part in ('staff'), or may show ('any'). */
export async function requireRound(locals: App.Locals, roundId: string, need: 'staff' | 'any') {
	const actor = requireActor(locals.actor);
	const database: Database = db();
	const round = await loadRound(database, actorSchool(actor), roundId);
	const access = await roundAccess(database, actor, round);
	if (!round || !access || (need === 'staff' && access !== 'staff')) return notFound();
	return { database, actor, round, access };
}
