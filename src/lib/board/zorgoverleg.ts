/**
 * The care meeting (zorgoverleg), led by the child. Pure: knows Yjs and the domain, not the
 * network or the DOM.
 *
 * It keeps the verbeterbord's document layout (verbeterbord.ts: `cards`, `checkins`,
 * `settings`, `session`, one Y.Map per card), so the sync guard, persistence and copy code work
 * unchanged. What is its own:
 * - areas, in the order of the meeting: `successes` (wat gaat goed), `wishes` (waar wil ik aan
 *   werken: the child's own words, kept as typed, each with the child's `visibility`, default
 *   `meeting`) and `actions` (wie helpt mij daarbij: an adult owner, what, by when);
 * - a check-in per participant keyed by its actor key, on the board's scale, where the value
 *   `PASS` (0) means "ik sla over": allowed by the schema, never counted in a tally;
 * - the meeting's steps in `session.step`: checkin → successes → wishes → actions → end;
 *   `session.active` and `session.startedAt` say a meeting runs and which one (its record key).
 */
import * as Y from 'yjs';
import { z } from 'zod';
import {
	addCard,
	BODY_MAX,
	cardsMap,
	checkInInput,
	checkinScales,
	checkinsMap,
	getSettings,
	listCards,
	NAME_MAX,
	scaleValues,
	sessionMap,
	TITLE_MAX,
	updateCard,
	visibilities,
	type CheckinScale,
	type Origin,
	type Result,
	type Visibility
} from './verbeterbord';
import { listParticipants, participantLabel, type Participant } from './participants';

export const meetingAreas = ['successes', 'wishes', 'actions'] as const;
export const meetingSteps = ['checkin', 'successes', 'wishes', 'actions', 'end'] as const;
export type MeetingStep = (typeof meetingSteps)[number];

/** "Ik sla over": a check-in that says nothing about how someone feels. */
export const PASS = 0;

/** A care meeting's check-in: the verbeterbord's, plus `PASS`. */
export const meetingCheckIn = checkInInput.extend({ value: z.number().int().min(PASS).max(5) });
export type MeetingCheckIn = z.output<typeof meetingCheckIn> & { at: string; participant: string };

/** Only these keys of `session` exist on a care meeting. */
export const meetingSessionKeys = ['active', 'startedAt', 'step'] as const;

export function setMeetingCheckIn(
	doc: Y.Doc,
	participant: string,
	input: { name: string; value: number; word?: string },
	origin: Origin = null
): Result<string> {
	const parsed = meetingCheckIn.safeParse(input);
	if (!parsed.success) return { ok: false, errors: { value: 'invalid' } };
	doc.transact(() => {
		checkinsMap(doc).set(participant, { ...parsed.data, at: new Date().toISOString() });
	}, origin);
	return { ok: true, value: participant };
}

