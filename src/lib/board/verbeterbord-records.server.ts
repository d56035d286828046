/**
 * Session records and the successes archive (kwaliteitskaart) in board_record. Server only.
 * The Y.Doc is cleaned up every week; these rows are what the team keeps.
 */
import { and, asc, desc, eq, ilike, sql } from 'drizzle-orm';
import type { Queryable } from '$lib/server/db';
import { boardRecord, teamMember, user, type Board } from '$lib/server/db/schema';
import { sessionRecordData, type SessionRecordData } from './verbeterbord';

export const SESSION_RECORD = 'session_record';
export const SUCCESS_RECORD = 'success';

/** A success as the board had it when its session ended; archived once per card. */
export interface ArchivedSuccess {
	cardId: string;
	title: string;
	who: string;
}

/**
 * Keep the record of one ended session and archive its successes; call inside a transaction.
 * Idempotent: a session has one record (keyed by its start time), a success card one archive
 * entry (keyed by its card id) however many sessions it stayed on the board. Returns the
 * record's id and whether this call created it.
 */
export async function storeSessionRecord(
	db: Queryable,
	board: Pick<Board, 'id' | 'teamId'>,
	data: SessionRecordData,
	successes: ArchivedSuccess[],
	createdById: string | null,
	/** When it was kept: now, but for a replayed past (the demo's history). */
	at?: Date
): Promise<{ id: number; created: boolean }> {
	const key = data.startedAt;
	const [row] = await db
		.insert(boardRecord)
		.values({
			boardId: board.id,
			teamId: board.teamId,
			kind: SESSION_RECORD,
			key,
			data,
			createdById,
			createdAt: at
		})
		.onConflictDoNothing({ target: [boardRecord.boardId, boardRecord.kind, boardRecord.key] })
		.returning({ id: boardRecord.id });
	if (!row) {
		const existing = await findSessionRecordId(db, board.id, key);
		if (existing === null) throw new Error('session record conflict without a record');
		return { id: existing, created: false };
	}
	if (successes.length) {
		await db
			.insert(boardRecord)
			.values(
				successes.map((success) => ({
					boardId: board.id,
					teamId: board.teamId,
					kind: SUCCESS_RECORD,
					key: success.cardId,
					data: {
						title: success.title,
						who: success.who,
						date: data.endedAt.slice(0, 10),
						sessionId: row.id
					},
					createdById,
					createdAt: at
				}))
			)
			.onConflictDoNothing({ target: [boardRecord.boardId, boardRecord.kind, boardRecord.key] });
	}
	return { id: row.id, created: true };
}

/** The id of a board's record of `kind` kept under `key` (e.g. a session's start), if any. */
export async function findRecordId(
	db: Queryable,
	boardId: string,
	kind: string,
	key: string
): Promise<number | null> {
	const [row] = await db
		.select({ id: boardRecord.id })
		.from(boardRecord)
		.where(
			and(eq(boardRecord.boardId, boardId), eq(boardRecord.kind, kind), eq(boardRecord.key, key))
		)
		.limit(1);
	return row?.id ?? null;
}

/** The record of the session that started at `startedAt`, if it was kept. */
export function findSessionRecordId(db: Queryable, boardId: string, startedAt: string) {
	return findRecordId(db, boardId, SESSION_RECORD, startedAt);
}

export interface StoredSession {
	id: number;
	createdAt: Date;
	data: SessionRecordData;
}

function parseRow(row: { id: number; createdAt: Date; data: unknown }): StoredSession | null {
	const parsed = sessionRecordData.safeParse(row.data);
	return parsed.success ? { id: row.id, createdAt: row.createdAt, data: parsed.data } : null;
}

/** Newest first. */
export async function listSessionRecords(db: Queryable, boardId: string, limit = 52) {
	const rows = await db
		.select({ id: boardRecord.id, createdAt: boardRecord.createdAt, data: boardRecord.data })
		.from(boardRecord)
		.where(and(eq(boardRecord.boardId, boardId), eq(boardRecord.kind, SESSION_RECORD)))
		.orderBy(desc(boardRecord.createdAt), desc(boardRecord.id))
		.limit(limit);
	return rows.map(parseRow).filter((r) => r !== null);
}

export async function getSessionRecord(db: Queryable, boardId: string, id: number) {
	const [row] = await db
		.select({ id: boardRecord.id, createdAt: boardRecord.createdAt, data: boardRecord.data })
		.from(boardRecord)
		.where(
			and(
				eq(boardRecord.id, id),
				eq(boardRecord.boardId, boardId),
				eq(boardRecord.kind, SESSION_RECORD)
			)
		)
		.limit(1);
	return row ? parseRow(row) : null;
}

/** The team's archived successes, newest first, optionally filtered by a search word. */
export async function listTeamSuccesses(db: Queryable, teamId: string, query = '', limit = 500) {
	const conditions = [eq(boardRecord.teamId, teamId), eq(boardRecord.kind, SUCCESS_RECORD)];
	const q = query.trim();
	if (q) {
		const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		conditions.push(ilike(sql`${boardRecord.data}::text`, pattern));
	}
	const rows = await db
		.select({
			id: boardRecord.id,
			boardId: boardRecord.boardId,
			createdAt: boardRecord.createdAt,
			data: boardRecord.data
		})
		.from(boardRecord)
		.where(and(...conditions))
		.orderBy(desc(boardRecord.createdAt), desc(boardRecord.id))
		.limit(limit);
	return rows.map((row) => ({
		id: row.id,
		boardId: row.boardId,
		title: String(row.data.title ?? ''),
		who: String(row.data.who ?? ''),
		date: String(row.data.date ?? row.createdAt.toISOString().slice(0, 10))
	}));
}

/** Names of the board's team, for proposing the rotating board leader. */
export async function teamMemberNames(db: Queryable, teamId: string | null): Promise<string[]> {
	if (!teamId) return [];
	const rows = await db
		.select({ name: user.name })
		.from(teamMember)
		.innerJoin(user, eq(user.id, teamMember.userId))
		.where(eq(teamMember.teamId, teamId))
		.orderBy(asc(user.name));
	return rows.map((r) => r.name);
}
