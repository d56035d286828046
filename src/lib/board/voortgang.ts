/**
 * The progress wall's model (pure: Yjs and zod, no Svelte, no network).
 *
 * Y.Doc layout: `students` is a Y.Map of Y.Maps, one per student id, with keyed fields
 * (`stoplight`, `note`, `flag:<id>`, `updatedBy`, `updatedAt`). Two mentors editing
 * different students never touch the same key, so their edits never conflict; two people on
 * the same field resolve last-writer-wins per field, which is what a wall should do.
 * `actions` is a Y.Map of agreed actions from the monthly discussion, keyed by action id.
 *
 * The Y.Doc holds what the wall shows now; the history (timeline, signals) lives in SQL
 * (`student_event`), which the server derives from this document (server/student-history.ts).
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { isoDate, WEEK_MS } from './dates';
import { LEGACY_SCHOOL_TYPE, type SchoolType } from './school-type';

export const stoplights = ['green', 'orange', 'red'] as const;
export type Stoplight = (typeof stoplights)[number];
export const stoplightSchema = z.enum(stoplights);

export const flagSchema = z.object({
	id: z.string().regex(/^[a-z0-9_-]{1,32}$/),
	label: z.string().trim().min(1).max(60)
});
export type FlagDef = z.infer<typeof flagSchema>;

export const thresholdsSchema = z.object({
	/** Weeks on the same orange or red light before we ask about it. */
	streakWeeks: z.coerce.number().int().min(1).max(26).default(4),
	/** Weeks without an update before we ask about it. */
	silentWeeks: z.coerce.number().int().min(1).max(26).default(3),
	/** Weeks with the same flag raised before we ask about it. */
	concernCount: z.coerce.number().int().min(2).max(26).default(3),
	/** How far back the concern count looks. */
	lookbackWeeks: z.coerce.number().int().min(2).max(52).default(8)
});
export type Thresholds = z.infer<typeof thresholdsSchema>;
export const defaultThresholds: Thresholds = thresholdsSchema.parse({});

/** Team settings for the wall, read from `team.settings.voortgang`; invalid parts fall back. */
export const wallSettingsSchema = z.object({
	flags: z.array(flagSchema).max(12),
	thresholds: thresholdsSchema
});
export type WallSettings = z.infer<typeof wallSettingsSchema>;

/**
 * The flags a team starts with, by school type, until it sets its own (team.settings). They
 * are the team's words from then on, so they are data in Dutch rather than UI messages.
 */
export const defaultFlagsBySchoolType: Record<SchoolType, FlagDef[]> = {
	po: [
		{ id: 'verzuim', label: 'Verzuim' },
		{ id: 'welbevinden', label: 'Zorg om welbevinden' },
		{ id: 'leerlijn', label: 'Achter op leerlijn' }
	],
	vo: [
		{ id: 'toetsen', label: 'Achter op toetsen' },
		{ id: 'verzuim', label: 'Verzuim' },
		{ id: 'huiswerk', label: 'Huiswerk niet op orde' }
	],
	mbo: [
		{ id: 'stage', label: 'Nog geen stage' },
		{ id: 'toetsen', label: 'Achter op toetsen' },
		{ id: 'verzuim', label: 'Verzuim' }
	]
};

export function readWallSettings(
	teamSettings: Record<string, unknown> | null | undefined,
	schoolType: SchoolType = LEGACY_SCHOOL_TYPE
) {
	const raw = (teamSettings?.voortgang ?? {}) as Record<string, unknown>;
	const flags = z.array(flagSchema).max(12).safeParse(raw.flags);
	const thresholds = thresholdsSchema.safeParse(raw.thresholds ?? {});
	return {
		flags: flags.success ? flags.data : defaultFlagsBySchoolType[schoolType],
		thresholds: thresholds.success ? thresholds.data : defaultThresholds
	} satisfies WallSettings;
}

export const NOTE_MAX = 140;

/** One weekly update as a form or the wall sends it; the same schema checks the Y.Doc values. */
export const studentUpdateSchema = z.object({
	stoplight: stoplightSchema.nullable(),
	flags: z.array(z.string().max(32)).max(12),
	note: z.string().trim().max(NOTE_MAX)
});
export type StudentUpdate = z.infer<typeof studentUpdateSchema>;

