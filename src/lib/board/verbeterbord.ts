/**
 * The verbeterbord (improvement board) as a Y.Doc. Pure: knows Yjs and the domain, not the
 * network or the DOM.
 *
 * Layout of the doc:
 * - `cards`    Y.Map<id, Y.Map>  one Y.Map of fields per card; `type` is the discriminant and
 *                                also the area the card sits in; `order` is a fractional key,
 *                                so moving a card rewrites one field and the doc does not grow.
 * - `checkins` Y.Map<participant, {name, value, word, at}>  one marker per participant.
 * - `settings` Y.Map  checkinScale, pupilMode, and one key per area: `areaName:<area>` (a
 *                     renamed area), `hidden:<area>` (true when hidden).
 * - `session`  Y.Map  the running bordsessie: active, startedAt, step, leader, reviewIds, and one
 *                     key per reviewed action: `review:<actionId>` = done/carried/dropped.
 *
 * One key per entry, so two people renaming two areas or reviewing two actions at once never
 * overwrite each other (a whole object in one key is last-writer-wins as a whole). The keys sit
 * in the top-level maps rather than in a nested Y.Map: two clients creating the same nested
 * map at once would again lose one of them. Older boards hold `areaNames`, `hiddenAreas` and
 * `reviews` as whole objects; they are still read (the per-entry keys win) and folded into
 * per-entry keys on the next write.
 *
 * Every operation runs in `doc.transact(fn, origin)` and validates with the same zod schemas
 * the forms use. Validation failures return `{ ok: false, errors }` and leave the doc as it was.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { isoDate } from './dates';
import { compareOrder, keyBetween } from './fractional-index';
import { participantLabel } from './participants';
import { perspectives } from './criteria';

export const TITLE_MAX = 280;
export const BODY_MAX = 2000;
export const NAME_MAX = 80;

/**
 * `wishes`: the child's own words (a care meeting's "waar wil ik aan werken", a three-way talk's
 * "mijn doelen"); `views` and `evidence`: a three-way talk's views per criterion and the
 * student's evidence (driehoeksgesprek.ts).
 */
export const areas = [
	'successes',
	'goals',
	'actions',
	'ideas',
	'concerns',
	'wishes',
	'views',
	'evidence'
] as const;
export type Area = (typeof areas)[number];

export function isArea(value: unknown): value is Area {
	return typeof value === 'string' && areas.includes(value as Area);
}

export const actionStatuses = ['open', 'doing', 'done', 'stuck'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

export const checkinScales = ['three', 'five', 'weather', 'skip'] as const;
export type CheckinScale = (typeof checkinScales)[number];

/** A real calendar date (yyyy-mm-dd), the value of an `<input type="date">`, or none. */
const optionalDate = z.union([z.literal(''), isoDate()]).default('');

const title = z.string().trim().min(1, 'required').max(TITLE_MAX, 'too_long');
const body = z.string().trim().max(BODY_MAX, 'too_long').default('');
const person = z.string().trim().max(NAME_MAX, 'too_long').default('');

/**
 * Who outside the meeting may see a card, chosen by the child per card of its own words on a
 * conversation board: `meeting` (only in this meeting), `care` (mentor and care team, never
 * the family) or `family` (also at home). Absent: everyone on the board. A family device never
 * holds a `care` card (server/family-mirror.ts).
 */
export const visibilities = ['meeting', 'care', 'family'] as const;
export type Visibility = (typeof visibilities)[number];

const base = { title, body, visibility: z.enum(visibilities).optional() };

export const successInput = z.object({
	type: z.literal('successes'),
	...base,
	who: person,
	when: optionalDate
});
export const goalInput = z.object({
	type: z.literal('goals'),
	...base,
	targetDate: optionalDate,
	measure: z.string().trim().max(TITLE_MAX, 'too_long').default(''),
	/** On a three-way talk: the student's own goal (a `wishes` card) this agreed goal takes up. */
	fromCard: z.string().max(40).optional()
});
export const actionInput = z.object({
	type: z.literal('actions'),
	...base,
	who: person,
	due: optionalDate,
	status: z.enum(actionStatuses).default('open'),
	goalId: z.string().max(40).default(''),
	/** On a conversation board: the participant who does it (actor key) and as what. */
	ownerKey: z.string().max(64).optional(),
	ownerLabel: participantLabel.optional()
});
export const ideaInput = z.object({ type: z.literal('ideas'), ...base });
export const concernInput = z.object({ type: z.literal('concerns'), ...base });
/**
 * The child's own words, kept as typed. `createdBy` is the child's key when the child wrote it;
 * `forChild` says staff wrote it down for the child, in the child's words.
 */
export const wishInput = z.object({
	type: z.literal('wishes'),
	...base,
	forChild: z.boolean().optional(),
	/**
	 * On a care meeting held for several children of one family: whose words these are (the
	 * student's id; zorgoverleg.ts `childOfWish`). Absent: the board's first child.
	 */
	child: z.string().max(40).optional()
});

/** Ids of a criterion or a level (criteria.ts: stable within a criteria set). */
const localRef = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'invalid');
export const VIEW_NOTE_MAX = 140;
/**
 * One person's view of the student on one criterion in a three-way talk: the level (an id of the
 * board's criteria version, shown in words) and a one-line note. `perspective` follows from the
 * author's role, checked by the sync server (update-rules.ts); `title` stays empty.
 */