export function listMeetingCheckIns(doc: Y.Doc): MeetingCheckIn[] {
	const list: MeetingCheckIn[] = [];
	for (const [participant, value] of checkinsMap(doc)) {
		const parsed = meetingCheckIn.safeParse(value);
		if (!parsed.success) continue;
		const at = (value as { at?: unknown }).at;
		list.push({ ...parsed.data, at: typeof at === 'string' ? at : '', participant });
	}
	return list.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The check-in that counts for one person (`keys`: every device they joined on): their latest.
 * A parent who tapped a smiley on the laptop and again on the phone is one smiley.
 */
export function latestCheckInOf(
	checkIns: readonly MeetingCheckIn[],
	keys: readonly string[]
): MeetingCheckIn | undefined {
	return checkIns
		.filter((c) => keys.includes(c.participant))
		.reduce<MeetingCheckIn | undefined>(
			(last, c) => (last && last.at >= c.at ? last : c),
			undefined
		);
}

/**
 * One check-in per person: each participant's latest, and those of keys no participant speaks
 * for (a guest whose link was revoked meanwhile still said it), by name as the list reads.
 */
export function checkInsPerPerson(
	checkIns: readonly MeetingCheckIn[],
	people: readonly Pick<Participant, 'keys'>[]
): MeetingCheckIn[] {
	const known = new Set(people.flatMap((p) => p.keys));
	const own = people
		.map((p) => latestCheckInOf(checkIns, p.keys))
		.filter((c): c is MeetingCheckIn => c !== undefined);
	return [...own, ...checkIns.filter((c) => !known.has(c.participant))].sort((a, b) =>
		a.name.localeCompare(b.name)
	);
}

/** Count per value on the scale; a pass is never counted. */
export function meetingTally(checkIns: readonly MeetingCheckIn[], scale: CheckinScale) {
	const tally: Record<number, number> = {};
	for (const value of scaleValues(scale)) tally[value] = 0;
	for (const { value } of checkIns) {
		if (value !== PASS && tally[value] !== undefined) tally[value] += 1;
	}
	return tally;
}

/* ------------------------------------------------------------------ the children */

/** The key a student is known by on a board: their check-in, their own words' author. */
export const STUDENT_KEY_PREFIX = 'student:';

/**
 * The children a care meeting is held for, as student ids, the board's first child first: a
 * family with several children may hold one meeting for them all, each with their own column
 * of own words. Read from the participant list the server writes (participants.ts), so no
 * client can add a child. A board whose child joins only through a guest link has none here.
 */
export function childrenOf(doc: Y.Doc): string[] {
	return listParticipants(doc)
		.filter((p) => p.label === 'child' && p.key.startsWith(STUDENT_KEY_PREFIX))
		.map((p) => p.key.slice(STUDENT_KEY_PREFIX.length));
}

/**
 * Whose words a card is: its `child`, else the board's first child (a card written before
 * siblings were added, or on a meeting for one child). Null when the board names no child.
 */
export function childOfWish(
	card: { child?: string | undefined },
	children: readonly string[]
): string | null {
	return card.child ?? children[0] ?? null;
}

/* ------------------------------------------------------------------ the child's words */

/**
 * Add the child's own words. `byChild`: the child typed them (its key is `createdBy`); else staff
 * write them down for the child and the card says so (`forChild`).
 */
export function addWish(
	doc: Y.Doc,
	input: { title: string; body?: string; visibility?: Visibility; child?: string },
	origin: Origin,
	author: { createdBy: string; createdByName: string; byChild: boolean }
): Result<string> {
	return addCard(
		doc,
		{
			type: 'wishes',
			title: input.title,
			body: input.body ?? '',
			visibility: input.visibility ?? 'meeting',
			...(author.byChild ? {} : { forChild: true }),
			...(input.child ? { child: input.child } : {})
		},
		origin,
		{ createdBy: author.createdBy, createdByName: author.createdByName }
	);
}

export function setVisibility(doc: Y.Doc, id: string, visibility: Visibility, origin: Origin) {
	return updateCard(doc, id, { visibility }, origin);
}

/* ------------------------------------------------------------------ the meeting's steps */

export interface MeetingState {
	active: boolean;
	startedAt: string;
	step: MeetingStep;
}

export function getMeeting(doc: Y.Doc): MeetingState {
	const map = sessionMap(doc);
	const step = map.get('step');
	const startedAt = map.get('startedAt');
	return {
		active: map.get('active') === true,
		startedAt: typeof startedAt === 'string' ? startedAt : '',
		step: meetingSteps.includes(step as MeetingStep) ? (step as MeetingStep) : 'checkin'
	};
}

export function startMeeting(doc: Y.Doc, origin: Origin = null, now = new Date()) {
	doc.transact(() => {
		const map = sessionMap(doc);
		map.set('active', true);
		map.set('startedAt', now.toISOString());
		map.set('step', 'checkin');
	}, origin);
}

export function setMeetingStep(doc: Y.Doc, step: MeetingStep, origin: Origin = null) {
	doc.transact(() => sessionMap(doc).set('step', step), origin);
}

export function nextStep(step: MeetingStep): MeetingStep | null {
	return meetingSteps[meetingSteps.indexOf(step) + 1] ?? null;
}

/** An empty care meeting opens with "zo werkt dit gesprek" rather than a blank board. */
export function isEmptyMeeting(doc: Y.Doc): boolean {
	return cardsMap(doc).size === 0 && checkinsMap(doc).size === 0 && !getMeeting(doc).active;
}

/** Close the meeting on the board (the server does, after keeping its record). */
export function endMeeting(doc: Y.Doc, origin: Origin = null) {
	doc.transact(() => {
		checkinsMap(doc).clear();
		const map = sessionMap(doc);
		map.set('active', false);
		map.set('step', 'checkin');
	}, origin);
}

/* ------------------------------------------------------------------ the record */

const line = (max: number) => z.string().max(max);

export const meetingRecordData = z.object({
	type: z.literal('zorgoverleg'),
	startedAt: line(40),
	endedAt: line(40),
	checkinScale: z.enum(checkinScales),
	tally: z.record(z.string(), z.number().int().min(0)),
	checkins: z
		.array(
			z.object({
				name: line(NAME_MAX),
				value: z.number().int().min(PASS).max(5),
				/**
				 * A child's own check-in on a meeting for several children: whose (a student id), so
				 * two siblings with one first name are told apart. Older records name only `name`.
				 */
				child: line(40).optional()
			})
		)
		.max(200),
	successes: z.array(z.object({ title: line(TITLE_MAX), who: line(NAME_MAX) })).max(200),
	words: z
		.array(
			z.object({
				title: line(TITLE_MAX),
				body: line(BODY_MAX),
				visibility: z.enum(visibilities),
				/** Typed by the child itself (else written down for the child by staff). */
				byChild: z.boolean(),
				/** Whose words (a student id) on a meeting for several children; else the first's. */
				child: line(40).optional(),
				/** That child's first name as the meeting listed it, for the summary's heading. */
				childName: line(NAME_MAX).optional()
			})
		)
		.max(200),
	/** A meeting for several children of one family: who they were, in the meeting's order. */
	children: z
		.array(z.object({ id: line(40), name: line(NAME_MAX) }))
		.max(20)
		.optional(),
	actions: z
		.array(
			z.object({
				title: line(TITLE_MAX),
				who: line(NAME_MAX),
				ownerLabel: participantLabel.optional(),
				due: line(10)
			})
		)
		.max(200)
});
export type MeetingRecordData = z.output<typeof meetingRecordData>;

/** What the board says about this meeting, before it is closed. Throws when it does not fit. */
export function buildMeetingRecord(doc: Y.Doc, now = new Date()): MeetingRecordData {
	const meeting = getMeeting(doc);
	const scale = getSettings(doc).checkinScale;
	const people = listParticipants(doc);
	const checkIns = checkInsPerPerson(listMeetingCheckIns(doc), people);
	const children = childrenOf(doc);
	const childName = (id: string | null) =>
		people.find((p) => p.key === `${STUDENT_KEY_PREFIX}${id}`)?.name;
	return meetingRecordData.parse({
		type: 'zorgoverleg',
		startedAt: meeting.startedAt || now.toISOString(),
		endedAt: now.toISOString(),
		checkinScale: scale,
		tally: meetingTally(checkIns, scale),
		checkins: checkIns.map((c) => {
			// Only a meeting for several children says whose each child's check-in is.
			const child = children.length > 1 ? childOfCheckIn(c, people) : null;
			return { name: c.name, value: c.value, ...(child ? { child } : {}) };
		}),
		successes: listCards(doc, 'successes').map((c) => ({
			title: c.title,
			who: (c.type === 'successes' && c.who) || c.createdByName
		})),
		...(children.length > 1
			? { children: children.map((id) => ({ id, name: childName(id) ?? '' })) }
			: {}),
		words: listCards(doc, 'wishes').map((c) => {
			// Only a meeting for several children says whose words each card is.
			const child = children.length > 1 && c.type === 'wishes' ? childOfWish(c, children) : null;
			return {
				title: c.title,
				body: c.body,
				visibility: c.visibility ?? 'meeting',
				byChild: c.type === 'wishes' && c.forChild !== true,
				...(child ? { child, childName: childName(child) ?? '' } : {})
			};
		}),
		actions: listCards(doc, 'actions').map((c) => ({
			title: c.title,
			who: c.type === 'actions' ? c.who : '',
			ownerLabel: c.type === 'actions' ? c.ownerLabel : undefined,
			due: c.type === 'actions' ? c.due : ''
		}))
	});
}

/** The student whose own check-in this is (by the devices the server listed), else null. */
function childOfCheckIn(c: MeetingCheckIn, people: readonly Participant[]): string | null {
	const person = people.find((p) => p.keys.includes(c.participant));
	if (person?.label !== 'child' || !person.key.startsWith(STUDENT_KEY_PREFIX)) return null;
	return person.key.slice(STUDENT_KEY_PREFIX.length);
}

/**
 * Who reads a summary, for the child's words: staff read all of them (each marked with its
 * visibility), the child its own, a care partner what the care team may see, the family only
 * what the child chose to take home.
 */
export type SummaryReader = 'staff' | 'child' | 'care' | 'family';

export function wordsFor(
	words: MeetingRecordData['words'],
	reader: SummaryReader
): MeetingRecordData['words'] {
	return words.filter((w) => readerSees(w.visibility, reader));
}

/** A check-in kept under the name the meeting showed: the first name, then the role. */
const namedAs = (name: string, firstName: string) =>
	name === firstName || name.startsWith(`${firstName} (`);

/**
 * Is this check-in of a record the child's own? By the student id the record keeps with a
 * child's check-in; a record that names none (older, or a check-in by no listed child) by the
 * name the meeting showed.
 */
function checkInOf(
	c: MeetingRecordData['checkins'][number],
	child: { id: string; name: string }
): boolean {
	return c.child !== undefined ? c.child === child.id : namedAs(c.name, child.name);
}

/**
 * The child's words of a record per child, in the order the meeting listed the children: one
 * group (without a name) on a meeting for one child, one per child on a meeting for several.
 */
export function wordsByChild(
	data: Pick<MeetingRecordData, 'words' | 'children'>,
	words: MeetingRecordData['words'] = data.words
): Array<{ child: string | null; name: string; words: MeetingRecordData['words'] }> {
	type Group = { child: string | null; name: string; words: typeof words };
	const groups = new Map<string | null, Group>();
	// Every child of the meeting has its place, also one who said nothing (or nothing for you).
	for (const c of data.children ?? []) groups.set(c.id, { child: c.id, name: c.name, words: [] });
	for (const w of words) {
		const key = w.child ?? null;
		let group = groups.get(key);
		if (!group) groups.set(key, (group = { child: key, name: w.childName ?? '', words: [] }));
		group.words.push(w);
	}
	return [...groups.values()];
}

/**
 * The record as one child's file holds it (an access request): only that child's own words
 * (a word naming no child is the board's first child's, `first`); everything else the
 * meeting shared is kept.
 */
export function recordForChild(
	data: MeetingRecordData,
	studentId: string,
	first: string | null
): MeetingRecordData {
	const others = (data.children ?? []).filter((c) => c.id !== studentId);
	return {
		...data,
		words: data.words.filter((w) => (w.child ?? first) === studentId),
		// A sibling's check-in is the sibling's, not part of this child's file.
		checkins: data.checkins.filter(
			(c) => c.child === studentId || !others.some((o) => checkInOf(c, o))
		),
		...(data.children ? { children: data.children.filter((c) => c.id === studentId) } : {})
	};
}

/**
 * The record without one child (that child's file is erased): their own words, and their
 * check-in (by their student id; in an older record by the name the meeting showed: their
 * first name, then the role).
 */
export function recordWithoutChild(
	data: MeetingRecordData,
	child: { id: string; firstName: string },
	first: string | null
): MeetingRecordData {
	const theirs = (c: MeetingRecordData['checkins'][number]) =>
		checkInOf(c, { id: child.id, name: child.firstName });
	const tally = { ...data.tally };
	for (const c of data.checkins) {
		const n = tally[String(c.value)];
		if (theirs(c) && c.value !== PASS && n !== undefined && n > 0) tally[String(c.value)] = n - 1;
	}
	return {
		...data,
		tally,
		words: data.words.filter((w) => (w.child ?? first) !== child.id),
		checkins: data.checkins.filter((c) => !theirs(c)),
		...(data.children ? { children: data.children.filter((c) => c.id !== child.id) } : {})
	};
}

/**
 * May this reader of a conversation's summary read a card of this visibility? A card without
 * one (a parent's own card) is for everyone in the conversation.
 */
export function readerSees(visibility: Visibility | undefined, reader: SummaryReader): boolean {
	if (reader === 'staff' || reader === 'child' || visibility === undefined) return true;
	const allowed: readonly Visibility[] = reader === 'care' ? ['care', 'family'] : ['family'];
	return allowed.includes(visibility);
}