export interface StudentState extends StudentUpdate {
	updatedBy: string | null;
	updatedAt: string | null;
}

export const emptyState: StudentState = {
	stoplight: null,
	flags: [],
	note: '',
	updatedBy: null,
	updatedAt: null
};

export type WallOrigin = 'local' | 'seed';

export function studentsMap(doc: Y.Doc) {
	return doc.getMap<Y.Map<unknown>>('students');
}

export function readStudentState(doc: Y.Doc, studentId: string): StudentState {
	const entry = studentsMap(doc).get(studentId);
	if (!(entry instanceof Y.Map)) return emptyState;
	const stoplight = stoplightSchema.safeParse(entry.get('stoplight'));
	const flags: string[] = [];
	for (const [key, value] of entry.entries()) {
		if (key.startsWith('flag:') && value === true) flags.push(key.slice(5));
	}
	flags.sort();
	const note = entry.get('note');
	const by = entry.get('updatedBy');
	const at = entry.get('updatedAt');
	return {
		stoplight: stoplight.success ? stoplight.data : null,
		flags,
		note: typeof note === 'string' ? note.slice(0, NOTE_MAX) : '',
		updatedBy: typeof by === 'string' ? by : null,
		updatedAt: typeof at === 'string' ? at : null
	};
}

export function readAllStates(doc: Y.Doc): Map<string, StudentState> {
	const states = new Map<string, StudentState>();
	for (const id of studentsMap(doc).keys()) states.set(id, readStudentState(doc, id));
	return states;
}

/**
 * Write an update for one student. Only keys that differ are written, so an unchanged field
 * never overwrites a colleague's concurrent edit of that same field.
 */
export function applyStudentUpdate(
	doc: Y.Doc,
	studentId: string,
	update: StudentUpdate,
	by: { name: string; at: Date },
	knownFlags: string[],
	origin: WallOrigin = 'local'
) {
	const parsed = studentUpdateSchema.parse(update);
	doc.transact(() => {
		const map = studentsMap(doc);
		let entry = map.get(studentId);
		if (!(entry instanceof Y.Map)) {
			entry = new Y.Map<unknown>();
			map.set(studentId, entry);
		}
		const target = entry;
		const set = (key: string, value: unknown) => {
			if (target.get(key) !== value) target.set(key, value);
		};
		set('stoplight', parsed.stoplight);
		set('note', parsed.note);
		for (const flag of knownFlags) set(`flag:${flag}`, parsed.flags.includes(flag));
		target.set('updatedBy', by.name);
		target.set('updatedAt', by.at.toISOString());
	}, origin);
}

/* ------------------------------------------------------------------ monthly actions */

export const actionSchema = z.object({
	id: z.string().min(1).max(40),
	studentId: z.string().min(1).max(40),
	who: z.string().trim().min(1).max(80),
	what: z.string().trim().min(1).max(280),
	when: isoDate(),
	done: z.boolean().default(false)
});
export type WallAction = z.infer<typeof actionSchema>;

export function actionsMap(doc: Y.Doc) {
	return doc.getMap<Y.Map<unknown>>('actions');
}

export function addAction(doc: Y.Doc, action: WallAction, origin: WallOrigin = 'local') {
	const parsed = actionSchema.parse(action);
	doc.transact(() => {
		const entry = new Y.Map<unknown>();
		for (const [k, v] of Object.entries(parsed)) entry.set(k, v);
		actionsMap(doc).set(parsed.id, entry);
	}, origin);
}

export function setActionDone(doc: Y.Doc, id: string, done: boolean) {
	const entry = actionsMap(doc).get(id);
	if (entry instanceof Y.Map) doc.transact(() => entry.set('done', done), 'local');
}

export function readActions(doc: Y.Doc): WallAction[] {
	const out: WallAction[] = [];
	for (const entry of actionsMap(doc).values()) {
		if (!(entry instanceof Y.Map)) continue;
		const parsed = actionSchema.safeParse(Object.fromEntries(entry.entries()));
		if (parsed.success) out.push(parsed.data);
	}
	return out.sort((a, b) => a.when.localeCompare(b.when) || a.id.localeCompare(b.id));
}

