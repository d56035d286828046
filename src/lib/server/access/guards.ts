/**
 * Route guards. Every +page.server.ts / +server.ts of the access screens calls one of these
 * itself (a layout load can be skipped). Anyone who is not allowed gets the same 404 as a
 * missing page: the URL of an admin screen is no oracle for guests or walls.
 */
import { error, redirect } from '@sveltejs/kit';
import type { Actor } from '../auth/actor';

export type UserActor = Extract<Actor, { kind: 'user' }>;

/** A logged-in staff member (admin or staff). Nobody: to /login. Guest or wall: 404. */
export function requireUser(actor: Actor | null): UserActor {
	if (!actor) redirect(303, '/login');
	if (actor.kind !== 'user') error(404, 'Not found');
	return actor;
}

/** A school administrator; everyone else sees a 404. */
export function requireAdmin(actor: Actor | null): UserActor {
	const user = requireUser(actor);
	if (user.user.role !== 'admin') error(404, 'Not found');
	return user;
}
