/**
 * Board storage: an append-only log of Yjs updates (board_update) and a snapshot
 * (board_snapshot) that compaction folds the log into. Loading = snapshot + later updates.
 *
 * Everything written here was produced by the server's own Y.Doc (the `update` events of the
 * room document), never raw client bytes, so reading it back is trusted input.
 */
import { and, asc, count, eq, gt, inArray, lte, sql, type SQL } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Database, Tx } from './db';
import { board, boardClient, boardSnapshot, boardUpdate } from './db/schema';

export interface LoadedBoard {
	doc: Y.Doc;
	/** Rows in the log after the snapshot. */
	logCount: number;
	/** Approximate stored size: snapshot + log bytes. */
	bytes: number;
}

/**
 * A `where` on `board_update`: the rows after the mark of the board's snapshot (every row when
 * the board has none), the mark read by the database in the same query. `boardId` is an id or
 * the `board_update.board_id` column itself, for many boards at once.
 */
function afterSnapshotMark(boardId: string | typeof boardUpdate.boardId): SQL {
	return gt(
		boardUpdate.id,
		sql`coalesce((select ${boardSnapshot.upToUpdateId} from ${boardSnapshot} where ${boardSnapshot.boardId} = ${boardId}), 0)`
	);
}

/** Snapshot + later log rows, behind the board's shared lock (held until `tx` ends). */
async function sharedHistory(tx: Tx, boardId: string) {
	// Shared lock: a compaction or erasure (exclusive) must not change rows between our reads.
	await tx.execute(sql`select pg_advisory_xact_lock_shared(hashtext(${'board:' + boardId}))`);
	return historyIn(tx, boardId);
}

/** Snapshot + later log rows; the caller's transaction holds the board's lock. */
async function historyIn(tx: Tx, boardId: string) {
	// Both reads at once (one round trip, pipelined on the transaction's connection): the log
	// rows after the snapshot's mark are chosen by the database itself. The board's lock, held
	// by the caller, keeps a compaction from moving the mark between the two.
	const [[snapshot], rows] = await Promise.all([
		tx.select().from(boardSnapshot).where(eq(boardSnapshot.boardId, boardId)).limit(1),
		tx
			.select({ id: boardUpdate.id, data: boardUpdate.data })
			.from(boardUpdate)
			.where(and(eq(boardUpdate.boardId, boardId), afterSnapshotMark(boardId)))
			.orderBy(asc(boardUpdate.id))
	]);
	return { snapshot, rows };
}

function docOf(snapshot: { data: Uint8Array } | undefined, rows: Array<{ data: Uint8Array }>) {
	const doc = new Y.Doc({ gc: true });
	if (snapshot) Y.applyUpdate(doc, snapshot.data);
	if (rows.length > 0) {
		doc.transact(() => {
			for (const row of rows) Y.applyUpdate(doc, row.data);
		});
	}
	return doc;
}

export async function loadBoardDoc(db: Database, boardId: string): Promise<LoadedBoard> {
	const { snapshot, rows } = await db.transaction((tx) => sharedHistory(tx, boardId));
	return loaded(snapshot, rows);
}

function loaded(snapshot: { data: Uint8Array } | undefined, rows: Array<{ data: Uint8Array }>) {
	let bytes = snapshot?.data.byteLength ?? 0;
	for (const row of rows) bytes += row.data.byteLength;
	return { doc: docOf(snapshot, rows), logCount: rows.length, bytes };
}

/**
 * `loadBoardDoc` for many boards in one transaction of three queries (after a restart hundreds
 * of boards open within seconds), in the order asked. Each board's shared lock is only tried:
 * a board whose lock a compaction or erasure holds right now is loaded on its own afterwards,
 * waiting for it there, so this never holds one board's lock while waiting for another's.
 */
export async function loadBoardDocs(db: Database, boardIds: string[]): Promise<LoadedBoard[]> {
	const ids = [...new Set(boardIds)];
	const { locked, snapshots, rows } = await db.transaction(async (tx) => {
		const tried = await tx
			.select({
				id: board.id,
				ok: sql<boolean>`pg_try_advisory_xact_lock_shared(hashtext('board:' || ${board.id}))`
			})
			.from(board)
			.where(inArray(board.id, ids));
		const locked = tried.filter((t) => t.ok).map((t) => t.id);
		if (locked.length === 0) return { locked, snapshots: [], rows: [] };
		const [snapshots, rows] = await Promise.all([
			tx.select().from(boardSnapshot).where(inArray(boardSnapshot.boardId, locked)),
			tx
				.select({ boardId: boardUpdate.boardId, data: boardUpdate.data })
				.from(boardUpdate)
				.where(and(inArray(boardUpdate.boardId, locked), afterSnapshotMark(boardUpdate.boardId)))
				.orderBy(asc(boardUpdate.boardId), asc(boardUpdate.id))
		]);
		return { locked, snapshots, rows };
	});
	const byBoard = new Map<
		string,
		{ snapshot?: { data: Uint8Array }; rows: Array<{ data: Uint8Array }> }
	>(locked.map((id) => [id, { rows: [] }]));
	for (const snapshot of snapshots) byBoard.get(snapshot.boardId)!.snapshot = snapshot;
	for (const row of rows) byBoard.get(row.boardId)!.rows.push(row);
	// One document per request, even for an id asked twice. Boards busy under an exclusive lock
	// (or not found: loadBoardDoc gives an empty document) are loaded on their own.
	const docs: LoadedBoard[] = [];
	for (const id of boardIds) {
		const history = byBoard.get(id);
		docs.push(history ? loaded(history.snapshot, history.rows) : await loadBoardDoc(db, id));
	}
	return docs;
}