/* ------------------------------------------------------------------ filter and sort */

export interface WallCard {
	id: string;
	name: string;
	mentorId: string | null;
	mentorName: string;
	state: StudentState;
	/** Newest history entry, ISO; the Y.Doc's updatedAt wins when it is newer. */
	lastEventAt: string | null;
}

export interface WallFilter {
	stoplights: Stoplight[];
	flag: string | null;
	mentorId: string | null;
	changedThisWeek: boolean;
	silentWeeks: number | null;
}

export const emptyFilter: WallFilter = {
	stoplights: [],
	flag: null,
	mentorId: null,
	changedThisWeek: false,
	silentWeeks: null
};

export function lastChange(card: WallCard): number | null {
	const times = [card.state.updatedAt, card.lastEventAt]
		.filter((t): t is string => t !== null)
		.map((t) => Date.parse(t));
	return times.length ? Math.max(...times) : null;
}

export function matchesFilter(card: WallCard, filter: WallFilter, now: Date): boolean {
	const light = card.state.stoplight;
	if (filter.stoplights.length && (!light || !filter.stoplights.includes(light))) return false;
	if (filter.flag && !card.state.flags.includes(filter.flag)) return false;
	if (filter.mentorId && card.mentorId !== filter.mentorId) return false;
	const changed = lastChange(card);
	if (filter.changedThisWeek && (changed === null || now.getTime() - changed > WEEK_MS)) {
		return false;
	}
	if (filter.silentWeeks !== null && changed !== null) {
		if (now.getTime() - changed < filter.silentWeeks * WEEK_MS) return false;
	}
	return true;
}

export type WallSort = 'name' | 'stoplight' | 'mentor' | 'changed';

const severity: Record<string, number> = { red: 0, orange: 1, green: 2 };

export function sortCards(cards: WallCard[], sort: WallSort): WallCard[] {
	const byName = (a: WallCard, b: WallCard) => a.name.localeCompare(b.name, 'nl');
	const copy = [...cards];
	switch (sort) {
		case 'name':
			return copy.sort(byName);
		case 'stoplight':
			return copy.sort(
				(a, b) =>
					(severity[a.state.stoplight ?? ''] ?? 3) - (severity[b.state.stoplight ?? ''] ?? 3) ||
					byName(a, b)
			);
		case 'mentor':
			return copy.sort((a, b) => a.mentorName.localeCompare(b.mentorName, 'nl') || byName(a, b));
		case 'changed':
			// Longest without an update first: those are the ones to look at.
			return copy.sort((a, b) => (lastChange(a) ?? 0) - (lastChange(b) ?? 0) || byName(a, b));
	}
}

export { initials } from './participants';

export type WallGrid = { cols: number; rows: number; fits: boolean };

/**
 * Columns and rows for `count` student tiles in a `width` × `height` area on a wall: the layout
 * that gives each tile the most room at the tile's shape (`aspect` = width / height), so a
 * class of 30 fills a 1920×1080 screen as 6 × 5 instead of scrolling. When even the best
 * layout would make a tile shorter than `minHeight` (too many students for one screen), the
 * rows keep `minHeight` and `fits` is false: the grid then scrolls inside itself.
 */
export function wallGrid(
	count: number,
	width: number,
	height: number,
	{ aspect = 2.2, minHeight = 112, gap = 12 } = {}
): WallGrid {
	if (count <= 0 || width <= 0 || height <= 0)
		return { cols: 1, rows: Math.max(count, 1), fits: true };
	let best = { cols: 1, rows: count, size: -1 };
	for (let cols = 1; cols <= count; cols++) {
		const rows = Math.ceil(count / cols);
		const cellWidth = (width - gap * (cols - 1)) / cols;
		const cellHeight = (height - gap * (rows - 1)) / rows;
		// The tallest tile of this shape that fits the cell.
		const size = Math.min(cellWidth / aspect, cellHeight);
		if (size > best.size) best = { cols, rows, size };
	}
	const rows = best.rows;
	const fits = (height - gap * (rows - 1)) / rows >= minHeight;
	return { cols: best.cols, rows, fits };
}
