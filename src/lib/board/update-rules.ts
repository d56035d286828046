/**
 * What a client may change in a board's document: the board kind's layout (its zod schemas)
 * and the connection's capabilities (src/lib/board/capabilities.ts). Pure: it sees a list of
 * changed entries (made from a Yjs transaction by doc-changes.ts), never a socket or a Y.Doc.
 *
 * An entry is one key of a top-level map (`cards/<id>`, `checkins/<participant>`,
 * `settings/<name>`, `session/<name>`, `students/<id>`, `actions/<id>`). Every entry a
 * transaction touched is checked whole, as it is after the transaction: a card must still be a
 * valid card, whatever field changed. The verdict is all or nothing; the server refuses the
 * whole update when one entry fails.
 */
import { z } from 'zod';
import { forKind, mayChangeCard, mayChangeCheckIn, type Capabilities } from './capabilities';
import { participantLabel, PARTICIPANTS_ROOT } from './participants';
import { personalBoardKinds, type BoardKind } from './kinds';
import {
	actionStatuses,
	areas,
	BODY_MAX,
	cardInput,
	checkInInput,
	checkinScales,
	NAME_MAX,
	reviewOutcomes,
	sessionSteps,
	TITLE_MAX,
	VIEW_NOTE_MAX,
	visibilities
} from './verbeterbord';
import { actionSchema, NOTE_MAX, stoplightSchema } from './voortgang';
import { isoDate } from './dates';
import {
	childOfWish,
	meetingCheckIn,
	meetingSessionKeys,
	meetingSteps,
	STUDENT_KEY_PREFIX
} from './zorgoverleg';
import {
	criterionExists,
	levelExists,
	talkAreas,
	talkSteps,
	type TalkFacts
} from './driehoeksgesprek';
import { perspectives } from './criteria';

/**
 * A value as it is stored in the doc: a Y.Map (with its live entries), any other shared type
 * (Y.Text, Y.Array, XML: never part of a board), or a plain JSON value.
 */
export type DocValue =
	| { kind: 'map'; entries: Record<string, DocValue> }
	| { kind: 'type' }
	| { kind: 'json'; value: unknown };

export interface EntryChange {
	/** Name of the top-level shared type. */
	root: string;
	/** The key in that top-level map; null when the root was changed as a sequence. */
	key: string | null;
	/** Whether the key held a value before the transaction. */
	existedBefore: boolean;
	/** For cards: who made the card, as it was before the transaction. */
	createdByBefore: string | null;
	/** For cards: its type (column) before the transaction, to judge a move between kinds. */
	typeBefore?: string | null;
	/** The value after the transaction; undefined when the key was deleted. */
	after: DocValue | undefined;
}

export interface RuleOptions {
	/**
	 * Ending a session (`session.active` -> false) is the server's job (it derives the session
	 * record from its own document; see src/lib/server/bordsessie.ts). On by default; tests of
	 * the bare rules may turn it off. Check-ins are judged one key at a time, never counted per
	 * update: a client coming back online sends everything it did offline as one update, and
	 * taking back two check-ins there is honest (a rule that counted cut such walls off).
	 */
	serverEndsSession: boolean;
}

export const defaultRuleOptions: RuleOptions = { serverEndsSession: true };

export interface RuleContext {
	kind: BoardKind;
	caps: Capabilities;
	/** The connection's actor key (`actorId(actor)`): what `createdBy` and check-ins hold. */
	actorKey: string;
	options?: RuleOptions;
	/** On a three-way talk: its criteria and the views already there (driehoeksgesprek.ts). */
	talk?: TalkFacts;
	/**
	 * On a care meeting: the children it is held for, as student ids, first child first
	 * (zorgoverleg.ts `childrenOf`, from the participant list only the server writes).
	 */
	children?: readonly string[];
	/**
	 * The child this connection is, as a student id (auth/actor.ts `actorChildId`): a student
	 * through their own link, or a child guest link bound to its child. Without it, a `student:`
	 * actor key names the child.
	 */
	child?: string | null;
}

export type Verdict = { ok: true } | { ok: false; problem: string };

const ok: Verdict = { ok: true };
const fail = (problem: string): Verdict => ({ ok: false, problem });