export const viewInput = z.object({
	type: z.literal('views'),
	title: z.string().trim().max(TITLE_MAX, 'too_long').default(''),
	body,
	visibility: z.enum(visibilities).optional(),
	criterion: localRef,
	level: localRef,
	note: z.string().trim().max(VIEW_NOTE_MAX, 'too_long').default(''),
	perspective: z.enum(perspectives)
});
/**
 * Evidence the student shows in a talk: a short text, a stored evidence item, or its photo. A
 * photo needs no words: its title stays empty and each screen says "Foto" in its own language.
 */
export const evidenceInput = z
	.object({
		type: z.literal('evidence'),
		...base,
		title: z.string().trim().max(TITLE_MAX, 'too_long').default(''),
		evidenceId: z.string().max(40).optional(),
		mediaId: z.string().max(40).optional(),
		/** The success criterion it shows growth on (an id of the talk's criteria version). */
		criterion: localRef.optional()
	})
	.refine((e) => e.title !== '' || !!e.mediaId, { message: 'required', path: ['title'] });

/** One schema for forms and for cards read back from the doc. */
export const cardInput = z.discriminatedUnion('type', [
	successInput,
	goalInput,
	actionInput,
	ideaInput,
	concernInput,
	wishInput,
	viewInput,
	evidenceInput
]);
export type CardInput = z.input<typeof cardInput>;
export type CardFields = z.output<typeof cardInput>;
/**
 * `createdBy` is the maker's actor key (`actorId`: user id, or the guest's session id), which
 * decides who may change the card (capabilities.ts); `createdByName` is only for display.
 * Older boards hold a typed name in `createdBy`: such cards belong to nobody but staff.
 */
export type Card = CardFields & {
	id: string;
	order: string;
	createdAt: string;
	createdBy: string;
	createdByName: string;
};

export type FieldErrors = Record<string, string>;
export type Result<T = string> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

function errorsOf(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
	return errors;
}

/** Today as yyyy-mm-dd in local time (callers pass it in tests). */
export function today(now = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Parse form input; a *new* goal may not have a target date in the past. */
export function parseCard(
	input: unknown,
	{ isNew, on = today() }: { isNew: boolean; on?: string }
): Result<CardFields> {
	const parsed = cardInput.safeParse(input);
	if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error) };
	const value = parsed.data;
	if (isNew && value.type === 'goals' && value.targetDate && value.targetDate < on) {
		return { ok: false, errors: { targetDate: 'date_in_past' } };
	}
	return { ok: true, value };
}

export type Origin = string | object | null;

export function cardsMap(doc: Y.Doc) {
	return doc.getMap<Y.Map<unknown>>('cards');
}
export function checkinsMap(doc: Y.Doc) {
	return doc.getMap<CheckIn>('checkins');
}
export function settingsMap(doc: Y.Doc) {
	return doc.getMap<unknown>('settings');
}
export function sessionMap(doc: Y.Doc) {
	return doc.getMap<unknown>('session');
}

