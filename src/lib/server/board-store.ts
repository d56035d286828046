/**
 * Board storage: an append-only log of Yjs updates (board_update) and a snapshot
 * (board_snapshot) that compaction folds the log into. Loading = snapshot + later updates.
 *
 * Everything written here was produced by the server's own Y.Doc (the `update` events of the
 * room document), never raw client bytes, so reading it back is trusted input.
 */
import { and, asc, count, eq, gt, lte, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Database } from './db';
import { boardClient, boardSnapshot, boardUpdate } from './db/schema';

export interface LoadedBoard {
	doc: Y.Doc;
	/** Rows in the log after the snapshot. */
	logCount: number;
	/** Approximate stored size: snapshot + log bytes. */
	bytes: number;
}

export async function loadBoardDoc(db: Database, boardId: string): Promise<LoadedBoard> {
	// Shared lock: a compaction (exclusive) must not delete rows between our two reads.
	const { snapshot, rows } = await db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock_shared(hashtext(${'board:' + boardId}))`);
		const [snapshot] = await tx
			.select()
			.from(boardSnapshot)
			.where(eq(boardSnapshot.boardId, boardId))
			.limit(1);
		const rows = await tx
			.select({ id: boardUpdate.id, data: boardUpdate.data })
			.from(boardUpdate)
			.where(and(eq(boardUpdate.boardId, boardId), gt(boardUpdate.id, snapshot?.upToUpdateId ?? 0)))
			.orderBy(asc(boardUpdate.id));
		return { snapshot, rows };
	});
	const doc = new Y.Doc({ gc: true });
	let bytes = 0;
	if (snapshot) {
		Y.applyUpdate(doc, snapshot.data);
		bytes += snapshot.data.byteLength;
	}
	if (rows.length > 0) {
		doc.transact(() => {
			for (const row of rows) Y.applyUpdate(doc, row.data);
		});
	}
	for (const row of rows) bytes += row.data.byteLength;
	return { doc, logCount: rows.length, bytes };
}

/** A Yjs client id and the actor key that first wrote it on a board (see `boardClient`). */
export interface ClientClaim {
	clientId: number;
	actorKey: string;
}

/**
 * Append updates and the client ids they claimed in one transaction; resolves once it
 * committed. A claim and the structs that made it are stored together or not at all.
 */
export async function appendUpdates(
	db: Database,
	boardId: string,
	updates: Uint8Array[],
	claims: ClientClaim[] = []
): Promise<void> {
	if (updates.length === 0 && claims.length === 0) return;
	await db.transaction(async (tx) => {
		if (updates.length > 0) {
			await tx.insert(boardUpdate).values(updates.map((data) => ({ boardId, data })));
		}
		if (claims.length > 0) {
			await tx
				.insert(boardClient)
				.values(claims.map((claim) => ({ boardId, ...claim })))
				// The room checked in memory first; a row already there keeps its first owner.
				.onConflictDoNothing();
		}
	});
}

/** Who owns which Yjs client id on a board. */
export async function loadClientOwners(
	db: Database,
	boardId: string
): Promise<Map<number, string>> {
	const rows = await db
		.select({ clientId: boardClient.clientId, actorKey: boardClient.actorKey })
		.from(boardClient)
		.where(eq(boardClient.boardId, boardId));
	return new Map(rows.map((row) => [row.clientId, row.actorKey]));
}

/**
 * Fold the whole log into a new snapshot, encoded from a garbage-collected document so deleted
 * content disappears from storage, and delete the folded rows: one transaction. Reads the log
 * inside the transaction (not the room's in-memory doc), so updates written by another instance
 * are never deleted unfolded.
 */
export async function compactBoard(db: Database, boardId: string): Promise<{ bytes: number }> {
	return db.transaction(async (tx) => {
		// Two instances compacting one board would otherwise race on the snapshot row.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'board:' + boardId}))`);
		const [snapshot] = await tx
			.select()
			.from(boardSnapshot)
			.where(eq(boardSnapshot.boardId, boardId))
			.limit(1);
		const rows = await tx
			.select({ id: boardUpdate.id, data: boardUpdate.data })
			.from(boardUpdate)
			.where(and(eq(boardUpdate.boardId, boardId), gt(boardUpdate.id, snapshot?.upToUpdateId ?? 0)))
			.orderBy(asc(boardUpdate.id));
		if (rows.length === 0) return { bytes: snapshot?.data.byteLength ?? 0 };
		const doc = new Y.Doc({ gc: true });
		if (snapshot) Y.applyUpdate(doc, snapshot.data);
		doc.transact(() => {
			for (const row of rows) Y.applyUpdate(doc, row.data);
		});
		const data = Y.encodeStateAsUpdate(doc);
		doc.destroy();
		const upToUpdateId = rows[rows.length - 1]!.id;
		await tx
			.insert(boardSnapshot)
			.values({ boardId, data, upToUpdateId, updatedAt: new Date() })
			.onConflictDoUpdate({
				target: boardSnapshot.boardId,
				set: { data, upToUpdateId, updatedAt: new Date() }
			});
		await tx
			.delete(boardUpdate)
			.where(and(eq(boardUpdate.boardId, boardId), lte(boardUpdate.id, upToUpdateId)));
		return { bytes: data.byteLength };
	});
}

export async function logLength(db: Database, boardId: string): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(boardUpdate)
		.where(eq(boardUpdate.boardId, boardId));
	return Number(row?.n ?? 0);
}