/** Board kinds that share the verbeterbord layout (cards, check-ins, settings, session). */
const verbeterbordKinds: readonly BoardKind[] = [
	'verbeterbord',
	'zorgbord',
	'klassenbord',
	'zorgoverleg',
	'driehoeksgesprek'
];

const ENTRY_KEY = /^[A-Za-z0-9_:-]{1,80}$/;
const shortText = (max: number) => z.string().max(max);
const isoStamp = z.string().max(40);
/** A card's date field: empty or a real calendar day (2026-02-31 is refused). */
const storedDate = z.union([z.literal(''), isoDate()]).optional();

/** Every field a card map may hold. Moving a card keeps the fields of its former type. */
const storedCardFields = z
	.object({
		type: z.enum(areas),
		title: shortText(TITLE_MAX),
		body: shortText(BODY_MAX).optional(),
		who: shortText(NAME_MAX).optional(),
		when: storedDate,
		targetDate: storedDate,
		measure: shortText(TITLE_MAX).optional(),
		due: storedDate,
		status: z.enum(actionStatuses).optional(),
		goalId: shortText(40).optional(),
		ownerKey: shortText(64).optional(),
		ownerLabel: participantLabel.optional(),
		forChild: z.boolean().optional(),
		child: shortText(40).optional(),
		fromCard: shortText(40).optional(),
		criterion: shortText(40).optional(),
		level: shortText(40).optional(),
		note: shortText(VIEW_NOTE_MAX).optional(),
		perspective: z.enum(perspectives).optional(),
		evidenceId: shortText(40).optional(),
		mediaId: shortText(40).optional(),
		order: shortText(128).optional(),
		createdAt: isoStamp.optional(),
		createdBy: shortText(64).optional(),
		createdByName: shortText(NAME_MAX).optional(),
		visibility: z.enum(visibilities).optional()
	})
	.strict();

const storedCheckIn = checkInInput.extend({ at: isoStamp }).strict();
/** A care meeting's check-in may be a pass (zorgoverleg.ts). */
const storedMeetingCheckIn = meetingCheckIn.extend({ at: isoStamp }).strict();

const areaNameRecord = z.partialRecord(z.enum(areas), z.string().max(NAME_MAX));
const settingsFields: Record<string, (value: DocValue) => boolean> = {
	checkinScale: json(z.enum(checkinScales)),
	pupilMode: json(z.boolean()),
	// The whole-object form of older boards (and older clients still open somewhere).
	areaNames: json(areaNameRecord),
	hiddenAreas: json(z.array(z.enum(areas)).max(areas.length))
};
/** Per-entry keys: `<prefix><entry>`, the entry checked by `entry`. */
const settingsEntries: PrefixedFields = {
	'areaName:': { entry: (k) => areas.includes(k as never), value: json(z.string().max(NAME_MAX)) },
	'hidden:': { entry: (k) => areas.includes(k as never), value: json(z.boolean()) }
};

const reviewRecord = z.record(z.string().max(64), z.enum(reviewOutcomes));
const sessionFields: Record<string, (value: DocValue) => boolean> = {
	active: json(z.boolean()),
	startedAt: json(isoStamp),
	step: json(z.enum(sessionSteps)),
	leader: json(z.string().max(NAME_MAX)),
	lastLeader: json(z.string().max(NAME_MAX)),
	reviewIds: json(z.array(z.string().max(64)).max(500)),
	reviews: json(reviewRecord)
};
/** A care meeting runs, has a start (its record's key) and a step; nothing else. */
const meetingSessionFields: Record<string, (value: DocValue) => boolean> = {
	active: json(z.boolean()),
	startedAt: json(isoStamp),
	step: json(z.enum(meetingSteps))
};
const talkSessionFields: Record<string, (value: DocValue) => boolean> = {
	step: json(z.enum(talkSteps))
};
const sessionEntries: PrefixedFields = {
	'review:': { entry: (k) => /^[A-Za-z0-9_-]{1,64}$/.test(k), value: json(z.enum(reviewOutcomes)) }
};

type PrefixedFields = Record<
	string,
	{ entry: (key: string) => boolean; value: (value: DocValue) => boolean }
>;

function validatorFor(
	key: string,
	fields: Record<string, (value: DocValue) => boolean>,
	prefixed: PrefixedFields
): ((value: DocValue) => boolean) | null {
	if (Object.hasOwn(fields, key)) return fields[key]!;
	for (const [prefix, rule] of Object.entries(prefixed)) {
		if (key.startsWith(prefix) && rule.entry(key.slice(prefix.length))) return rule.value;
	}
	return null;
}