function newCardId(): string {
	const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
	const bytes = crypto.getRandomValues(new Uint8Array(12));
	return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Read one card back, validating it with the form schema; broken entries are skipped, so one
 * malformed entry (not a map, wrong field types) never hides the valid cards beside it.
 */
export function readCard(id: string, map: unknown): Card | null {
	if (!(map instanceof Y.Map)) return null;
	const raw = map.toJSON() as Record<string, unknown>;
	const parsed = cardInput.safeParse(raw);
	if (!parsed.success) return null;
	return {
		...parsed.data,
		id,
		order: typeof raw.order === 'string' ? raw.order : '',
		createdAt: typeof raw.createdAt === 'string' ? raw.createdAt : '',
		createdBy: typeof raw.createdBy === 'string' ? raw.createdBy : '',
		createdByName: typeof raw.createdByName === 'string' ? raw.createdByName : ''
	};
}

export function listCards(doc: Y.Doc, area?: Area): Card[] {
	const cards: Card[] = [];
	for (const [id, map] of cardsMap(doc)) {
		const card = readCard(id, map);
		if (card && (!area || card.type === area)) cards.push(card);
	}
	return cards.sort(compareOrder);
}

export function getCard(doc: Y.Doc, id: string): Card | null {
	const map = cardsMap(doc).get(id);
	return map ? readCard(id, map) : null;
}

function lastOrder(doc: Y.Doc, area: Area): string | null {
	const list = listCards(doc, area);
	return list.at(-1)?.order ?? null;
}

export function addCard(
	doc: Y.Doc,
	input: unknown,
	origin: Origin = null,
	options: {
		createdBy?: string;
		createdByName?: string;
		on?: string;
		id?: string;
		/** When it was made; only a replayed past (the demo's history) passes one. */
		at?: Date;
	} = {}
): Result<string> {
	const parsed = parseCard(input, { isNew: true, on: options.on });
	if (!parsed.ok) return parsed;
	const id = options.id ?? newCardId();
	doc.transact(() => {
		const map = new Y.Map<unknown>();
		for (const [key, value] of Object.entries(parsed.value)) map.set(key, value);
		map.set('order', keyBetween(lastOrder(doc, parsed.value.type), null));
		map.set('createdAt', (options.at ?? new Date()).toISOString());
		map.set('createdBy', options.createdBy ?? '');
		if (options.createdByName) map.set('createdByName', options.createdByName.slice(0, NAME_MAX));
		cardsMap(doc).set(id, map);
	}, origin);
	return { ok: true, value: id };
}

/** Change some fields; the card is re-validated as a whole and only changed keys are written. */
export function updateCard(
	doc: Y.Doc,
	id: string,
	patch: Record<string, unknown>,
	origin: Origin = null
): Result<string> {
	const map = cardsMap(doc).get(id);
	const card = map ? readCard(id, map) : null;
	if (!map || !card) return { ok: false, errors: { form: 'not_found' } };
	const { id: _id, order: _o, createdAt: _c, createdBy: _b, createdByName: _n, ...fields } = card;
	const parsed = parseCard({ ...fields, ...patch, type: card.type }, { isNew: false });
	if (!parsed.ok) return parsed;
	doc.transact(() => {
		for (const [key, value] of Object.entries(parsed.value)) {
			if (map.get(key) !== value) map.set(key, value);
		}
	}, origin);
	return { ok: true, value: id };
}

/* ------------------------------------------------------------------ kinds and moves */

/**
 * What a card *is*, apart from the column it sits in. A card's `type` is both its column and
 * its fields, so moving it to another column would silently turn an action into a goal; moves
 * keep a card's kind. Ideas and concerns are plain notes (a title and a text), so they share one.
 */
export const cardKinds = {
	successes: 'success',
	goals: 'goal',
	actions: 'action',
	ideas: 'note',
	concerns: 'note',
	wishes: 'wish',
	views: 'view',
	evidence: 'evidence'
} as const satisfies Record<Area, string>;
export type CardKind = (typeof cardKinds)[Area];

/**
 * Whether a card in `from` may change to `to`: within its own kind, or a note taken up as a
 * goal or an action (what a parking lot is for: the team picks an idea up, and the card says
 * so in the sheet). Never between goals, actions and successes, and never back into a note.
 * The one rule for the sheet, a drop and the sync server (update-rules.ts).
 */
export function mayChangeType(from: Area, to: Area): boolean {
	if (cardKinds[from] === cardKinds[to]) return true;
	return cardKinds[from] === 'note' && (to === 'goals' || to === 'actions');
}

/** Columns among `shown` a card of type `from` may move to, its own column left out. */
export function moveTargets(from: Area, shown: readonly Area[]): Area[] {
	return shown.filter((to) => to !== from && mayChangeType(from, to));
}

/** Cards per column, in board order; every shown column has a list, empty or not. */
export function groupByArea(cards: readonly Card[], shown: readonly Area[]): Record<Area, Card[]> {
	const groups = Object.fromEntries(areas.map((area) => [area, [] as Card[]])) as Record<
		Area,
		Card[]
	>;
	for (const card of cards) if (shown.includes(card.type)) groups[card.type].push(card);
	for (const area of shown) groups[area].sort(compareOrder);
	return groups;
}

/**
 * Move a card into `area` (possibly its own) between two neighbours. Moving to another area
 * changes its type, so only where `mayChangeType` allows; fields the new type does not know are
 * kept in the map, so moving back restores them and nothing typed on the board is lost.
 */
export function moveCard(
	doc: Y.Doc,
	id: string,
	to: { area: Area; beforeId?: string | null; afterId?: string | null },
	origin: Origin = null
): Result<string> {
	const map = cardsMap(doc).get(id);
	const card = map ? readCard(id, map) : null;
	if (!map || !card) return { ok: false, errors: { form: 'not_found' } };
	if (!mayChangeType(card.type, to.area)) return { ok: false, errors: { area: 'other_kind' } };
	const siblings = listCards(doc, to.area).filter((c) => c.id !== id);
	let before: string | null = null;
	let after: string | null = null;
	if (to.afterId) {
		// Place right after `afterId`.
		const index = siblings.findIndex((c) => c.id === to.afterId);
		before = siblings[index]?.order ?? null;
		after = index >= 0 ? (siblings[index + 1]?.order ?? null) : null;
		if (index < 0) before = siblings.at(-1)?.order ?? null;
	} else if (to.beforeId) {
		const index = siblings.findIndex((c) => c.id === to.beforeId);
		after = siblings[index]?.order ?? null;
		before = siblings[index - 1]?.order ?? null;
		if (index < 0) before = siblings.at(-1)?.order ?? null;
	} else {
		before = siblings.at(-1)?.order ?? null;
	}
	const reparsed = cardInput.safeParse({ ...map.toJSON(), type: to.area });
	if (!reparsed.success) return { ok: false, errors: errorsOf(reparsed.error) };
	doc.transact(() => {
		for (const [key, value] of Object.entries(reparsed.data)) {
			if (map.get(key) !== value) map.set(key, value);
		}
		map.set('order', keyBetween(before, after));
	}, origin);
	return { ok: true, value: id };
}

/** Move one step up or down within its area (the keyboard/tap alternative to dragging). */
export function nudgeCard(doc: Y.Doc, id: string, direction: -1 | 1, origin: Origin = null) {
	const card = getCard(doc, id);
	if (!card) return { ok: false, errors: { form: 'not_found' } } as const;
	const list = listCards(doc, card.type);
	const index = list.findIndex((c) => c.id === id);
	const neighbour = list[index + direction];
	if (!neighbour) return { ok: true, value: id } as const;
	return direction < 0
		? moveCard(doc, id, { area: card.type, beforeId: neighbour.id }, origin)
		: moveCard(doc, id, { area: card.type, afterId: neighbour.id }, origin);
}

export function deleteCard(doc: Y.Doc, id: string, origin: Origin = null): boolean {
	if (!cardsMap(doc).has(id)) return false;
	doc.transact(() => cardsMap(doc).delete(id), origin);
	return true;
}

/* ------------------------------------------------------------------ goals and actions */

export function goalProgress(doc: Y.Doc, goalId: string): { done: number; total: number } {
	const linked = listCards(doc, 'actions').filter(
		(a) => a.type === 'actions' && a.goalId === goalId
	);
	return {
		done: linked.filter((a) => a.type === 'actions' && a.status === 'done').length,
		total: linked.length
	};
}

export function isOverdue(card: Card, on = today()): boolean {
	return card.type === 'actions' && card.status !== 'done' && !!card.due && card.due < on;
}

/* ------------------------------------------------------------------ check-in */

export const checkInInput = z.object({
	name: z.string().trim().min(1, 'required').max(NAME_MAX, 'too_long'),
	value: z.number().int().min(1).max(5),
	word: z.string().trim().max(60, 'too_long').default('')
});
export type CheckIn = z.output<typeof checkInInput> & { at: string };

/** Values per scale; the middle one is "neutral" on the three-smiley board. */
export function scaleValues(scale: CheckinScale): number[] {
	if (scale === 'five') return [1, 2, 3, 4, 5];
	if (scale === 'skip') return [];
	return [1, 2, 3];
}

/**
 * The check-in key of a person who checks in by name (staff on a phone, a face on a wall): the
 * same person gets the same marker wherever they tap.
 */
export function personKey(name: string): string {
	return name.trim().toLowerCase().slice(0, NAME_MAX);
}

export function setCheckIn(
	doc: Y.Doc,
	participant: string,
	input: unknown,
	origin: Origin = null
): Result<string> {
	const parsed = checkInInput.safeParse(input);
	if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error) };
	doc.transact(() => {
		checkinsMap(doc).set(participant, { ...parsed.data, at: new Date().toISOString() });
	}, origin);
	return { ok: true, value: participant };
}

