/**
 * What erasure (AVG art. 17) removes from a board's document, and from the JSON rows derived
 * from it. Pure: Yjs and plain data, no database, no network.
 *
 * Removing an entry from a Y.Doc only marks it deleted; the text is gone from storage once the
 * board is re-encoded from a garbage-collected document (server: privacy/erase.ts). These
 * functions only decide *what* goes and return the texts that went, so the server can scrub the
 * same texts from the rows it derived from the board (session records, wall history).
 */
import * as Y from 'yjs';
import { mentionsStudent, type StudentName } from './mentions';
import { cardsMap, checkinsMap } from './verbeterbord';
import { childOfWish, STUDENT_KEY_PREFIX } from './zorgoverleg';
import { actionsMap, studentsMap } from './voortgang';

// What a person wrote on a card. Names, ids, dates and enums stay out: scrubbing those from the
// derived rows would also blank other records that merely share a name or a date.
const wordFields = ['title', 'body', 'note'] as const;

/** The words on a card; very short ones are left out, they would match inside other words. */
function wordsOf(map: Y.Map<unknown>): string[] {
	const out: string[] = [];
	for (const field of wordFields) {
		const value = map.get(field);
		if (typeof value === 'string' && value.trim().length >= 3) out.push(value);
	}
	return out;
}

/** Delete one card (verbeterbord layout: also zorgoverleg and driehoeksgesprek). */
export function eraseCardFromDoc(doc: Y.Doc, cardId: string): { texts: string[] } | null {
	const entry = cardsMap(doc).get(cardId);
	if (entry === undefined) return null;
	const texts = entry instanceof Y.Map ? wordsOf(entry) : [];
	cardsMap(doc).delete(cardId);
	return { texts };
}

/**
 * One child leaves a care meeting held for several children (their file is erased): their own
 * words (`wishes` cards that are theirs, zorgoverleg.ts `childOfWish`) and their check-in go;
 * the siblings' words and everything the meeting shared stay. `children`: the board's children
 * as they were, first child first.
 */
export function eraseChildFromMeeting(
	doc: Y.Doc,
	studentId: string,
	children: readonly string[],
	/** The child's devices (participants.ts `Participant.keys`): their check-ins go too. */
	devices: readonly string[] = []
): { texts: string[] } | null {
	const cards = cardsMap(doc);
	const texts: string[] = [];
	let found = false;
	doc.transact(() => {
		for (const [cardId, entry] of [...cards.entries()]) {
			if (!(entry instanceof Y.Map) || entry.get('type') !== 'wishes') continue;
			const child = entry.get('child');
			const whose = childOfWish({ child: typeof child === 'string' ? child : undefined }, children);
			if (whose !== studentId) continue;
			texts.push(...wordsOf(entry));
			cards.delete(cardId);
			found = true;
		}
		const checkins = checkinsMap(doc);
		for (const key of new Set([`${STUDENT_KEY_PREFIX}${studentId}`, ...devices])) {
			if (checkins.has(key)) {
				checkins.delete(key);
				found = true;
			}
		}
	});
	return found ? { texts } : null;
}

/**
 * The value last written at `key` of a map, deleted or not, as long as its content is stored:
 * a nested map, or a plain value. Undefined when nothing was written there or only a tombstone
 * is left (garbage-collected). Reads Yjs's item of the key, since `get` skips deleted ones.
 */
function storedValue(map: { _map: Map<string, Y.Item> }, key: string): unknown {
	const item = map._map.get(key);
	if (!item) return undefined;
	if (item.content instanceof Y.ContentType) return item.content.type;
	if (item.content instanceof Y.ContentAny) return item.content.getContent().at(-1);
	return undefined;
}

/**
 * What a document that keeps deleted content (`gc: false`, board-store.ts `storedHistoryDoc`)
 * still holds of one card, live or deleted: its words, type and child. Null when the card was never on
 * the board, or only its tombstone is left (the history was already rewritten). How a retried
 * erasure knows there is work left.
 */
export function cardRemains(
	doc: Y.Doc,
	cardId: string
): { texts: string[]; type: string | null; child: string | null } | null {
	const map = storedValue(cardsMap(doc), cardId);
	if (!(map instanceof Y.Map)) return null;
	const texts: string[] = [];
	for (const field of wordFields) {
		const value = storedValue(map, field);
		if (typeof value === 'string' && value.trim().length >= 3) texts.push(value);
	}
	const type = storedValue(map, 'type');
	// Whose own words (a care meeting for several children): who may finish erasing them.
	const child = storedValue(map, 'child');
	return {
		texts,
		type: typeof type === 'string' ? type : null,
		child: typeof child === 'string' ? child : null
	};
}