function json(schema: z.ZodType): (value: DocValue) => boolean {
	return (value) => value.kind === 'json' && schema.safeParse(value.value).success;
}

/** The plain fields of a map whose every value is JSON; null when one is a shared type. */
function plainFields(value: DocValue): Record<string, unknown> | null {
	if (value.kind !== 'map') return null;
	const fields: Record<string, unknown> = {};
	for (const [key, child] of Object.entries(value.entries)) {
		if (child.kind !== 'json') return null;
		fields[key] = child.value;
	}
	return fields;
}

function checkCard(change: EntryChange, ctx: RuleContext): Verdict {
	const { caps, actorKey } = ctx;
	// An ended talk reads as its record says: nobody changes its cards any more.
	if (ctx.kind === 'driehoeksgesprek' && ctx.talk?.ended()) return fail('the talk has ended');
	if (change.after === undefined) {
		// Deleting a key that held nothing changes nothing (a concurrent delete).
		if (!change.existedBefore) return ok;
		return mayChangeCard(caps, actorKey, change.createdByBefore)
			? ok
			: fail(`may not delete card ${change.key}`);
	}
	const fields = plainFields(change.after);
	if (!fields) return fail(`card ${change.key} is not a map of plain fields`);
	if (!storedCardFields.safeParse(fields).success || !cardInput.safeParse(fields).success) {
		return fail(`card ${change.key} does not match the card schema`);
	}
	const createdBy = typeof fields.createdBy === 'string' ? fields.createdBy : null;
	// Who sees a card outside the meeting is the child's choice (and staff's), never a parent's.
	if (fields.visibility !== undefined && !caps.setVisibility) {
		return fail(`may not set the visibility of card ${change.key}`);
	}
	if (ctx.kind === 'driehoeksgesprek' || fields.type === 'views' || fields.type === 'evidence') {
		const verdict = checkTalkCard(change, fields, createdBy, ctx);
		if (!verdict.ok) return verdict;
	}
	if (fields.type === 'wishes') {
		const verdict = checkWish(fields, createdBy, ctx);
		if (!verdict.ok) return verdict;
	}
	if (change.existedBefore) {
		if (!mayChangeCard(caps, actorKey, change.createdByBefore)) {
			return fail(`may not change card ${change.key}`);
		}
		// Moves between kinds are refused by the board itself (verbeterbord.ts `moveCard`), not
		// here: which type a change replaced depends on the order concurrent moves arrive in (an
		// idea taken up as an action on one screen and as a goal on another), so judging it
		// against the server's latest state would refuse an honest client and cut it off.
	} else if (!caps.addCards) {
		return fail('may not add cards');
	}
	// A card stays with the one who made it: only staff may set another maker.
	if (!caps.editOthersCards && createdBy !== actorKey) {
		return fail(`card ${change.key} must be created by ${actorKey}`);
	}
	return ok;
}

/**
 * The child's own words: only on a care meeting, written by the child in its own name, or by
 * staff marked as written down for the child (`forChild`). A parent or partner never writes them.
 */
function checkWish(
	fields: Record<string, unknown>,
	createdBy: string | null,
	{ kind, caps, actorKey, children = [], child }: RuleContext
): Verdict {
	if (kind !== 'zorgoverleg' && kind !== 'driehoeksgesprek') {
		return fail(`a ${kind} has no place for a child's words`);
	}
	// Several children of one family: each card is one child's of this board, and a student
	// through their own link writes only in their own column.
	if (fields.child !== undefined) {
		if (kind !== 'zorgoverleg' || !children.includes(String(fields.child))) {
			return fail(`${String(fields.child)} is not a child of this meeting`);
		}
	}
	// A child's device (their own link, or a child link made for them) writes only in their own
	// column: never the first child's just because a card names no child.
	const self =
		child ??
		(actorKey.startsWith(STUDENT_KEY_PREFIX) ? actorKey.slice(STUDENT_KEY_PREFIX.length) : null);
	// A child's device bound to no child writes in no child's column on a meeting that has
	// children: its words would otherwise be the first child's (`childOfWish`), or anyone's.
	if (caps.ownWords && self === null && children.length > 0) {
		return fail(`${actorKey} is no child of this meeting`);
	}
	if (caps.ownWords && self !== null && createdBy === actorKey) {
		const whose = childOfWish({ child: fields.child as string | undefined }, children);
		if (whose !== null && whose !== self) {
			return fail(`${actorKey} writes only their own words`);
		}
	}
	if (caps.ownWords) return ok;
	if (!caps.editOthersCards) return fail("only the child and staff write the child's words");
	if (createdBy === actorKey && fields.forChild !== true) {
		return fail("staff write the child's words down for the child (forChild)");
	}
	return ok;
}

