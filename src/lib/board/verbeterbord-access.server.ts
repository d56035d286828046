import { error, redirect } from '@sveltejs/kit';
import { actorSchool, boardRole, canEdit, loadBoard } from '$lib/server/auth/permissions';
import type { Database } from '$lib/server/db';
import { db } from '$lib/server/runtime';

/** Load a board the actor may open, or 404 (same answer for missing and forbidden). */
export async function requireBoard(locals: App.Locals, boardId: string) {
	if (!locals.actor) redirect(303, '/login');
	const database: Database = db();
	const board = await loadBoard(database, actorSchool(locals.actor), boardId);
	const role = board ? await boardRole(database, locals.actor, board) : null;
	if (!board || !role) error(404, 'Not found');
	return { database, board, role, canEdit: canEdit(role) };
}
