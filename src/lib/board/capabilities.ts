/**
 * What each role may do with the content of a board. Pure: no database, no Svelte.
 *
 * This is the one table of board capabilities. The sync server enforces it for every Yjs
 * update (a connection's change is checked against its role before it is relayed or stored),
 * the board UI reads it to show only the controls a role can use, and form actions ask it
 * too. Who *has* which role on a board is decided elsewhere (src/lib/server/auth/permissions.ts).
 */
import type { BoardKind } from './kinds';
import type { Perspective } from './criteria';

export const boardRoles = ['owner', 'editor', 'viewer', 'child', 'parent', 'partner'] as const;
export type BoardRole = (typeof boardRoles)[number];

/**
 * Roles a guest link can carry. Guests never own a board. `partner` is a care partner (youth
 * care, truancy officer, social work) invited to one conversation board.
 */
export const guestRoles = ['editor', 'viewer', 'child', 'parent', 'partner'] as const;
export type GuestRole = (typeof guestRoles)[number];

export interface Capabilities {
	/** Add new cards; the card is theirs (its `createdBy` is their actor id). */
	addCards: boolean;
	/** Change, move or delete their own cards. */
	editOwnCards: boolean;
	/** Change, move or delete cards someone else made. */
	editOthersCards: boolean;
	/** Place, change or withdraw their own check-in marker. */
	ownCheckIn: boolean;
	/** Place or withdraw check-in markers for other people (at a wall, as board leader). */
	othersCheckIns: boolean;
	/** Rename or hide areas, choose the check-in scale, pupil mode. */
	settings: boolean;
	/** Start and steer a bordsessie (the server alone ends it and writes its record). */
	runSession: boolean;
	/** Progress wall: a student's stoplight, flags and line of particulars. */
	studentEntries: boolean;
	/** Invite and revoke guests, copy the board with its content. */
	share: boolean;
	/**
	 * Choose who outside a conversation may see a card (`visibility`): the child for its own
	 * words, and staff. Parents and care partners never set it.
	 */
	setVisibility: boolean;
	/**
	 * Lead a care meeting (zorgoverleg): check in anyone (tapping their face on the wall) and
	 * start the meeting and move it to its next step. Only on a zorgoverleg; see `forKind`.
	 */
	leadCareMeeting: boolean;
	/**
	 * Write its own words in its own name (a care meeting's "waar wil ik aan werken"): the child.
	 * Staff may write them down for the child, marked `forChild`; nobody else writes them.
	 */
	ownWords: boolean;
	/** Move a conversation to its next step (derived by `forKind`, never set in the table). */
	stepMeeting: boolean;
	/**
	 * Whose view this role gives in a three-way talk (driehoeksgesprek): the child its
	 * self-evaluation, a parent the home view, staff the mentor's. None for viewers and care
	 * partners. The sync server refuses a view card with any other perspective.
	 */
	perspective: Perspective | null;
}

const none: Capabilities = {
	addCards: false,
	editOwnCards: false,
	editOthersCards: false,
	ownCheckIn: false,
	othersCheckIns: false,
	settings: false,
	runSession: false,
	studentEntries: false,
	share: false,
	setVisibility: false,
	leadCareMeeting: false,
	ownWords: false,
	stepMeeting: false,
	perspective: null
};

const staffEditor: Capabilities = {
	addCards: true,
	editOwnCards: true,
	editOthersCards: true,
	ownCheckIn: true,
	othersCheckIns: true,
	settings: true,
	runSession: true,
	studentEntries: true,
	share: false,
	setVisibility: true,
	leadCareMeeting: true,
	ownWords: false,
	stepMeeting: true,
	perspective: 'mentor'
};

// A child or a parent adds their own check-in, own words and own cards, and changes only those.
const participant: Capabilities = {
	...none,
	addCards: true,
	editOwnCards: true,
	ownCheckIn: true
};