/**
 * A three-way talk's cards (driehoeksgesprek.ts): only its own types; a view is its author's,
 * in the perspective of the author's role, on a level of the board's criteria version, one per
 * author and criterion; evidence is the student's (or staff's); agreed goals and their actions
 * are written by staff.
 */
function checkTalkCard(
	change: EntryChange,
	fields: Record<string, unknown>,
	createdBy: string | null,
	{ kind, caps, actorKey, talk }: RuleContext
): Verdict {
	if (kind !== 'driehoeksgesprek') return fail(`a ${kind} has no place for ${fields.type}`);
	if (!talkAreas.includes(fields.type as never)) return fail(`a talk has no ${fields.type}`);
	if (fields.type === 'goals' || fields.type === 'actions') {
		return caps.editOthersCards ? ok : fail('staff write the agreed goals and actions');
	}
	if (fields.type === 'evidence') {
		if (!caps.ownWords && !caps.editOthersCards) return fail('evidence is the student’s');
		// Shown on a success criterion: one of this talk's version, never a made-up one.
		if (
			fields.criterion !== undefined &&
			!criterionExists(talk?.criteria ?? null, fields.criterion)
		) {
			return fail(`evidence ${change.key} names no criterion of this talk`);
		}
		return ok;
	}
	if (fields.type !== 'views') return ok;
	// One's view is one's own: nobody else writes or rewrites it, staff included.
	if (createdBy !== actorKey || (change.existedBefore && change.createdByBefore !== actorKey)) {
		return fail(`view ${change.key} is not ${actorKey}'s`);
	}
	if (!caps.perspective || fields.perspective !== caps.perspective) {
		return fail(`view ${change.key} is not in the perspective of its author`);
	}
	if (!levelExists(talk?.criteria ?? null, fields.criterion, fields.level)) {
		return fail(`view ${change.key} names no level of this talk's criteria`);
	}
	const others = (talk?.viewIdsOf(actorKey, String(fields.criterion)) ?? []).filter(
		(id) => id !== change.key
	);
	return others.length === 0 ? ok : fail(`a second view by ${actorKey} on ${fields.criterion}`);
}

function checkCheckIn(change: EntryChange, ctx: RuleContext): Verdict {
	const participant = change.key!;
	if (participant.length > NAME_MAX) return fail('check-in key too long');
	if (!mayChangeCheckIn(ctx.caps, ctx.actorKey, participant)) {
		return fail(`may not change the check-in of ${participant}`);
	}
	if (change.after === undefined) return ok;
	const schema = ctx.kind === 'zorgoverleg' ? storedMeetingCheckIn : storedCheckIn;
	return json(schema)(change.after) ? ok : fail(`check-in ${participant} is malformed`);
}

function checkField(
	change: EntryChange,
	fields: Record<string, (value: DocValue) => boolean>,
	prefixed: PrefixedFields,
	allowed: boolean,
	what: string
): Verdict {
	if (!allowed) return fail(`may not change ${what}`);
	const validate = validatorFor(change.key!, fields, prefixed);
	if (!validate) return fail(`unknown ${what} field ${change.key}`);
	if (change.after === undefined || validate(change.after)) return ok;
	return fail(`${what}.${change.key} is malformed`);
}

const studentEntry = (value: DocValue): boolean => {
	const fields = plainFields(value);
	if (!fields) return false;
	return Object.entries(fields).every(([key, v]) => {
		if (key.startsWith('flag:'))
			return /^flag:[a-z0-9_-]{1,32}$/.test(key) && typeof v === 'boolean';
		switch (key) {
			case 'stoplight':
				return stoplightSchema.nullable().safeParse(v).success;
			case 'note':
				return typeof v === 'string' && v.length <= NOTE_MAX;
			case 'updatedBy':
				return typeof v === 'string' && v.length <= NAME_MAX;
			case 'updatedAt':
				return typeof v === 'string' && v.length <= 40;
			default:
				return false;
		}
	});
};

