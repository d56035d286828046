/**
 * Erasure (AVG art. 17): a student's whole file, or one entry on a board, removed from every
 * table *and* from board history.
 *
 * A board's content is a Yjs update log plus a snapshot; deleting an entry from the document
 * leaves its text in both. So an erased entry goes in three steps, per board:
 * 1. the deletion is made through the server-edit path (board-edit.ts): on an open board it
 *    lands in the live room, so connected clients stop showing it at once, and the room's
 *    garbage-collected document no longer holds it (it is never written back);
 * 2. the board is re-encoded from a garbage-collected document (board-store.ts
 *    `reencodeBoard`): snapshot replaced, every log row deleted, and the rows the server derived
 *    from the board (session records, wall history) scrubbed, in one transaction behind the
 *    board's exclusive lock;
 * 3. open app clients are told to drop their offline copy (message `dropCache`).
 * A conversation board's family part (family-mirror.ts) holds a copy and is erased alongside.
 *
 * A student's own conversation boards are deleted whole; on shared boards (the progress wall)
 * only their entries go. Photos are `media` rows (bytes in the database, nothing on disk under
 * DATA_DIR), removed with the student. Audit entries about the student are kept: they hold no
 * content, and they are how the school shows who looked at the file (retention removes them).
 */
import { and, count, eq, getTableName, inArray, is, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import * as Y from 'yjs';
import { z } from 'zod';
import {
	cardRemains,
	cardsNaming,
	eraseCardFromDoc,
	eraseChildFromMeeting,
	eraseWallNote,
	eraseWallStudent,
	noteRemains,
	notesNaming,
	scrubJson,
	type ScrubTarget
} from '../../board/erasure';
import { rootMapsOf } from '../../board/update-rules';
import { readCard } from '../../board/verbeterbord';
import { studentsMap } from '../../board/voortgang';
import type { Actor } from '../auth/actor';
import {
	boardChildIds,
	boardRole,
	boardsAbout,
	eraseScopeOf,
	loadStudent,
	mayEraseCard,
	mayRemoveSibling
} from '../auth/permissions';
import { accessChanged } from '../access-events';
import { listParticipants, participantsMap } from '../../board/participants';
import {
	childOfWish,
	meetingRecordData,
	recordWithoutChild,
	STUDENT_KEY_PREFIX
} from '../../board/zorgoverleg';
import {
	MEETING_RECORD,
	refreshMeetingParticipants,
	siblingInput,
	type SiblingResult
} from '../zorgoverleg';
import { scopeAllowsErase, type EraseScope } from '../../board/capabilities';
import { currentBoardDoc, editBoardDoc } from '../board-edit';
import { reencodeBoard, storedHistoryDoc } from '../board-store';
import type { Queryable, Tx } from '../db';
import * as schema from '../db/schema';
import {
	assessment,
	auditLog,
	board,
	boardRecord,
	boardInvite,
	boardSnapshot,
	boardStudent,
	boardUpdate,
	evidence,
	goalStep,
	media,
	photoConsent,
	reviewAction,
	reviewAdvice,
	reviewDecision,
	session,
	student,
	studentEvent,
	studentGoal,
	studentLink,
	type Board
} from '../db/schema';
import type { Runtime } from '../runtime';
import { boardStudents, recordAudit, type AuditEntry } from './audit';

/** What an erasure of one student removes, per kind (shown before, audited after). */
export interface StudentErasureCounts {
	boards: number;
	cards: number;
	wallEntries: number;
	assessments: number;
	evidence: number;
	photos: number;
	goals: number;
	goalSteps: number;
	reviewItems: number;
	events: number;
	records: number;
	consents: number;
	links: number;
	/** Audit entries about the student: kept (no content; they show who looked at the file). */
	auditKept: number;
}

/**
 * Free text elsewhere that names the student (board/mentions.ts): a card on another board, or a
 * progress-wall note about another student. What the admin ticks to erase with the student.
 */
export type Mention = {
	/** `<boardId>/<cardId>` or `<boardId>/note:<studentId>`: what the admin ticks. */
	key: string;
	boardId: string;
	boardTitle: string;
	/** The card's title, or the note's words. */
	title: string;
} & (
	| { kind: 'card'; cardId: string }
	/** The other student whose wall entry holds the note (their stoplight and flags stay). */
	| { kind: 'note'; studentId: string; studentName: string }
);

export interface ErasurePreview {
	student: { id: string; firstName: string; lastName: string; groupName: string };
	counts: StudentErasureCounts;
	/** Cards and wall notes elsewhere that name the student: erased with them when ticked. */
	mentions: Mention[];
}

type Named = { id: string; firstName: string; lastName: string };

/**
 * For each of `students`, the free text on the school's boards that names them, found by name
 * in each board's live document since no id links it: cards on boards other than the student's
 * own (those go whole), and progress-wall notes about other students. Each board is read once,
 * however many students are asked about (the retention page asks for every one that is due).
 */
export async function mentionsOfStudents(
	runtime: Runtime,
	schoolId: string,
	students: readonly Named[]
): Promise<Map<string, Mention[]>> {
	const found = new Map<string, Mention[]>(students.map((st) => [st.id, []]));
	if (students.length === 0) return found;
	const db = runtime.database.db;
	const boards = await db
		.select({ id: board.id, title: board.title, kind: board.kind, studentId: board.studentId })
		.from(board)
		.where(and(eq(board.schoolId, schoolId), isNull(board.partOf)))
		.orderBy(board.title, board.id);
	const notes: Array<{ of: string; mention: Omit<Mention & { kind: 'note' }, 'studentName'> }> = [];
	for (const b of boards) {
		const maps = rootMapsOf(b.kind);
		const cards = maps.includes('cards');
		const wall = maps.includes('students');
		if (!cards && !wall) continue;
		const doc = await currentDoc(runtime, b.id);
		const on = { boardId: b.id, boardTitle: b.title };
		for (const st of students) {
			if (cards && b.studentId !== st.id) {
				for (const { cardId, title } of cardsNaming(doc, st)) {
					found.get(st.id)!.push({ key: `${b.id}/${cardId}`, ...on, title, kind: 'card', cardId });
				}
			}
			if (wall) {
				for (const { studentId, note } of notesNaming(doc, st, st.id)) {
					const key = `${b.id}/note:${studentId}`;
					notes.push({ of: st.id, mention: { key, ...on, title: note, kind: 'note', studentId } });
				}
			}
		}
		doc.destroy();
	}
	// The other students by name, read in the school (a stale wall entry may name no one).
	const ids = [...new Set(notes.map((n) => n.mention.studentId))];
	const names = new Map(
		ids.length === 0
			? []
			: (
					await db
						.select({ id: student.id, firstName: student.firstName, lastName: student.lastName })
						.from(student)
						.where(and(eq(student.schoolId, schoolId), inArray(student.id, ids)))
				).map((r) => [r.id, `${r.firstName} ${r.lastName}`.trim()])
	);
	for (const { of, mention } of notes) {
		found.get(of)!.push({ ...mention, studentName: names.get(mention.studentId) ?? '' });
	}
	return found;
}

async function countOf(query: Promise<Array<{ n: number }>>): Promise<number> {
	const [row] = await query;
	return Number(row?.n ?? 0);
}

/** Boards whose document may hold entries per student (the progress wall). */
function holdsStudentEntries(kind: Board['kind']): boolean {
	return rootMapsOf(kind).includes('students');
}

const currentDoc = (runtime: Runtime, boardId: string) => currentBoardDoc(boardId, runtime);

/**
 * The student's own boards, deleted whole: those about them alone (and their family parts). A
 * care meeting they share with siblings is not theirs alone: see `sharedMeetings`.
 */
async function ownBoards(db: Queryable, schoolId: string, studentId: string) {
	const rows = await db
		.select({ id: board.id, partOf: board.partOf })
		.from(board)
		.where(and(eq(board.schoolId, schoolId), eq(board.studentId, studentId)));
	const shared = new Set((await sharedMeetings(db, schoolId, studentId)).map((m) => m.board.id));
	return rows.filter((b) => !shared.has(b.id) && !(b.partOf && shared.has(b.partOf)));
}

/**
 * Care meetings the student shares with siblings (board_student): the student leaves them,
 * with their own words and check-in, and the siblings keep the meeting. `children` as they
 * are before the erasure, first child first.
 */
async function sharedMeetings(db: Queryable, schoolId: string, studentId: string) {
	const rows = await db
		.select()
		.from(board)
		.where(and(eq(board.schoolId, schoolId), isNull(board.partOf), boardsAbout(db, studentId)));
	const shared: Array<{ board: Board; children: string[] }> = [];
	for (const b of rows) {
		const children = await boardChildIds(db, b);
		if (children.length > 1 && children.includes(studentId)) shared.push({ board: b, children });
	}
	return shared;
}

/**
 * Take one child off a care meeting held for several children: their own words and check-in
 * leave the document (and its family part) and their history, the meeting's records lose the
 * child's words and check-in, and the board row no longer names them (a first child's place
 * goes to the next sibling, in the same transaction as the re-encode).
 */
async function leaveSharedMeeting(
	runtime: Runtime,
	shared: { board: Board; children: string[] },
	child: { id: string; firstName: string },
	/** Written inside the board's re-encode: it exists exactly when the child left. */
	audit?: AuditEntry
): Promise<void> {
	const { board: b, children } = shared;
	const first = children[0] ?? null;
	const key = `${STUDENT_KEY_PREFIX}${child.id}`;
	const leave = (doc: Y.Doc) => {
		// Their devices (their own link's and their child links' sessions), as the server listed
		// them: a check-in a child link placed is kept under its session, and is theirs too.
		const devices = listParticipants(doc).find((p) => p.key === key)?.keys ?? [];
		let erased = eraseChildFromMeeting(doc, child.id, children, devices);
		// Their face too: the list names them until the server rewrites it from the database.
		const face = participantsMap(doc);
		if (face.has(key)) {
			face.delete(key);
			erased ??= { texts: [] };
		}
		return erased;
	};
	const scrub = async (tx: Tx, boardId: string, texts: readonly string[]) => {
		const rows = await tx
			.select({ id: boardRecord.id, kind: boardRecord.kind, data: boardRecord.data })
			.from(boardRecord)
			.where(eq(boardRecord.boardId, boardId));
		for (const row of rows) {
			const record = row.kind === MEETING_RECORD ? meetingRecordData.safeParse(row.data) : null;
			const without = record?.success ? recordWithoutChild(record.data, child, first) : row.data;
			const data = scrubJson(without, { texts, ids: [child.id] });
			if (data !== row.data) {
				await tx.update(boardRecord).set({ data }).where(eq(boardRecord.id, row.id));
			}
		}
	};
	let revoked: string[] = [];
	const main = await eraseFromBoard(runtime, b.id, leave, async (tx, { texts }) => {
		await scrub(tx, b.id, texts);
		if (first === child.id) {
			// The next sibling becomes the board's first child; its row here is then redundant.
			const next = children[1]!;
			await tx
				.update(board)
				.set({ studentId: next })
				.where(and(eq(board.schoolId, b.schoolId), or(eq(board.id, b.id), eq(board.partOf, b.id))));
			await tx
				.delete(boardStudent)
				.where(and(eq(boardStudent.boardId, b.id), eq(boardStudent.studentId, next)));
		}
		await tx
			.delete(boardStudent)
			.where(and(eq(boardStudent.boardId, b.id), eq(boardStudent.studentId, child.id)));
		revoked = await revokeChildLinks(tx, b.id, child.id);
		if (audit) await recordAudit(tx, audit);
	});
	// Their child links' open sockets close now (their sessions are gone with the links).
	for (const inviteId of revoked) accessChanged({ kind: 'invite', inviteId, boardId: b.id });
	const part = await familyPartOf(runtime.database.db, b);
	if (part) {
		await eraseFromBoard(
			runtime,
			part,
			(doc) => leave(doc) ?? { texts: [] },
			async (tx, { texts }) => scrub(tx, part, [...main.texts, ...texts])
		);
	}
}

/**
 * A child leaves a meeting: the child links made for them (their device, bound to them) are
 * revoked and their sessions end, in the leaving's transaction. A link kept alive would speak
 * for no one at best; before links were bound, it became the next child's device. Returns the
 * revoked links' ids, to close their open sockets after the commit.
 */
async function revokeChildLinks(tx: Tx, boardId: string, studentId: string): Promise<string[]> {
	const rows = await tx
		.update(boardInvite)
		.set({ revokedAt: new Date() })
		.where(
			and(
				eq(boardInvite.boardId, boardId),
				eq(boardInvite.role, 'child'),
				eq(boardInvite.studentId, studentId),
				isNull(boardInvite.revokedAt)
			)
		)
		.returning({ id: boardInvite.id });
	const ids = rows.map((r) => r.id);
	if (ids.length > 0) {
		await tx.delete(session).where(and(inArray(session.inviteId, ids), eq(session.kind, 'guest')));
	}
	return ids;
}

/**
 * Take a sibling off a care meeting again, without erasing their file: the leave path of an
 * erasure (their own words, check-in and face leave the document, its history, its records and
 * the family part; the meeting stays for the others, and a first child's place goes to the
 * next). The child is loaded within the board's school (another school's id: 404); who may,
 * `mayRemoveSibling` (403 otherwise). Audited as `board.sibling_remove` about every child the
 * meeting had, inside the board's re-encode; then the participant list is rewritten, open
 * connections re-check (the child's own link no longer opens it) and the history is vacuumed.
 */
export async function removeSibling(
	runtime: Runtime,
	actor: Actor,
	b: Board,
	input: unknown
): Promise<SiblingResult> {
	const parsed = siblingInput.safeParse(input);
	if (!parsed.success) return { ok: false, status: 400, errors: { studentId: 'required' } };
	const db = runtime.database.db;
	const child = await loadStudent(db, b.schoolId, parsed.data.studentId);
	if (!child) return { ok: false, status: 404 };
	if (!(await mayRemoveSibling(db, actor, b, child))) return { ok: false, status: 403 };
	const children = await boardChildIds(db, b);
	await leaveSharedMeeting(runtime, { board: b, children }, child, {
		schoolId: b.schoolId,
		who: actor,
		action: 'board.sibling_remove',
		subjectType: 'board',
		subjectId: b.id,
		studentIds: children
	});
	await relistChildren(runtime, b);
	accessChanged({ kind: 'board', boardId: b.id });
	await vacuumAfterErasure(runtime, historyTables);
	// A mentor who owned the meeting only as that child's mentor can no longer open it.
	const keepsAccess = (await boardRole(db, actor, b.id)) !== null;
	return { ok: true, studentId: child.id, keepsAccess };
}

/** The meeting's participant list rewritten from the board as stored now (its first child too). */
async function relistChildren(runtime: Runtime, b: Pick<Board, 'id' | 'schoolId'>) {
	const [current] = await runtime.database.db
		.select()
		.from(board)
		.where(and(eq(board.id, b.id), eq(board.schoolId, b.schoolId)))
		.limit(1);
	if (current) await refreshMeetingParticipants(current, runtime);
}

async function sharedWalls(db: Queryable, schoolId: string) {
	const rows = await db
		.select({ id: board.id, kind: board.kind })
		.from(board)
		.where(and(eq(board.schoolId, schoolId), isNull(board.partOf)));
	return rows.filter((row) => holdsStudentEntries(row.kind));
}

/** What `eraseStudentData` would remove; null when the student is not of this school. */
export async function erasurePreview(
	runtime: Runtime,
	schoolId: string,
	studentId: string
): Promise<ErasurePreview | null> {
	const db = runtime.database.db;
	const [row] = await db
		.select({
			id: student.id,
			firstName: student.firstName,
			lastName: student.lastName,
			groupName: student.groupName
		})
		.from(student)
		.where(and(eq(student.id, studentId), eq(student.schoolId, schoolId)))
		.limit(1);
	if (!row) return null;
	const boards = await ownBoards(db, schoolId, studentId);
	const mains = boards.filter((b) => b.partOf === null).map((b) => b.id);
	let cards = 0;
	for (const id of mains) {
		const doc = await currentDoc(runtime, id);
		cards += doc.getMap('cards').size;
		doc.destroy();
	}
	// On a care meeting shared with siblings only the student's own words go.
	for (const { board: b, children } of await sharedMeetings(db, schoolId, studentId)) {
		const doc = await currentDoc(runtime, b.id);
		for (const entry of doc.getMap('cards').values()) {
			if (!(entry instanceof Y.Map) || entry.get('type') !== 'wishes') continue;
			const child = entry.get('child');
			const whose = childOfWish({ child: typeof child === 'string' ? child : undefined }, children);
			if (whose === studentId) cards++;
		}
		doc.destroy();
	}
	let wallEntries = 0;
	for (const wall of await sharedWalls(db, schoolId)) {
		const doc = await currentDoc(runtime, wall.id);
		if (studentsMap(doc).has(studentId)) wallEntries++;
		doc.destroy();
	}
	const n = { n: count() };
	const of = countOf;
	const [
		assessments,
		evidenceCount,
		photos,
		goals,
		goalSteps,
		advice,
		decisions,
		actions,
		events,
		consents,
		links,
		auditKept
	] = await Promise.all([
		of(
			db
				.select(n)
				.from(assessment)
				.where(and(eq(assessment.studentId, studentId), eq(assessment.schoolId, schoolId)))
		),
		of(
			db
				.select(n)
				.from(evidence)
				.where(and(eq(evidence.studentId, studentId), eq(evidence.schoolId, schoolId)))
		),
		of(
			db
				.select(n)
				.from(media)
				.where(
					and(
						eq(media.schoolId, schoolId),
						mains.length > 0
							? or(eq(media.studentId, studentId), inArray(media.boardId, mains))
							: eq(media.studentId, studentId)
					)
				)
		),
		of(db.select(n).from(studentGoal).where(eq(studentGoal.studentId, studentId))),
		of(
			db
				.select(n)
				.from(goalStep)
				.where(and(eq(goalStep.studentId, studentId), eq(goalStep.schoolId, schoolId)))
		),
		of(db.select(n).from(reviewAdvice).where(eq(reviewAdvice.studentId, studentId))),
		of(db.select(n).from(reviewDecision).where(eq(reviewDecision.studentId, studentId))),
		of(db.select(n).from(reviewAction).where(eq(reviewAction.studentId, studentId))),
		of(db.select(n).from(studentEvent).where(eq(studentEvent.studentId, studentId))),
		of(db.select(n).from(photoConsent).where(eq(photoConsent.studentId, studentId))),
		of(
			db
				.select(n)
				.from(studentLink)
				.where(and(eq(studentLink.studentId, studentId), eq(studentLink.schoolId, schoolId)))
		),
		of(
			db
				.select(n)
				.from(auditLog)
				.where(and(eq(auditLog.schoolId, schoolId), eq(auditLog.studentId, studentId)))
		)
	]);
	const records =
		mains.length === 0
			? 0
			: await of(db.select(n).from(boardRecord).where(inArray(boardRecord.boardId, mains)));
	return {
		student: row,
		mentions: (await mentionsOfStudents(runtime, schoolId, [row])).get(row.id) ?? [],
		counts: {
			boards: mains.length,
			cards,
			wallEntries,
			assessments,
			evidence: evidenceCount,
			photos,
			goals,
			goalSteps,
			reviewItems: advice + decisions + actions,
			events,
			records,
			consents,
			links,
			auditKept
		}
	};
}

/**
 * Remove an entry from a board and from its whole history: live edit, re-encode with the
 * derived rows scrubbed, offline copies dropped. `fn` returns the texts it removed (or null
 * when the board did not hold the entry); `within` runs inside the re-encode's transaction
 * (scrubbing derived rows, writing the audit row), so all of it commits or none of it does.
 */
async function eraseFromBoard(
	runtime: Runtime,
	boardId: string,
	fn: (doc: Y.Doc) => { texts: string[] } | null,
	within?: (tx: Tx, erased: { texts: string[]; found: boolean }) => Promise<void>,
	/** Finishing a half-done erasure: its clients may never have been told to drop their copy. */
	options: { dropCopies?: boolean } = {}
): Promise<{ texts: string[]; found: boolean }> {
	const edit = await editBoardDoc(boardId, fn, {}, runtime);
	const texts = edit.result?.texts ?? [];
	const found = edit.result !== null;
	// Whatever the open room still queues (a family mirror's copy of the deletion) is stored
	// first, so the re-encode folds it in.
	await (await runtime.openBoards?.get(boardId))?.flush();
	await reencodeBoard(
		runtime.database.db,
		boardId,
		within && ((tx) => within(tx, { texts, found }))
	);
	// Re-encoded either way (an entry deleted earlier may still sit in the log), but clients are
	// sent back to the server only when the board showed it: a reload costs them their place.
	if (found || options.dropCopies) await runtime.openBoards?.dropOfflineCopies?.(boardId);
	return { texts, found };
}

/** Scrub derived JSON rows; rows whose key is an erased id (an archived success) go whole. */
async function scrubRecords(tx: Tx, boardIds: string[], target: ScrubTarget): Promise<number> {
	if (boardIds.length === 0) return 0;
	let changed = 0;
	const rows = await tx
		.select({ id: boardRecord.id, key: boardRecord.key, data: boardRecord.data })
		.from(boardRecord)
		.where(inArray(boardRecord.boardId, boardIds));
	for (const row of rows) {
		if (row.key !== null && target.ids?.includes(row.key)) {
			await tx.delete(boardRecord).where(eq(boardRecord.id, row.id));
			changed++;
			continue;
		}
		const data = scrubJson(row.data, target);
		if (data !== row.data) {
			await tx.update(boardRecord).set({ data }).where(eq(boardRecord.id, row.id));
			changed++;
		}
	}
	return changed;
}

async function scrubEvents(tx: Tx, boardId: string, target: ScrubTarget): Promise<void> {
	const rows = await tx
		.select({ id: studentEvent.id, data: studentEvent.data })
		.from(studentEvent)
		.where(eq(studentEvent.boardId, boardId));
	for (const row of rows) {
		const data = scrubJson(row.data, target);
		if (data !== row.data) {
			await tx.update(studentEvent).set({ data }).where(eq(studentEvent.id, row.id));
		}
	}
}

/**
 * Erase one student's data everywhere (also called by retention). Scoped to `schoolId` in every
 * query; returns the counts (also audited), or null when the student is not of this school.
 */
export async function eraseStudentData(
	runtime: Runtime,
	schoolId: string,
	studentId: string,
	actor: Actor | { kind: 'system' },
	options: { mentions?: readonly string[] } = {}
): Promise<StudentErasureCounts | null> {
	const preview = await erasurePreview(runtime, schoolId, studentId);
	if (!preview) return null;
	const db = runtime.database.db;

	// Cards and wall notes elsewhere that name the student, as the admin ticked them: only keys
	// this preview found (of this school, still naming the student), each erased with its history.
	const ticked = preview.mentions.filter((m) => options.mentions?.includes(m.key));
	for (const mention of ticked) {
		const audit: AuditEntry = {
			schoolId,
			who: actor,
			action: 'card.erase',
			subjectType: 'board',
			subjectId: mention.boardId,
			studentId,
			meta: { entry: 'mention' }
		};
		if (mention.kind === 'card') {
			await eraseCardFromBoard(runtime, { id: mention.boardId, schoolId }, mention.cardId, audit);
		} else {
			// Only the note goes: the other student's stoplight and flags stay on the wall.
			await eraseNoteFromBoard(runtime, mention.boardId, mention.studentId, {
				...audit,
				meta: { entry: 'mention', on: 'note' }
			});
		}
	}
	// Care meetings shared with siblings: the student leaves them, the siblings keep them.
	const shared = await sharedMeetings(db, schoolId, studentId);
	for (const meeting of shared) await leaveSharedMeeting(runtime, meeting, preview.student);
	const boards = await ownBoards(db, schoolId, studentId);
	// Family parts first: an open part's room holds its board's room.
	const order = [...boards].sort((a, b) => Number(b.partOf !== null) - Number(a.partOf !== null));
	const closeAll = async () => {
		for (const b of order) await runtime.openBoards?.closeDeleted?.(b.id);
	};
	await closeAll();

	// Shared boards: their entries about the student leave the board and its history.
	for (const wall of await sharedWalls(db, schoolId)) {
		await eraseFromBoard(
			runtime,
			wall.id,
			(doc) => (eraseWallStudent(doc, studentId).entries > 0 ? { texts: [] } : null),
			async (tx) => void (await scrubRecords(tx, [wall.id], { texts: [], ids: [studentId] }))
		);
	}

	const boardIds = boards.map((b) => b.id);
	await db.transaction(async (tx) => {
		if (boardIds.length > 0) {
			await tx
				.delete(media)
				.where(and(eq(media.schoolId, schoolId), inArray(media.boardId, boardIds)));
		}
		await tx.delete(media).where(and(eq(media.schoolId, schoolId), eq(media.studentId, studentId)));
		// Records of other boards (a team's session) that name the student by id.
		const others = await tx
			.selectDistinct({ id: boardRecord.boardId })
			.from(boardRecord)
			.innerJoin(board, eq(board.id, boardRecord.boardId))
			.where(
				and(
					eq(board.schoolId, schoolId),
					sql`${boardRecord.data}::text like ${'%' + studentId + '%'}`
				)
			);
		await scrubRecords(
			tx,
			others.map((o) => o.id).filter((id) => !boardIds.includes(id)),
			{ texts: [], ids: [studentId] }
		);
		// Parts before their boards; the rest (logs, snapshots, records, invites, guest
		// sessions) cascades with each board row, and the student's rows with the student.
		if (boardIds.length > 0) {
			await tx
				.delete(board)
				.where(
					and(eq(board.schoolId, schoolId), inArray(board.id, boardIds), isNotNull(board.partOf))
				);
			await tx.delete(board).where(and(eq(board.schoolId, schoolId), inArray(board.id, boardIds)));
		}
		await tx.delete(student).where(and(eq(student.id, studentId), eq(student.schoolId, schoolId)));
		await recordAudit(tx, {
			schoolId,
			who: actor,
			action: 'student.erase',
			subjectType: 'student',
			subjectId: studentId,
			studentId,
			// How many named cards and notes were left standing: a human decided, no content.
			meta: {
				...preview.counts,
				mentions: ticked.length,
				mentionsLeft: preview.mentions.length - ticked.length
			}
		});
	});
	// A room that opened while we worked goes too (its board no longer exists).
	await closeAll();
	// The shared meetings list their children anew, from the database, without this one.
	for (const { board: b } of shared) await relistChildren(runtime, b);
	await vacuumAfterErasure(runtime, studentErasureTables());
	return preview.counts;
}

/* ------------------------------------------------------------------ vacuum */

/** What an erasure of one entry rewrites or deletes: the board's history and derived rows. */
const historyTables = [boardUpdate, boardSnapshot, boardRecord, studentEvent];

/**
 * A deleted or rewritten row stays in the table's files until vacuum, so a byte search over the
 * data directory would still find the erased text. After the erasure has committed (VACUUM
 * cannot run in a transaction) the tables it touched are rewritten: `VACUUM FULL` writes each
 * table anew, without its dead rows (plain VACUUM frees their space but leaves their bytes in
 * the page), and a CHECKPOINT lets PGlite/PostgreSQL drop the old files. It holds an exclusive
 * lock per table while it runs: milliseconds for a school's tables, and erasure is rare. The
 * write-ahead log (pg_wal) still holds the text until its segments are overwritten (README).
 * Best effort: the erasure stands when this fails (e.g. an app role without the right).
 */
async function vacuumAfterErasure(runtime: Runtime, tables: readonly PgTable[]): Promise<void> {
	const db = runtime.database.db;
	try {
		for (const table of new Set(tables)) {
			await db.execute(sql.raw(`vacuum full "${getTableName(table)}"`));
		}
		await db.execute(sql`checkpoint`);
	} catch (error) {
		console.warn(`erasure: vacuum after erasing failed: ${(error as Error).message}`);
	}
}

/**
 * The tables a student's erasure deletes or rewrites rows in: the ones it writes itself (the
 * student, their boards and photos, the history of shared boards and the rows derived from
 * them) and, followed through the schema's foreign keys, every table whose rows a deletion
 * there cascades to or sets to null. Read from the schema, not listed by hand, so a new table
 * keyed by a student or a board is vacuumed too; the others (schools, staff, teams, the audit
 * log, which only gains a row) are not locked for it.
 */
export function studentErasureTables(): PgTable[] {
	const tables = Object.values(schema as Record<string, unknown>).filter(
		(value): value is PgTable => is(value, PgTable)
	);
	const touched = new Set<PgTable>([student, board, media, ...historyTables]);
	for (let grew = true; grew;) {
		grew = false;
		for (const table of tables) {
			if (touched.has(table)) continue;
			const follows = getTableConfig(table).foreignKeys.some(
				(fk) =>
					(fk.onDelete === 'cascade' || fk.onDelete === 'set null') &&
					touched.has(fk.reference().foreignTable)
			);
			if (follows) {
				touched.add(table);
				grew = true;
			}
		}
	}
	return [...touched];
}

/* ------------------------------------------------------------------ one entry */

/** Which entry on a board: a card (verbeterbord layout), or a student's note on a progress wall. */
export const cardErasureInput = z.discriminatedUnion('kind', [
	z.object({
		kind: z.literal('card'),
		boardId: z.string().trim().min(1).max(40),
		cardId: z.string().trim().min(1).max(40)
	}),
	z.object({
		kind: z.literal('note'),
		boardId: z.string().trim().min(1).max(40),
		studentId: z.string().trim().min(1).max(40)
	})
]);
export type CardErasure = z.infer<typeof cardErasureInput>;

export type CardErasureResult = 'erased' | 'not_found' | 'forbidden';

async function familyPartOf(db: Queryable, b: Pick<Board, 'id' | 'schoolId'>) {
	const [row] = await db
		.select({ id: board.id })
		.from(board)
		.where(and(eq(board.partOf, b.id), eq(board.schoolId, b.schoolId)))
		.limit(1);
	return row?.id ?? null;
}

/**
 * Which cards `actor` may erase from this board: `scope` (`eraseScopeOf` per child of the board,
 * each read in the school) and, for `own-words`, the `children` whose words it covers (those the
 * actor mentors; on a care meeting for several children, each child's mentor their own child's).
 * The board page shows "Wis definitief" from it, `eraseCard` checks it.
 */
export async function boardEraseScope(
	db: Queryable,
	actor: Actor,
	b: Pick<Board, 'id' | 'schoolId' | 'kind' | 'studentId'>
): Promise<{ scope: EraseScope; children: string[] }> {
	// An admin's scope needs no student; without a child on the board no mentor has one.
	if (eraseScopeOf(actor, b, null) === 'any') return { scope: 'any', children: [] };
	const children: string[] = [];
	for (const id of await boardChildIds(db, b)) {
		const [s] = await db
			.select({ id: student.id, mentorId: student.mentorId })
			.from(student)
			.where(and(eq(student.id, id), eq(student.schoolId, b.schoolId)))
			.limit(1);
		if (s && eraseScopeOf(actor, b, s) === 'own-words') children.push(s.id);
	}
	return { scope: children.length > 0 ? 'own-words' : 'none', children };
}

/**
 * Erase one card or wall note from a board and its history (and the family part's copy).
 * Who may: `mayEraseCard` (auth/permissions.ts). Audited as `card.erase`, without content.
 */
export async function eraseCard(
	runtime: Runtime,
	schoolId: string,
	input: CardErasure,
	actor: Actor
): Promise<CardErasureResult> {
	const db = runtime.database.db;
	const [b] = await db
		.select()
		.from(board)
		.where(and(eq(board.id, input.boardId), eq(board.schoolId, schoolId), isNull(board.partOf)))
		.limit(1);
	if (!b) return 'not_found';

	if (input.kind === 'note') {
		if (!holdsStudentEntries(b.kind)) return 'not_found';
		const [s] = await db
			.select({ id: student.id, mentorId: student.mentorId })
			.from(student)
			.where(and(eq(student.id, input.studentId), eq(student.schoolId, schoolId)))
			.limit(1);
		if (!mayEraseCard(actor, b, { type: 'note', student: s ?? null })) return 'forbidden';
		const erased = await eraseNoteFromBoard(runtime, b.id, input.studentId, {
			schoolId,
			who: actor,
			action: 'card.erase',
			subjectType: 'board',
			subjectId: b.id,
			studentId: input.studentId,
			meta: { entry: 'note' }
		});
		if (!erased) return 'not_found';
		await vacuumAfterErasure(runtime, historyTables);
		return 'erased';
	}

	if (!rootMapsOf(b.kind).includes('cards')) return 'not_found';
	const doc = await currentDoc(runtime, b.id);
	const entry = doc.getMap('cards').get(input.cardId);
	const card = entry === undefined ? null : readCard(input.cardId, entry);
	doc.destroy();
	// Gone from the live board: a retry of an erasure that stopped half-way (a crash, a failed
	// write) finishes the job as long as the card's words are still stored somewhere.
	const leftover = entry === undefined ? await leftoverOf(runtime, b, input.cardId) : null;
	if (entry === undefined && !leftover) return 'not_found';
	const type = card?.type ?? leftover?.type ?? 'unknown';
	const { scope, children } = await boardEraseScope(db, actor, b);
	// Whose words: the card's child (a care meeting for several children), else the first's.
	const child = (card?.type === 'wishes' ? card.child : leftover?.child) ?? undefined;
	const whose = { child: childOfWish({ child }, await boardChildIds(db, b)), children };
	if (!scopeAllowsErase(scope, type, whose)) return 'forbidden';
	await eraseCardFromBoard(
		runtime,
		b,
		input.cardId,
		{
			schoolId,
			who: actor,
			action: 'card.erase',
			subjectType: 'board',
			subjectId: b.id,
			...(await boardStudents(db, b)),
			meta: {
				entry: type === 'unknown' ? 'card' : type,
				...(leftover ? { historyOnly: true } : {})
			}
		},
		leftover
	);
	await vacuumAfterErasure(runtime, historyTables);
	return 'erased';
}

/**
 * Erase one student's note from a progress wall and its history (the wall's derived rows
 * scrubbed of its words); false when the wall neither shows it nor still stores it. A note gone
 * from the live wall but still in the log (an erasure that stopped half-way) is finished, its
 * audit row marked `historyOnly`. `audit` is written inside the re-encode, as for a card.
 */
async function eraseNoteFromBoard(
	runtime: Runtime,
	boardId: string,
	studentId: string,
	audit: AuditEntry
): Promise<boolean> {
	const live = await currentDoc(runtime, boardId);
	const shown = studentsMap(live).get(studentId);
	const onWall = shown instanceof Y.Map && shown.has('note');
	live.destroy();
	const leftover = onWall
		? null
		: await storedRemains(runtime, boardId, (d) => noteRemains(d, studentId));
	if (!onWall && !leftover) return false;
	await eraseFromBoard(
		runtime,
		boardId,
		(doc) => eraseWallNote(doc, studentId),
		async (tx, erased) => {
			const texts = [...(leftover?.texts ?? []), ...erased.texts];
			await scrubRecords(tx, [boardId], { texts });
			await scrubEvents(tx, boardId, { texts });
			const meta = { ...audit.meta, ...(leftover ? { historyOnly: true } : {}) };
			await recordAudit(tx, { ...audit, meta });
		},
		{ dropCopies: leftover !== null }
	);
	return true;
}

/**
 * What a card gone from the live board still leaves on board `b` or its family part: its words
 * in a stored update or snapshot (the live deletion went through, the re-encode did not), or
 * still live on the family part (the run stopped between the two boards). Null when neither
 * holds its words: then it was erased completely, or never there.
 */
async function leftoverOf(
	runtime: Runtime,
	b: Pick<Board, 'id' | 'schoolId'>,
	cardId: string
): Promise<{ texts: string[]; type: string | null; child: string | null } | null> {
	const part = await familyPartOf(runtime.database.db, b);
	for (const boardId of part ? [b.id, part] : [b.id]) {
		const remains = await storedRemains(runtime, boardId, (doc) => cardRemains(doc, cardId));
		if (remains) return remains;
	}
	return null;
}

/** `find` over everything the board's storage holds, deleted entries included. */
async function storedRemains<T>(
	runtime: Runtime,
	boardId: string,
	find: (doc: Y.Doc) => T | null
): Promise<T | null> {
	// What an open room still queues is stored first, so the stored history is complete.
	await (await runtime.openBoards?.get(boardId))?.flush();
	const doc = await storedHistoryDoc(runtime.database.db, boardId);
	try {
		return find(doc);
	} finally {
		doc.destroy();
	}
}

/**
 * Erase one card from board `b` and its history, and its copy on the family part. `audit` is
 * written inside the board's re-encode: the row exists exactly when its history was rewritten.
 */
async function eraseCardFromBoard(
	runtime: Runtime,
	b: Pick<Board, 'id' | 'schoolId'>,
	cardId: string,
	audit: AuditEntry,
	/** What is still stored of a card the live board no longer holds (a retry), if any. */
	leftover: { texts: readonly string[] } | null = null
): Promise<void> {
	const known = leftover?.texts ?? [];
	const target = (texts: string[]): ScrubTarget => ({ texts: [...known, ...texts], ids: [cardId] });
	const retry = { dropCopies: leftover !== null };
	const main = await eraseFromBoard(
		runtime,
		b.id,
		(d) => eraseCardFromDoc(d, cardId),
		async (tx, { texts }) => {
			await scrubRecords(tx, [b.id], target(texts));
			await recordAudit(tx, audit);
		},
		retry
	);
	const part = await familyPartOf(runtime.database.db, b);
	if (part) {
		await eraseFromBoard(
			runtime,
			part,
			(d) => eraseCardFromDoc(d, cardId) ?? { texts: [] },
			async (tx, { texts }) => {
				await scrubRecords(tx, [part], target([...main.texts, ...texts]));
			}
		);
	}
}