export function removeCheckIn(doc: Y.Doc, participant: string, origin: Origin = null) {
	doc.transact(() => checkinsMap(doc).delete(participant), origin);
}

export function clearCheckIns(doc: Y.Doc, origin: Origin = null) {
	doc.transact(() => checkinsMap(doc).clear(), origin);
}

export function listCheckIns(doc: Y.Doc): (CheckIn & { participant: string })[] {
	const list: (CheckIn & { participant: string })[] = [];
	for (const [participant, value] of checkinsMap(doc)) {
		const parsed = checkInInput.safeParse(value);
		if (parsed.success) {
			const at = (value as { at?: unknown }).at;
			list.push({ ...parsed.data, at: typeof at === 'string' ? at : '', participant });
		}
	}
	return list.sort((a, b) => a.name.localeCompare(b.name));
}

/** Count of markers per value, e.g. {1: 0, 2: 3, 3: 1}. */
export function checkInTally(doc: Y.Doc, scale: CheckinScale = getSettings(doc).checkinScale) {
	const tally: Record<number, number> = {};
	for (const value of scaleValues(scale)) tally[value] = 0;
	for (const checkIn of listCheckIns(doc)) {
		const count = tally[checkIn.value];
		if (count !== undefined) tally[checkIn.value] = count + 1;
	}
	return tally;
}

