/**
 * "Copy as template": a new board of the same kind and team, with the source's areas and
 * settings (and, when asked, its goals, actions and ideas). See $lib/board/verbeterbord-template.
 *
 * A copy is a new board, so it could be a way around the original's sharing: it keeps the
 * original's members and their roles, the copier gets no more than they had on the original,
 * and confidential cards (concerns) come along only with someone who may share the original.
 * Who may copy: mayCopyBoard in ./auth/permissions.ts.
 */
import * as Y from 'yjs';
import { copyAsTemplate } from '../board/verbeterbord-template';
import type { Actor } from './auth/actor';
import { boardRole, mayCopyConfidential } from './auth/permissions';
import { newId } from './auth/tokens';
import { loadBoardDoc } from './board-store';
import type { Database } from './db';
import { board, boardMember, boardUpdate, user, type Board } from './db/schema';
import { and, eq, isNull } from 'drizzle-orm';

export async function copyBoardAsTemplate(
	db: Database,
	actor: Actor & { kind: 'user' },
	source: Board,
	options: { title: string; withCards: boolean }
): Promise<{ id: string; cards: number }> {
	const role = await boardRole(db, actor, source);
	if (!role) throw new Error('copyBoardAsTemplate: the actor may not open the source');
	const withConfidential = await mayCopyConfidential(db, actor, source);
	const { doc: from } = await loadBoardDoc(db, source.id);
	const to = new Y.Doc();
	const { cards } = copyAsTemplate(from, to, { withCards: options.withCards, withConfidential });
	const update = Y.encodeStateAsUpdate(to);
	from.destroy();
	to.destroy();
	const id = newId();
	// One transaction: a board without its members (everyone but the copier locked out, or
	// the copier an owner by creation) or without its content never exists, not even briefly.
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
		const members = await tx
			.select({ userId: boardMember.userId, role: boardMember.role })
			.from(boardMember)
			.innerJoin(user, eq(user.id, boardMember.userId))
			.where(
				and(
					eq(boardMember.boardId, source.id),
					eq(user.schoolId, source.schoolId),
					isNull(user.deactivatedAt)
				)
			);
		const roles = new Map(members.map((m) => [m.userId, m.role]));
		// The original's creator owns it without a member row: they own the copy too.
		if (source.createdById && !roles.has(source.createdById)) {
			roles.set(source.createdById, 'owner');
		}
		// The copier's row pins them to the role they had (creating a board would make them owner).
		const copierRole = role === 'owner' || role === 'editor' || role === 'viewer' ? role : 'viewer';
		roles.set(actor.user.id, copierRole);
		await tx
			.insert(boardMember)
			.values([...roles].map(([userId, r]) => ({ boardId: id, userId, role: r })));
		await tx.insert(boardUpdate).values({ boardId: id, data: update });
	});
	return { id, cards };
}
