/**
 * The progress wall's history, derived by the server from the room document it holds.
 *
 * When an accepted update changes a student's entry (stoplight, flags, note, or a weekly "still
 * the same" that only stamps updatedAt) the server writes the `student_event` row itself, with
 * the actor of the connection that made the change (the transaction origin). No browser request
 * writes history, so a stock y-websocket client, an offline client replaying its edits or a
 * failed POST can never make the history and the board disagree, and nobody can forge an entry.
 *
 * Coalescing: one person's changes to one student become one event once they have been quiet
 * for HISTORY_QUIET_MS (a pass of clicking and typing), or after HISTORY_MAX_WAIT_MS at the
 * latest. Another person touching the same student closes the first one's event at once, so
 * each event carries the right name. An event whose state equals the last one recorded (a change
 * undone, or refused and reverted by the server) is not written.
 */
import type { Actor } from '../src/lib/server/auth/actor';
import type { BoardRole } from '../src/lib/server/auth/permissions';
import { actorId } from '../src/lib/server/auth/actor';
import * as Y from 'yjs';
import {
	emptyState,
	readStudentState,
	studentsMap,
	type StudentState
} from '../src/lib/board/voortgang';
import type { Runtime } from '../src/lib/server/runtime';
import { storedDocIn } from '../src/lib/server/board-store';
import type { Tx } from '../src/lib/server/db';
import { recordStudentEvent } from '../src/lib/server/voortgang';
import { log } from './log';
import { isConnection, type Room } from './rooms';

export const HISTORY_QUIET_MS = 1_500;
export const HISTORY_MAX_WAIT_MS = 30_000;

interface Pending {
	actor: Actor;
	role: BoardRole;
	state: StudentState;
	firstAt: number;
	lastAt: number;
	timer: ReturnType<typeof setTimeout> | undefined;
}

function sameState(a: StudentState | undefined, b: StudentState): boolean {
	return (
		a !== undefined &&
		a.stoplight === b.stoplight &&
		a.note === b.note &&
		a.flags.join() === b.flags.join() &&
		a.updatedAt === b.updatedAt &&
		a.updatedBy === b.updatedBy
	);
}

/** The key under `root` (a student id) that `type` sits in, or null when it is elsewhere. */
function studentKeyOf(type: { _item: Y.Item | null }, root: unknown): string | null {
	let item = type._item;
	while (item) {
		const parent = item.parent;
		if (parent === root) return item.parentSub;
		if (!(parent instanceof Y.AbstractType)) return null;
		item = parent._item;
	}
	return null;
}

/*
 * A document whose `students` is not a map (a malformed board) must not break the room, nor be
 * reinterpreted by us: these run inside Yjs's transaction cleanup, where a throw would disturb
 * every other observer. A root that Yjs has only seen in updates is a generic type; it is a map
 * when it holds no list content, and only then do we read it as one.
 */
function studentsRoot(doc: Y.Doc): Y.Map<Y.Map<unknown>> | null {
	const root = doc.share.get('students');
	if (!root) return null;
	const listContent = root._start !== null;
	const generic = !listContent && root.constructor === Y.AbstractType;
	if (!generic && !(root instanceof Y.Map)) return null;
	try {
		return studentsMap(doc);
	} catch {
		return null;
	}
}

function safeKeys(doc: Y.Doc): string[] {
	return [...(studentsRoot(doc)?.keys() ?? [])];
}

function safeState(doc: Y.Doc, studentId: string): StudentState {
	if (!studentsRoot(doc)) return emptyState;
	try {
		return readStudentState(doc, studentId);
	} catch {
		return emptyState;
	}
}

/**
 * Whether the stored board still holds `note` for the student. An erasure deletes the note from
 * the board and then scrubs `student_event` behind the board's exclusive lock; an event this
 * room opened before the deletion reached it (another instance erased, and Redis is slower than
 * our timer) would otherwise write the erased note back after the scrub. Read under the board's
 * shared lock within the writing transaction, so the check and the insert are never split by a
 * re-encode: either the scrub runs after our insert (and removes it) or we see the erased board.
 * An event whose note someone else replaced meanwhile on another instance is skipped too; that
 * person's own event records what the board says.
 */
async function noteStillStored(
	tx: Tx,
	boardId: string,
	studentId: string,
	note: string
): Promise<boolean> {
	if (note === '') return true;
	const stored = await storedDocIn(tx, boardId);
	try {
		return safeState(stored, studentId).note === note;
	} finally {
		stored.destroy();
	}
}