/* ------------------------------------------------------------------ settings */

export const settingsInput = z.object({
	checkinScale: z.enum(checkinScales).default('three'),
	areaNames: z.record(z.string(), z.string().trim().max(NAME_MAX, 'too_long')).default({}),
	hiddenAreas: z.array(z.enum(areas)).default([]),
	pupilMode: z.boolean().default(false)
});
export type BoardSettings = z.output<typeof settingsInput>;

const AREA_NAME = 'areaName:';
const HIDDEN = 'hidden:';
const REVIEW = 'review:';
const areaNameValue = z.string().trim().max(NAME_MAX);

/** Read field by field: one malformed value falls back alone, never the whole settings. */
export function getSettings(doc: Y.Doc): BoardSettings {
	const map = settingsMap(doc);
	const scale = z.enum(checkinScales).safeParse(map.get('checkinScale'));
	const areaNames: Record<string, string> = {};
	const legacyNames = map.get('areaNames');
	if (legacyNames && typeof legacyNames === 'object' && !(legacyNames instanceof Y.AbstractType)) {
		for (const [area, name] of Object.entries(legacyNames)) {
			const parsed = areaNameValue.safeParse(name);
			if (areas.includes(area as Area) && parsed.success) areaNames[area] = parsed.data;
		}
	}
	const hidden = new Set<Area>();
	const legacyHidden = map.get('hiddenAreas');
	if (Array.isArray(legacyHidden)) {
		for (const area of legacyHidden) if (areas.includes(area)) hidden.add(area);
	}
	for (const [key, value] of map.entries()) {
		if (key.startsWith(AREA_NAME)) {
			const area = key.slice(AREA_NAME.length) as Area;
			const parsed = areaNameValue.safeParse(value);
			if (areas.includes(area) && parsed.success) areaNames[area] = parsed.data;
		} else if (key.startsWith(HIDDEN)) {
			const area = key.slice(HIDDEN.length) as Area;
			if (!areas.includes(area)) continue;
			if (value === true) hidden.add(area);
			else if (value === false) hidden.delete(area);
		}
	}
	return {
		checkinScale: scale.success ? scale.data : 'three',
		areaNames,
		hiddenAreas: areas.filter((a) => hidden.has(a)),
		pupilMode: map.get('pupilMode') === true
	};
}