const wallAction = (value: DocValue): boolean => {
	const fields = plainFields(value);
	return !!fields && actionSchema.strict().safeParse(fields).success;
};

function checkWallEntry(change: EntryChange, ctx: RuleContext): Verdict {
	if (!ctx.caps.studentEntries) return fail(`may not change ${change.root}`);
	if (change.after === undefined) return ok;
	const valid = change.root === 'students' ? studentEntry(change.after) : wallAction(change.after);
	return valid ? ok : fail(`${change.root}/${change.key} is malformed`);
}

/** The top-level maps a board kind's document consists of; anything else is refused. */
export function rootMapsOf(kind: BoardKind): readonly string[] {
	// A conversation's participant list is written by the server alone (participants.ts).
	if (personalBoardKinds.includes(kind))
		return ['cards', 'checkins', 'settings', 'session', PARTICIPANTS_ROOT];
	if (verbeterbordKinds.includes(kind)) return ['cards', 'checkins', 'settings', 'session'];
	if (kind === 'voortgangsbord') return ['students', 'actions'];
	return [];
}

/** A session (or meeting) is ended by the server alone, which writes its record. */
function serverEnds(change: EntryChange, options: RuleOptions): Verdict {
	const stillActive = change.after?.kind === 'json' && change.after.value === true;
	return options.serverEndsSession && change.key === 'active' && !stillActive
		? fail('only the server ends a session')
		: ok;
}

/** Check every changed entry of one transaction. */
export function checkChanges(changes: readonly EntryChange[], given: RuleContext): Verdict {
	// The sync server knows the connection's role and the board's kind apart: join them here.
	const ctx = { ...given, caps: forKind(given.caps, given.kind) };
	const options = ctx.options ?? defaultRuleOptions;
	const isVerbeterbord = verbeterbordKinds.includes(ctx.kind);
	const isWall = ctx.kind === 'voortgangsbord';
	for (const change of changes) {
		if (change.key === null || (!ENTRY_KEY.test(change.key) && change.root !== 'checkins')) {
			return fail(`${change.root} changed outside its keyed entries`);
		}
		let verdict: Verdict;
		if (isVerbeterbord && change.root === 'cards') verdict = checkCard(change, ctx);
		else if (isVerbeterbord && change.root === 'checkins') {
			verdict = checkCheckIn(change, ctx);
		} else if (isVerbeterbord && change.root === 'settings') {
			verdict = checkField(change, settingsFields, settingsEntries, ctx.caps.settings, 'settings');
		} else if (isVerbeterbord && change.root === 'session' && ctx.kind === 'zorgoverleg') {
			// Whoever leads the meeting starts it and moves it on; nothing else lives here.
			const steps = ctx.caps.stepMeeting && meetingSessionKeys.includes(change.key as never);
			verdict = checkField(change, meetingSessionFields, {}, steps, 'session');
			verdict = verdict.ok ? serverEnds(change, options) : verdict;
		} else if (isVerbeterbord && change.root === 'session' && ctx.kind === 'driehoeksgesprek') {
			// The student who leads it and staff move the talk on; only the server ends it
			// (`endedAt`, when it keeps the record).
			if (change.key !== 'step') verdict = fail('only the server ends a talk');
			else if (ctx.talk?.ended()) verdict = fail('the talk has ended');
			else verdict = checkField(change, talkSessionFields, {}, ctx.caps.stepMeeting, 'session');
		} else if (isVerbeterbord && change.root === 'session') {
			verdict = checkField(change, sessionFields, sessionEntries, ctx.caps.runSession, 'session');
			verdict = verdict.ok ? serverEnds(change, options) : verdict;
		} else if (change.root === PARTICIPANTS_ROOT && personalBoardKinds.includes(ctx.kind)) {
			// Who takes part comes from the server's database: nobody adds or changes a face.
			verdict = fail('only the server writes the participants');
		} else if (isWall && (change.root === 'students' || change.root === 'actions')) {
			verdict = checkWallEntry(change, ctx);
		} else {
			verdict = fail(`unknown part ${change.root} for a ${ctx.kind}`);
		}
		if (!verdict.ok) return verdict;
	}
	return ok;
}