/** `loadClientOwners` for many boards with one query, in the order asked. */
export async function loadClientOwnersOf(
	db: Database,
	boardIds: string[]
): Promise<Array<Map<number, string>>> {
	const rows = await db
		.select({
			boardId: boardClient.boardId,
			clientId: boardClient.clientId,
			actorKey: boardClient.actorKey
		})
		.from(boardClient)
		.where(inArray(boardClient.boardId, [...new Set(boardIds)]));
	const owners = new Map(boardIds.map((id) => [id, new Map<number, string>()]));
	for (const row of rows) owners.get(row.boardId)!.set(row.clientId, row.actorKey);
	return boardIds.map((id) => owners.get(id)!);
}

/**
 * The stored board inside a transaction that already holds the board's exclusive lock (a server
 * edit of a closed board, see board-edit.ts). The caller destroys the document.
 */
export async function lockedStoredDoc(tx: Tx, boardId: string): Promise<Y.Doc> {
	const { snapshot, rows } = await historyIn(tx, boardId);
	return docOf(snapshot, rows);
}

/**
 * The stored board inside the caller's transaction, which keeps the board's shared lock until
 * it ends: no erasure's re-encode (exclusive) can run between this read and the caller's writes.
 * The caller destroys the document.
 */
export async function storedDocIn(tx: Tx, boardId: string): Promise<Y.Doc> {
	const { snapshot, rows } = await sharedHistory(tx, boardId);
	return docOf(snapshot, rows);
}

/**
 * Everything the board's storage still holds, deleted entries included: the snapshot and every
 * log row (also any below the snapshot's mark) applied to a document that does not garbage-
 * collect. Erasure asks it whether an entry gone from the live board still has its words
 * stored (a half-finished earlier erasure). The caller destroys the document.
 */
export async function storedHistoryDoc(db: Database, boardId: string): Promise<Y.Doc> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock_shared(hashtext(${'board:' + boardId}))`);
		const [snapshot] = await tx
			.select({ data: boardSnapshot.data })
			.from(boardSnapshot)
			.where(eq(boardSnapshot.boardId, boardId))
			.limit(1);
		const rows = await tx
			.select({ data: boardUpdate.data })
			.from(boardUpdate)
			.where(eq(boardUpdate.boardId, boardId))
			.orderBy(asc(boardUpdate.id));
		const doc = new Y.Doc({ gc: false });
		doc.transact(() => {
			if (snapshot) Y.applyUpdate(doc, snapshot.data);
			for (const row of rows) Y.applyUpdate(doc, row.data);
		});
		return doc;
	});
}

/** A Yjs client id and the actor key that first wrote it on a board (see `boardClient`). */
export interface ClientClaim {
	clientId: number;
	actorKey: string;
}

/** What one board adds to the log in a commit: its updates and the client ids they claimed. */
export interface BoardAppend {
	boardId: string;
	updates: Uint8Array[];
	claims: ClientClaim[];
}

/** Rows per INSERT statement, far below PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 1_000;

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
	await appendBoards(db, [{ boardId, updates, claims }]);
}

/**
 * One log row, its SQL built once per database: on a board edited one card move at a time most
 * commits carry a single update, and drizzle building the statement anew was a visible share
 * of the server's CPU in a profile at 100 edits/s.
 */
const appendOne = new WeakMap<Database, ReturnType<typeof prepareAppendOne>>();
function prepareAppendOne(db: Database) {
	return db
		.insert(boardUpdate)
		.values({ boardId: sql.placeholder('boardId'), data: sql.placeholder('data') })
		.prepare('groeibord_append_one');
}
function appendOneOf(db: Database) {
	let prepared = appendOne.get(db);
	if (!prepared) appendOne.set(db, (prepared = prepareAppendOne(db)));
	return prepared;
}

/** `appendUpdates` for many boards in one transaction (the sync server's group commit). */
export async function appendBoards(db: Database, appends: readonly BoardAppend[]): Promise<void> {
	const updates = appends.flatMap((a) => a.updates.map((data) => ({ boardId: a.boardId, data })));
	const claims = appends.flatMap((a) =>
		a.claims.map((claim) => ({ boardId: a.boardId, ...claim }))
	);
	if (updates.length === 0 && claims.length === 0) return;
	if (claims.length === 0 && updates.length <= ROWS_PER_INSERT) {
		// One statement is atomic on its own. Without BEGIN and COMMIT a busy board's commit is
		// one round trip instead of three (on PGlite a third of the WASM work), and this is the
		// common case: claims come only with a client's first edit on a board.
		if (updates.length === 1) await appendOneOf(db).execute(updates[0]!);
		else await db.insert(boardUpdate).values(updates);
		return;
	}
	await db.transaction(async (tx) => {
		for (let i = 0; i < updates.length; i += ROWS_PER_INSERT) {
			await tx.insert(boardUpdate).values(updates.slice(i, i + ROWS_PER_INSERT));
		}
		for (let i = 0; i < claims.length; i += ROWS_PER_INSERT) {
			await tx
				.insert(boardClient)
				.values(claims.slice(i, i + ROWS_PER_INSERT))
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
 * Under the board's exclusive lock (compaction, erasure, server edits of a closed board): the
 * snapshot and the log rows after its mark, or with `all` every log row of the board.
 */
async function lockedHistory(tx: Tx, boardId: string, all: boolean) {
	// Two instances folding one board would otherwise race on the snapshot row.
	await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'board:' + boardId}))`);
	const [snapshot] = await tx
		.select()
		.from(boardSnapshot)
		.where(eq(boardSnapshot.boardId, boardId))
		.limit(1);
	const after = all ? undefined : gt(boardUpdate.id, snapshot?.upToUpdateId ?? 0);
	const rows = await tx
		.select({ id: boardUpdate.id, data: boardUpdate.data })
		.from(boardUpdate)
		.where(and(eq(boardUpdate.boardId, boardId), after))
		.orderBy(asc(boardUpdate.id));
	return { snapshot, rows };
}