/** Fold the whole-object form of older boards into per-entry keys (inside a transaction). */
function migrateSettings(doc: Y.Doc, current: BoardSettings) {
	const map = settingsMap(doc);
	if (map.has('areaNames')) {
		for (const [area, name] of Object.entries(current.areaNames)) map.set(AREA_NAME + area, name);
		map.delete('areaNames');
	}
	if (map.has('hiddenAreas')) {
		for (const area of current.hiddenAreas) map.set(HIDDEN + area, true);
		map.delete('hiddenAreas');
	}
}

/**
 * Change settings. `areaNames` and `hiddenAreas` may be passed whole (as before); only the
 * entries that differ are written, each under its own key.
 */
export function updateSettings(
	doc: Y.Doc,
	patch: Partial<BoardSettings>,
	origin: Origin = null
): Result<BoardSettings> {
	const current = getSettings(doc);
	const parsed = settingsInput.safeParse({ ...current, ...patch });
	if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error) };
	const next = parsed.data;
	doc.transact(() => {
		const map = settingsMap(doc);
		if ('checkinScale' in patch && map.get('checkinScale') !== next.checkinScale) {
			map.set('checkinScale', next.checkinScale);
		}
		if ('pupilMode' in patch && map.get('pupilMode') !== next.pupilMode) {
			map.set('pupilMode', next.pupilMode);
		}
		if ('areaNames' in patch || 'hiddenAreas' in patch) migrateSettings(doc, current);
		if ('areaNames' in patch) {
			for (const area of areas) {
				const name = next.areaNames[area] ?? '';
				if (name !== (current.areaNames[area] ?? '')) map.set(AREA_NAME + area, name);
			}
		}
		if ('hiddenAreas' in patch) {
			for (const area of areas) {
				const hide = next.hiddenAreas.includes(area);
				if (hide !== current.hiddenAreas.includes(area)) map.set(HIDDEN + area, hide);
			}
		}
	}, origin);
	return { ok: true, value: getSettings(doc) };
}

/** Rename one area ('' restores its default name). */
export function renameArea(doc: Y.Doc, area: Area, name: string, origin: Origin = null) {
	return updateSettings(
		doc,
		{ areaNames: { ...getSettings(doc).areaNames, [area]: name.slice(0, NAME_MAX) } },
		origin
	);
}

/** Hide or show one area. */
export function setAreaHidden(doc: Y.Doc, area: Area, hidden: boolean, origin: Origin = null) {
	const rest = getSettings(doc).hiddenAreas.filter((a) => a !== area);
	return updateSettings(doc, { hiddenAreas: hidden ? [...rest, area] : rest }, origin);
}

/** Areas shown for a board kind; the zorgbord has concerns, the others an idea parking lot. */
export function defaultAreas(kind: string): Area[] {
	if (kind === 'zorgoverleg') return ['successes', 'wishes', 'actions'];
	return kind === 'zorgbord'
		? ['successes', 'concerns', 'goals', 'actions']
		: ['successes', 'goals', 'actions', 'ideas'];
}

export function visibleAreas(doc: Y.Doc, kind: string): Area[] {
	const hidden = new Set(getSettings(doc).hiddenAreas);
	return defaultAreas(kind).filter((a) => !hidden.has(a));
}

/* ------------------------------------------------------------------ bordsessie */

