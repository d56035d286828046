/**
 * Ending a bordsessie is a server action. The browser sends only the small extras (decisions,
 * tip, top) and which session it means; the server, holding the board's document, builds the
 * record from it, closes the session on the board and keeps the record and the successes
 * archive in one transaction. No browser can write a record of its own.
 *
 * Idempotency: a session is identified by its `startedAt`. A record is written only while the
 * board's session with that start is running; asking again (a double click, a retry after a lost
 * answer, another instance) finds the record kept for that start and writes nothing.
 */
import { z } from 'zod';
import {
	BODY_MAX,
	TITLE_MAX,
	buildSessionRecord,
	endSession,
	getSession,
	listCards,
	type SessionRecordData
} from '$lib/board/verbeterbord';
import { capabilitiesOf } from '$lib/board/capabilities';
import {
	findSessionRecordId,
	storeSessionRecord,
	type ArchivedSuccess
} from '$lib/board/verbeterbord-records.server';
import { actorId, type Actor } from './auth/actor';
import type { BoardRole } from './auth/permissions';
import { editBoardDoc, SERVER_ORIGIN } from './board-edit';
import type { Board } from './db/schema';
import { db } from './runtime';

/** Board kinds that hold a bordsessie (the verbeterbord family). */
export const sessionBoardKinds: ReadonlySet<Board['kind']> = new Set([
	'verbeterbord',
	'zorgbord',
	'klassenbord',
	'zorgoverleg',
	'driehoeksgesprek'
]);

/**
 * Who may end a session and so write the team's history: a role that runs sessions, and never
 * a guest (a guest link is not a member of the team whose record it would be).
 */
export function mayEndSession(actor: Actor, role: BoardRole | null): boolean {
	return !viaLink(actor) && capabilitiesOf(role).runSession;
}

/** Team staff names are for people of the school, never for guests. */
export function maySeeTeamNames(actor: Actor): boolean {
	return !viaLink(actor);
}

/** A guest's or a student's link: a key to a board or to one's own pages, not the school's. */
function viaLink(actor: Actor): boolean {
	return actor.kind === 'guest' || actor.kind === 'student';
}

// NUL bytes are refused, not stripped: PostgreSQL cannot store them in text and they are never typed.
const text = (max: number) =>
	z
		.string()
		.max(max, 'too_long')
		.refine((value) => !value.includes('\u0000'), 'nul_byte')
		.transform((value) => value.trim());

export const endSessionInput = z.object({
	/** The session the browser saw running: ending the same session twice writes one record. */
	startedAt: text(40).pipe(z.string().min(1, 'required')),
	decisions: text(BODY_MAX).default(''),
	tip: text(TITLE_MAX).default(''),
	top: text(TITLE_MAX).default('')
});
export type EndSessionInput = z.output<typeof endSessionInput>;

export type EndSessionOutcome =
	| { status: 'ended'; recordId: number }
	| { status: 'already_ended'; recordId: number }
	| { status: 'not_running' }
	/** The board's content does not fit a record (e.g. more than 200 successes). */
	| { status: 'unrecordable' };

type Derived =
	| { kind: 'ended'; record: SessionRecordData; successes: ArchivedSuccess[] }
	| { kind: 'not_running' }
	| { kind: 'unrecordable' };

export async function endBoardSession(
	board: Pick<Board, 'id' | 'teamId'>,
	actor: Actor,
	input: EndSessionInput,
	now = new Date()
): Promise<EndSessionOutcome> {
	let stored: { id: number; created: boolean } | null = null;
	const { result } = await editBoardDoc<Derived>(
		board.id,
		(doc) => {
			const session = getSession(doc);
			if (!session.active || session.startedAt !== input.startedAt) return { kind: 'not_running' };
			const { startedAt: _startedAt, ...extra } = input;
			let record: SessionRecordData;
			try {
				record = buildSessionRecord(doc, extra, now);
			} catch {
				return { kind: 'unrecordable' };
			}
			// Same list, same order as the record's successes, with the card ids the archive needs.
			const successes = listCards(doc, 'successes').map((card) => ({
				cardId: card.id,
				title: card.title,
				who: card.type === 'successes' ? card.who : ''
			}));
			endSession(doc, SERVER_ORIGIN);
			return { kind: 'ended', record, successes };
		},
		{
			commit: async (tx, derived) => {
				if (derived.kind !== 'ended') return;
				stored = await storeSessionRecord(
					tx,
					board,
					derived.record,
					derived.successes,
					actorId(actor)
				);
			}
		}
	);
	return endingOutcome(result, stored, () => findSessionRecordId(db(), board.id, input.startedAt));
}

/**
 * What ending a session (a bordsessie or a care meeting) came to, once the board was edited and
 * its record stored or found already there: a session that no longer runs may have been ended
 * by someone else a moment ago, so its record is looked up before saying "not running".
 */
export async function endingOutcome(
	result: { kind: 'ended' | 'not_running' | 'unrecordable' },
	stored: { id: number; created: boolean } | null,
	findExisting: () => Promise<number | null>
): Promise<EndSessionOutcome> {
	if (result.kind === 'unrecordable') return { status: 'unrecordable' };
	if (result.kind === 'ended' && stored) {
		return stored.created
			? { status: 'ended', recordId: stored.id }
			: { status: 'already_ended', recordId: stored.id };
	}
	const existing = await findExisting();
	return existing === null
		? { status: 'not_running' }
		: { status: 'already_ended', recordId: existing };
}