/**
 * Replace the snapshot by one encoded from a garbage-collected document holding the old
 * snapshot and `rows`, so content deleted from the board disappears from storage.
 */
async function writeFoldedSnapshot(
	tx: Tx,
	boardId: string,
	snapshot: { data: Uint8Array; upToUpdateId: number } | undefined,
	rows: Array<{ id: number; data: Uint8Array }>
): Promise<Uint8Array> {
	const doc = new Y.Doc({ gc: true });
	doc.transact(() => {
		if (snapshot) Y.applyUpdate(doc, snapshot.data);
		for (const row of rows) Y.applyUpdate(doc, row.data);
	});
	const data = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	const upToUpdateId = Math.max(snapshot?.upToUpdateId ?? 0, rows.at(-1)?.id ?? 0);
	await tx
		.insert(boardSnapshot)
		.values({ boardId, data, upToUpdateId, updatedAt: new Date() })
		.onConflictDoUpdate({
			target: boardSnapshot.boardId,
			set: { data, upToUpdateId, updatedAt: new Date() }
		});
	return data;
}

/**
 * Fold the whole log into a new snapshot, encoded from a garbage-collected document so deleted
 * content disappears from storage, and delete the folded rows: one transaction. Reads the log
 * inside the transaction (not the room's in-memory doc), so updates written by another instance
 * are never deleted unfolded.
 */
export async function compactBoard(db: Database, boardId: string): Promise<{ bytes: number }> {
	return db.transaction(async (tx) => {
		const { snapshot, rows } = await lockedHistory(tx, boardId, false);
		if (rows.length === 0) return { bytes: snapshot?.data.byteLength ?? 0 };
		const data = await writeFoldedSnapshot(tx, boardId, snapshot, rows);
		const upToUpdateId = rows[rows.length - 1]!.id;
		await tx
			.delete(boardUpdate)
			.where(and(eq(boardUpdate.boardId, boardId), lte(boardUpdate.id, upToUpdateId)));
		return { bytes: data.byteLength };
	});
}

/**
 * Erasure's re-encode (privacy/erase.ts): like `compactBoard`, but always, and over the whole
 * history: the snapshot is replaced by one folded from a garbage-collected document and exactly
 * the rows read are deleted, so text deleted from the board is gone from storage. `within(tx)`
 * runs in the same transaction behind the same exclusive lock (scrubbing rows derived from the
 * board), so nothing is half erased.
 */
export async function reencodeBoard(
	db: Database,
	boardId: string,
	within?: (tx: Tx) => Promise<void>
): Promise<{ bytes: number }> {
	return db.transaction(async (tx) => {
		// Every row, also any below the snapshot's mark (a fold that lost a race): none may survive.
		const { snapshot, rows } = await lockedHistory(tx, boardId, true);
		const data = await writeFoldedSnapshot(tx, boardId, snapshot, rows);
		const ids = rows.map((row) => row.id);
		// By id, not by range: a row another instance is committing right now was not folded.
		for (let i = 0; i < ids.length; i += 1000) {
			await tx.delete(boardUpdate).where(inArray(boardUpdate.id, ids.slice(i, i + 1000)));
		}
		if (within) await within(tx);
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