export const sessionSteps = ['checkin', 'successes', 'review', 'goals', 'actions'] as const;
export type SessionStep = (typeof sessionSteps)[number];
export const SESSION_MINUTES = 15;
export const reviewOutcomes = ['done', 'carried', 'dropped'] as const;
export type ReviewOutcome = (typeof reviewOutcomes)[number];

export interface SessionState {
	active: boolean;
	startedAt: string;
	step: SessionStep;
	leader: string;
	/** Action ids that existed at the start: "last week's actions" to review. */
	reviewIds: string[];
	reviews: Record<string, ReviewOutcome>;
}

export function getSession(doc: Y.Doc): SessionState {
	const map = sessionMap(doc);
	const raw = map.toJSON() as Partial<SessionState>;
	const reviews: Record<string, ReviewOutcome> = {};
	const legacy = map.get('reviews');
	if (legacy && typeof legacy === 'object' && !(legacy instanceof Y.AbstractType)) {
		for (const [id, outcome] of Object.entries(legacy)) {
			if (reviewOutcomes.includes(outcome)) reviews[id] = outcome;
		}
	}
	for (const [key, outcome] of map.entries()) {
		if (key.startsWith(REVIEW) && reviewOutcomes.includes(outcome as ReviewOutcome)) {
			reviews[key.slice(REVIEW.length)] = outcome as ReviewOutcome;
		}
	}
	return {
		active: raw.active === true,
		startedAt: typeof raw.startedAt === 'string' ? raw.startedAt : '',
		step: sessionSteps.includes(raw.step as SessionStep) ? (raw.step as SessionStep) : 'checkin',
		leader: typeof raw.leader === 'string' ? raw.leader : '',
		reviewIds: Array.isArray(raw.reviewIds) ? raw.reviewIds.map(String) : [],
		reviews
	};
}

/** Remove every review outcome, old form and per-entry keys (inside a transaction). */
function clearReviews(doc: Y.Doc) {
	const map = sessionMap(doc);
	if (map.has('reviews')) map.delete('reviews');
	for (const key of [...map.keys()]) if (key.startsWith(REVIEW)) map.delete(key);
}

/** The next board leader: the team member after last week's leader (rotating). */
export function proposeLeader(members: string[], previous: string | null): string {
	if (members.length === 0) return '';
	const index = previous ? members.indexOf(previous) : -1;
	return members[(index + 1) % members.length] ?? '';
}

export function startSession(
	doc: Y.Doc,
	leader: string,
	origin: Origin = null,
	now = new Date()
): SessionState {
	const openActions = listCards(doc, 'actions')
		.filter((a) => a.type === 'actions' && a.status !== 'done')
		.map((a) => a.id);
	doc.transact(() => {
		const map = sessionMap(doc);
		map.set('active', true);
		map.set('startedAt', now.toISOString());
		map.set('step', 'checkin');
		map.set('leader', leader.trim().slice(0, NAME_MAX));
		map.set('reviewIds', openActions);
		clearReviews(doc);
	}, origin);
	return getSession(doc);
}

export function setSessionStep(doc: Y.Doc, step: SessionStep, origin: Origin = null) {
	doc.transact(() => sessionMap(doc).set('step', step), origin);
}

/** Mark one of last week's actions; done/dropped also update the card. */
export function reviewAction(
	doc: Y.Doc,
	actionId: string,
	outcome: ReviewOutcome,
	origin: Origin = null
) {
	doc.transact(() => {
		const map = sessionMap(doc);
		// Fold the old whole-object form first, so its outcomes are not lost.
		const legacy = getSession(doc).reviews;
		if (map.has('reviews')) {
			for (const [id, old] of Object.entries(legacy)) map.set(REVIEW + id, old);
			map.delete('reviews');
		}
		map.set(REVIEW + actionId, outcome);
		if (outcome === 'done') updateCard(doc, actionId, { status: 'done' }, origin);
	}, origin);
}

/** Seconds left of the 15 minutes (negative when over time). */
/**
 * Seconds left of the session; negative once it runs over. Never more than the session's
 * length: `startedAt` comes from the device that started it, and another device's clock (or a
 * `now` read before the start) may be behind it; a 15-minute session never shows 15:07.
 */
