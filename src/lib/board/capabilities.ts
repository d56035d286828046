/**
 * What each role may do with the content of a board. Pure: no database, no Svelte.
 *
 * This is the one table of board capabilities. The sync server enforces it for every Yjs
 * update (a connection's change is checked against its role before it is relayed or stored),
 * the board UI reads it to show only the controls a role can use, and form actions ask it
 * too. Who *has* which role on a board is decided elsewhere (src/lib/server/auth/permissions.ts).
 */
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
	share: false
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
	share: false
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
	child: participant,
	parent: participant,
	partner: participant
};

export function capabilitiesOf(role: BoardRole | null | undefined): Capabilities {
	return role ? table[role] : none;
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