const table: Record<BoardRole, Capabilities> = {
	owner: { ...staffEditor, share: true },
	editor: staffEditor,
	viewer: none,
	// The child's own words are the child's: it decides who sees them, and it leads its care meeting.
	child: {
		...participant,
		setVisibility: true,
		leadCareMeeting: true,
		ownWords: true,
		perspective: 'student'
	},
	parent: { ...participant, perspective: 'parent' },
	partner: participant
};

/**
 * What a role may do on a board of `kind`. Without a kind: the table as it is (every kind but
 * the care meeting reads it so). On a zorgoverleg the one who leads it (the child, and staff)
 * also checks in the others and moves the meeting on; on a three-way talk they move it on.
 */
export function capabilitiesOf(role: BoardRole | null | undefined, kind?: BoardKind): Capabilities {
	const caps = role ? table[role] : none;
	return kind ? forKind(caps, kind) : caps;
}

/** Apply a board kind to a role's capabilities (the sync server gets role and kind apart). */
export function forKind(caps: Capabilities, kind: BoardKind): Capabilities {
	if (kind === 'zorgoverleg' && caps.leadCareMeeting) {
		return { ...caps, othersCheckIns: true, stepMeeting: true };
	}
	// The student leads their three-way talk too (seed 000: ownership), with staff beside them.
	if (kind === 'driehoeksgesprek' && caps.leadCareMeeting) return { ...caps, stepMeeting: true };
	// Elsewhere only those who run a session move it on; leading a care meeting means nothing.
	return caps.stepMeeting === caps.runSession ? caps : { ...caps, stepMeeting: caps.runSession };
}

/** May this role write anything at all to the board's document? */
export function canWrite(role: BoardRole | null | undefined): boolean {
	const caps = capabilitiesOf(role);
	return Object.entries(caps).some(([key, value]) => key !== 'share' && value);
}

/**
 * May `actorKey` change (edit, move, delete) a card made by `createdBy`?
 * Cards without a known maker belong to the staff: only roles that edit others' cards touch them.
 */
export function mayChangeCard(
	caps: Capabilities,
	actorKey: string,
	createdBy: string | null | undefined
): boolean {
	if (caps.editOthersCards) return true;
	return caps.editOwnCards && !!createdBy && createdBy === actorKey;
}

/** May `actorKey` set or withdraw the check-in marker keyed `participant`? */
export function mayChangeCheckIn(caps: Capabilities, actorKey: string, participant: string) {
	if (caps.othersCheckIns) return true;
	return caps.ownCheckIn && participant === actorKey;
}

/**
 * Which cards a viewer may erase from a board *and its history* (AVG art. 17): every card
 * (`any`), only the own words of the children they mentor (`own-words`) or none. The server
 * decides the scope and those children (permissions.ts `eraseScopeOf`, erase.ts
 * `boardEraseScope`); the UI and the erase endpoint both read it through `scopeAllowsErase`,
 * so the button shows exactly where the endpoint would say yes.
 */
export type EraseScope = 'any' | 'own-words' | 'none';

/**
 * `own-words` covers a `wishes` card of a child in `children` (the ids the scope was given for),
 * `whose` being the card's child (zorgoverleg.ts `childOfWish`). Without `whose` (a three-way
 * talk, about one student) the scope alone decides: it is only given for that student.
 */
export function scopeAllowsErase(
	scope: EraseScope,
	cardType: string,
	whose: { child: string | null; children: readonly string[] } | null = null
): boolean {
	if (scope === 'any') return true;
	if (scope !== 'own-words' || cardType !== 'wishes') return false;
	return whose === null || whose.child === null || whose.children.includes(whose.child);
}

/** An erase scope read from untyped page data; anything unknown erases nothing. */
export function eraseScopeFrom(value: unknown): EraseScope {
	return value === 'any' || value === 'own-words' ? value : 'none';
}

/** The children an `own-words` scope covers, read from untyped page data. */
export function eraseChildrenFrom(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
