/**
 * "Copy as template": a new board of the same kind and team, with the source's areas and
 * settings (and, when asked, its goals, actions and ideas). See $lib/board/verbeterbord-template.
 */
import * as Y from 'yjs';
import { copyAsTemplate } from '../board/verbeterbord-template';
import type { Actor } from './auth/actor';
import { boardRole, canEdit, isTeamMember } from './auth/permissions';
import { newId } from './auth/tokens';
import { appendUpdates, loadBoardDoc } from './board-store';
import type { Database } from './db';
import { board, type Board } from './db/schema';

export const templateKinds = new Set<Board['kind']>(['verbeterbord', 'zorgbord', 'klassenbord']);

/** Staff who may edit the board and work in its team (admins anywhere in their school). */
export async function mayCopy(db: Database, actor: Actor | null, source: Board): Promise<boolean> {
	if (actor?.kind !== 'user' || !templateKinds.has(source.kind)) return false;
	if (!canEdit(await boardRole(db, actor, source))) return false;
	if (actor.user.role === 'admin' || !source.teamId) return true;
	return isTeamMember(db, source.schoolId, source.teamId, actor.user.id);
}

export async function copyBoardAsTemplate(
	db: Database,
	actor: Actor & { kind: 'user' },
	source: Board,
	options: { title: string; withCards: boolean }
): Promise<{ id: string; cards: number }> {
	const { doc: from } = await loadBoardDoc(db, source.id);
	const to = new Y.Doc();
	const { cards } = copyAsTemplate(from, to, { withCards: options.withCards });
	const id = newId();
	await db.transaction(async (tx) => {
		await tx.insert(board).values({
			id,
			schoolId: source.schoolId,
			teamId: source.teamId,
			kind: source.kind,
			title: options.title,
			settings: source.settings,
			createdById: actor.user.id
		});
	});
	await appendUpdates(db, id, [Y.encodeStateAsUpdate(to)]);
	from.destroy();
	to.destroy();
	return { id, cards };
}