/** History writes still running, awaited at shutdown before the database closes. */
function inFlight(runtime: Runtime): Set<Promise<void>> {
	let writes = runtime.services.studentHistoryWrites as Set<Promise<void>> | undefined;
	if (!writes) {
		const set = new Set<Promise<void>>();
		writes = set;
		runtime.services.studentHistoryWrites = set;
		runtime.closers.push(async () => void (await Promise.allSettled([...set])));
	}
	return writes;
}

/** Derive `student_event` rows from `room`'s document; call once when the room is created. */
export function watchStudentHistory(
	runtime: Runtime,
	room: Pick<Room, 'boardId' | 'observeDocument' | 'destroyed' | 'flush'>,
	timing: { quietMs: number; maxWaitMs: number } = {
		quietMs: HISTORY_QUIET_MS,
		maxWaitMs: HISTORY_MAX_WAIT_MS
	}
): void {
	// What the history last said per student, as far as this room knows: the loaded state.
	const recorded = new Map<string, StudentState>();
	let loaded = false;
	const pending = new Map<string, Pending>();
	const writes = inFlight(runtime);

	function finish(studentId: string): void {
		const entry = pending.get(studentId);
		if (!entry) return;
		pending.delete(studentId);
		clearTimeout(entry.timer);
		if (sameState(recorded.get(studentId), entry.state)) return;
		recorded.set(studentId, entry.state);
		const write = (async () => {
			// The connection's own edits are stored first, so the stored board can vouch for them.
			if (!room.destroyed) await room.flush();
			await runtime.database.db.transaction(async (tx) => {
				if (!(await noteStillStored(tx, room.boardId, studentId, entry.state.note))) {
					log.info(
						`history: skipped an event on board ${room.boardId}: its note is no longer on the board`
					);
					return;
				}
				await recordStudentEvent(tx, {
					boardId: room.boardId,
					studentId,
					update: {
						stoplight: entry.state.stoplight,
						flags: entry.state.flags,
						note: entry.state.note
					},
					by: { actor: entry.actor, role: entry.role },
					at: new Date(entry.lastAt)
				});
			});
		})().then(
			() => undefined,
			(error: unknown) => {
				log.error(
					`history: writing a student event on board ${room.boardId} failed: ${(error as Error).message}`
				);
			}
		);
		writes.add(write);
		void write.finally(() => writes.delete(write));
	}

	function changed(doc: Y.Doc, studentId: string, origin: unknown): void {
		const state = safeState(doc, studentId);
		const entry = pending.get(studentId);
		if (!isConnection(origin)) {
			// The server itself or another instance: no event of ours, but an open event records
			// what the board now says (e.g. a change the server refused and reverted).
			if (entry) entry.state = state;
			else recorded.set(studentId, state);
			return;
		}
		if (entry && actorId(entry.actor) !== actorId(origin.actor)) finish(studentId);
		const now = Date.now();
		const current = pending.get(studentId) ?? {
			actor: origin.actor,
			role: origin.role,
			state,
			firstAt: now,
			lastAt: now,
			timer: undefined
		};
		current.actor = origin.actor;
		current.role = origin.role;
		current.state = state;
		current.lastAt = now;
		clearTimeout(current.timer);
		const delay = Math.max(0, Math.min(timing.quietMs, current.firstAt + timing.maxWaitMs - now));
		current.timer = setTimeout(() => finish(studentId), delay);
		pending.set(studentId, current);
	}

	function finishAll(): void {
		for (const id of [...pending.keys()]) finish(id);
	}

	// Attached again each time the room's document wakes after resting (rooms.ts). It rests
	// after a quiet spell (30 s by default) longer than an open event's wait for quiet; one still
	// open then is written at once, as when the room unloads.
	room.observeDocument((doc) => {
		if (!loaded && doc.share.has('students')) {
			for (const id of safeKeys(doc)) recorded.set(id, safeState(doc, id));
		}
		loaded = true;
		// afterTransaction rather than observeDeep on `students`: observing would define that root
		// type in every room (a verbeterbord has none), and this sees every transaction's origin.
		const onTransaction = (transaction: Y.Transaction) => {
			const root = doc.share.get('students');
			if (!root || transaction.changed.size === 0) return;
			const touched = new Set<string>();
			for (const [type, keys] of transaction.changed) {
				if (type === root) {
					for (const key of keys) if (key !== null) touched.add(key);
					continue;
				}
				const id = studentKeyOf(type, root);
				if (id !== null) touched.add(id);
			}
			for (const id of touched) changed(doc, id, transaction.origin);
		};
		doc.on('afterTransaction', onTransaction);
		// The room unloads or the server stops: write what is open now rather than lose it.
		doc.on('destroy', finishAll);
		return () => {
			doc.off('afterTransaction', onTransaction);
			doc.off('destroy', finishAll);
			finishAll();
		};
	});
}