/** The same for a student's note on a progress wall: its last text, deleted or not, if stored. */
export function noteRemains(doc: Y.Doc, studentId: string): { texts: string[] } | null {
	const entry = storedValue(studentsMap(doc), studentId);
	if (!(entry instanceof Y.Map)) return null;
	const note = storedValue(entry, 'note');
	return typeof note === 'string' && note.trim() ? { texts: [note] } : null;
}

/** Cards whose own words name the student (mentions.ts): what an admin may erase with them. */
export function cardsNaming(
	doc: Y.Doc,
	name: StudentName
): Array<{ cardId: string; title: string }> {
	const found: Array<{ cardId: string; title: string }> = [];
	for (const [cardId, entry] of cardsMap(doc).entries()) {
		if (!(entry instanceof Y.Map)) continue;
		const texts = wordFields.map((f) => entry.get(f)).filter((v) => typeof v === 'string');
		if (mentionsStudent(texts, name))
			found.push({ cardId, title: String(entry.get('title') ?? '') });
	}
	return found;
}

/**
 * Progress-wall notes about *other* students whose words name the student: the wall keeps a
 * note per student inside its document, where only a name links it to the one being erased.
 */
export function notesNaming(
	doc: Y.Doc,
	name: StudentName,
	self: string
): Array<{ studentId: string; note: string }> {
	const found: Array<{ studentId: string; note: string }> = [];
	for (const [studentId, entry] of studentsMap(doc).entries()) {
		if (studentId === self || !(entry instanceof Y.Map)) continue;
		const note = entry.get('note');
		if (typeof note === 'string' && mentionsStudent([note], name)) found.push({ studentId, note });
	}
	return found;
}

/** Delete the note on one student's progress-wall entry; the stoplight and flags stay. */
export function eraseWallNote(doc: Y.Doc, studentId: string): { texts: string[] } | null {
	const entry = studentsMap(doc).get(studentId);
	if (!(entry instanceof Y.Map) || !entry.has('note')) return null;
	const note = entry.get('note');
	entry.delete('note');
	return { texts: typeof note === 'string' && note.trim() ? [note] : [] };
}

/**
 * Delete everything a progress wall holds about one student: their entry and the monthly
 * actions agreed about them. Returns how many entries went.
 */
export function eraseWallStudent(doc: Y.Doc, studentId: string): { entries: number } {
	let entries = 0;
	if (studentsMap(doc).has(studentId)) {
		studentsMap(doc).delete(studentId);
		entries++;
	}
	for (const [id, action] of [...actionsMap(doc).entries()]) {
		if (action instanceof Y.Map && action.get('studentId') === studentId) {
			actionsMap(doc).delete(id);
			entries++;
		}
	}
	return { entries };
}

export interface ScrubTarget {
	/** Texts to remove wherever they occur in a string. */
	texts: readonly string[];
	/** Ids: an object holding one as a value is dropped from its list, or emptied. */
	ids?: readonly string[];
}

/**
 * Remove erased texts and ids from a JSON value (a `board_record.data`, a `student_event.data`):
 * a list element that mentions one is dropped whole (a success, an action, a check-in of that
 * card); elsewhere the text is cut out of the string and an id-valued field is emptied.
 * Returns the same reference when nothing changed, so callers write only what changed.
 */
export function scrubJson<T>(value: T, target: ScrubTarget): T {
	const texts = target.texts.filter((t) => t.length > 0);
	const ids = new Set(target.ids ?? []);
	const mentions = (v: unknown): boolean => {
		if (typeof v === 'string') return ids.has(v) || texts.some((t) => v.includes(t));
		if (Array.isArray(v)) return v.some(mentions);
		if (v !== null && typeof v === 'object') {
			return Object.entries(v).some(([k, x]) => ids.has(k) || mentions(x));
		}
		return false;
	};
	const walk = (v: unknown): unknown => {
		if (typeof v === 'string') {
			if (ids.has(v)) return '';
			let out = v;
			for (const t of texts) out = out.split(t).join('');
			return out === v ? v : out;
		}
		if (Array.isArray(v)) {
			const kept = v.filter((x) => !(x !== null && typeof x === 'object' && mentions(x)));
			const mapped = kept.map(walk);
			return kept.length === v.length && mapped.every((x, i) => x === v[i]) ? v : mapped;
		}
		if (v !== null && typeof v === 'object') {
			let changed = false;
			const out: Record<string, unknown> = {};
			for (const [k, x] of Object.entries(v)) {
				if (ids.has(k)) {
					changed = true;
					continue;
				}
				const y = walk(x);
				if (y !== x) changed = true;
				out[k] = y;
			}
			return changed ? out : v;
		}
		return v;
	};
	return walk(value) as T;
}