export function secondsLeft(session: SessionState, now = Date.now()): number {
	const total = SESSION_MINUTES * 60;
	if (!session.startedAt) return total;
	return Math.min(total, Math.round(total - (now - Date.parse(session.startedAt)) / 1000));
}

export const sessionRecordData = z.object({
	startedAt: z.string().max(40),
	endedAt: z.string().max(40),
	leader: z.string().max(NAME_MAX),
	checkinScale: z.enum(checkinScales),
	tally: z.record(z.string(), z.number().int().min(0)),
	checkins: z.array(z.object({ name: z.string().max(NAME_MAX), value: z.number().int() })).max(200),
	successes: z
		.array(z.object({ title: z.string().max(TITLE_MAX), who: z.string().max(NAME_MAX) }))
		.max(200),
	reviewed: z
		.array(
			z.object({
				title: z.string().max(TITLE_MAX),
				who: z.string().max(NAME_MAX),
				outcome: z.enum(reviewOutcomes)
			})
		)
		.max(200),
	newActions: z
		.array(
			z.object({
				title: z.string().max(TITLE_MAX),
				who: z.string().max(NAME_MAX),
				due: z.string().max(10)
			})
		)
		.max(200),
	goals: z
		.array(
			z.object({
				title: z.string().max(TITLE_MAX),
				done: z.number().int(),
				total: z.number().int()
			})
		)
		.max(200),
	decisions: z.string().max(BODY_MAX).default(''),
	tip: z.string().max(TITLE_MAX).default(''),
	top: z.string().max(TITLE_MAX).default('')
});
export type SessionRecordData = z.output<typeof sessionRecordData>;

/** What the board says about this session, before it is reset. */
export function buildSessionRecord(
	doc: Y.Doc,
	extra: { decisions?: string; tip?: string; top?: string } = {},
	now = new Date()
): SessionRecordData {
	const session = getSession(doc);
	const settings = getSettings(doc);
	const started = session.startedAt ? Date.parse(session.startedAt) : now.getTime();
	const tally = checkInTally(doc, settings.checkinScale);
	const reviewSet = new Set(session.reviewIds);
	const actions = listCards(doc, 'actions');
	return sessionRecordData.parse({
		startedAt: session.startedAt || now.toISOString(),
		endedAt: now.toISOString(),
		leader: session.leader,
		checkinScale: settings.checkinScale,
		tally: Object.fromEntries(Object.entries(tally).map(([k, v]) => [k, v])),
		checkins: listCheckIns(doc).map((c) => ({ name: c.name, value: c.value })),
		successes: listCards(doc, 'successes').map((c) => ({
			title: c.title,
			who: c.type === 'successes' ? c.who : ''
		})),
		reviewed: actions
			.filter((a) => reviewSet.has(a.id) && session.reviews[a.id])
			.map((a) => ({
				title: a.title,
				who: a.type === 'actions' ? a.who : '',
				outcome: session.reviews[a.id]
			})),
		newActions: actions
			.filter((a) => !reviewSet.has(a.id) && Date.parse(a.createdAt || '0') >= started - 1000)
			.map((a) => ({
				title: a.title,
				who: a.type === 'actions' ? a.who : '',
				due: a.type === 'actions' ? a.due : ''
			})),
		goals: listCards(doc, 'goals').map((g) => ({ title: g.title, ...goalProgress(doc, g.id) })),
		decisions: extra.decisions ?? '',
		tip: extra.tip ?? '',
		top: extra.top ?? ''
	});
}

/**
 * Close the session on the board: dropped actions leave, the check-in resets for next week.
 * Successes stay on the board until the team clears them (they are archived on the server).
 */
export function endSession(doc: Y.Doc, origin: Origin = null) {
	const session = getSession(doc);
	doc.transact(() => {
		for (const [id, outcome] of Object.entries(session.reviews)) {
			if (outcome === 'dropped') cardsMap(doc).delete(id);
		}
		checkinsMap(doc).clear();
		const map = sessionMap(doc);
		map.set('active', false);
		map.set('lastLeader', session.leader);
		map.set('step', 'checkin');
		map.set('reviewIds', []);
		clearReviews(doc);
	}, origin);
}

export function lastLeader(doc: Y.Doc): string | null {
	const value = sessionMap(doc).get('lastLeader');
	return typeof value === 'string' && value ? value : null;
}
