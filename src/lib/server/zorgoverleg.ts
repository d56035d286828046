/**
 * The care meeting (zorgoverleg) on the server: who takes part, ending a meeting, its records.
 *
 * Ending a meeting works like ending a bordsessie (bordsessie.ts): the browser says only which
 * meeting (its `startedAt`); the server builds the record from the board's document it holds,
 * closes the meeting on the board and keeps the record in one transaction, once per meeting
 * (board_record keyed by the meeting's start). No browser writes a record of its own.
 */
import { and, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import {
	makeParticipant,
	participantLabel,
	setParticipants,
	type Participant,
	type ParticipantLabel
} from '$lib/board/participants';
import {
	buildMeetingRecord,
	endMeeting,
	STUDENT_KEY_PREFIX,
	getMeeting,
	meetingRecordData,
	wordsFor,
	type MeetingRecordData,
	type SummaryReader
} from '$lib/board/zorgoverleg';
import { actorId, type Actor } from './auth/actor';
import {
	boardChildIds,
	loadStudent,
	mayAddSibling,
	mayRemoveSibling,
	studentsVisibleTo,
	type BoardRole
} from './auth/permissions';
import { boardStudents, recordAudit } from './privacy/audit';
import { endingOutcome, mayEndSession, type EndSessionOutcome } from './bordsessie';
import { findRecordId } from '../board/verbeterbord-records.server';
import { editBoardDoc, SERVER_ORIGIN } from './board-edit';
import type { Database, Queryable } from './db';
import {
	boardInvite,
	boardMember,
	boardRecord,
	boardStudent,
	session,
	studentLink,
	user,
	type Board,
	type Student
} from './db/schema';
import { db, getRuntime, type Runtime } from './runtime';

export const MEETING_RECORD = 'meeting_record';
/** A meeting room holds a family and a few professionals; more is not a meeting. */
const MAX_PARTICIPANTS = 40;
/** Sessions read per query: a few devices per participant. */
const MAX_SESSIONS = 200;

/* ------------------------------------------------------------------ participants */

/**
 * Everyone the child can tap on the wall, one entry per person however many devices they joined
 * on, each with the key its check-in is kept under: the child (the student, with every child
 * link session and the student's own sessions as its devices), the board's staff (members and
 * the student's mentor) and the guests who joined (their typed name and chosen label; one
 * person per link, name and label). Every query is scoped to this board of the board's own
 * school.
 */
export async function meetingParticipants(
	database: Queryable,
	b: Pick<Board, 'id' | 'schoolId' | 'studentId' | 'createdById'>,
	now = new Date()
): Promise<Participant[]> {
	const guests = await database
		.select({
			id: session.id,
			inviteId: session.inviteId,
			name: session.displayName,
			role: session.guestRole,
			label: session.participantLabel,
			child: boardInvite.studentId
		})
		.from(session)
		.innerJoin(boardInvite, eq(boardInvite.id, session.inviteId))
		.where(
			and(
				eq(session.boardId, b.id),
				eq(session.schoolId, b.schoolId),
				eq(session.kind, 'guest'),
				gt(session.expiresAt, now),
				isNull(boardInvite.revokedAt)
			)
		)
		.orderBy(session.createdAt, session.id)
		.limit(MAX_SESSIONS);
	const pupils: Student[] = [];
	for (const id of await boardChildIds(database, b)) {
		const s = await loadStudent(database, b.schoolId, id);
		if (s) pupils.push(s);
	}
	const pupil = pupils[0] ?? null;
	const list: Participant[] = [];

	// Each child is one participant: the student's own sessions are its devices, and so are the
	// sessions of the child links made for that child (board_invite.student_id). A child link
	// speaks for its own child only, never for whoever is first child now.
	const childLinks = guests.filter((g) => g.role === 'child');
	for (const child of pupils) {
		const own = await database
			.select({ id: session.id })
			.from(session)
			.innerJoin(studentLink, eq(studentLink.id, session.studentLinkId))
			.where(
				and(
					eq(session.kind, 'student'),
					eq(session.schoolId, b.schoolId),
					eq(session.studentId, child.id),
					gt(session.expiresAt, now),
					isNull(studentLink.revokedAt)
				)
			)
			.orderBy(session.createdAt)
			.limit(MAX_SESSIONS);
		const key = `${STUDENT_KEY_PREFIX}${child.id}`;
		const links = childLinks.filter((g) => g.child === child.id).map((g) => g.id);
		list.push(
			makeParticipant(key, child.firstName, 'child', [key, ...links, ...own.map((s) => s.id)])
		);
	}
	// A board with no child on record: its child links are the child, as one person. A link bound
	// to a child who is no longer on the board speaks for nobody (it was revoked when they left).
	const unbound = childLinks.filter((g) => g.child === null).map((g) => g.id);
	if (!pupil && unbound.length > 0) {
		const first = guests.find((g) => g.id === unbound[0])!;
		list.push(makeParticipant(first.id, first.name ?? '', 'child', unbound));
	}

	const members = await database
		.select({ id: user.id, name: user.name })
		.from(boardMember)
		.innerJoin(user, eq(user.id, boardMember.userId))
		.where(and(eq(boardMember.boardId, b.id), eq(user.schoolId, b.schoolId)));
	const staffIds = new Set(members.map((m) => m.id));
	const mentors = new Set(pupils.map((p) => p.mentorId).filter((id): id is string => !!id));
	const extra = [...new Set([...mentors, b.createdById])].filter(
		(id): id is string => !!id && !staffIds.has(id)
	);
	const others = extra.length
		? await database
				.select({ id: user.id, name: user.name })
				.from(user)
				.where(and(inArray(user.id, extra), eq(user.schoolId, b.schoolId)))
		: [];
	for (const staff of [...members, ...others]) {
		const label = mentors.has(staff.id) ? 'mentor' : 'school';
		list.push(makeParticipant(staff.id, staff.name, label));
	}

	// A guest who joins twice with the same link, name and label (a phone and a laptop) is one
	// person, kept under their first session.
	const people = new Map<string, { name: string; label: ParticipantLabel; keys: string[] }>();
	for (const guest of guests) {
		if (guest.role === 'child' || guest.role === 'viewer') continue;
		const parsed = participantLabel.safeParse(guest.label);
		const fallback =
			guest.role === 'parent' ? 'parent' : guest.role === 'editor' ? 'school' : 'other';
		const label = parsed.success ? parsed.data : fallback;
		const name = guest.name ?? '';
		const person = `${guest.inviteId}\n${label}\n${name.trim().toLocaleLowerCase('nl')}`;
		const known = people.get(person);
		if (known) known.keys.push(guest.id);
		else people.set(person, { name, label, keys: [guest.id] });
	}
	for (const { name, label, keys } of people.values()) {
		list.push(makeParticipant(keys[0]!, name, label, keys));
	}
	return list.slice(0, MAX_PARTICIPANTS);
}

/**
 * Write the board's participant list into its document (participants.ts `setParticipants`),
 * so every open device gets a newcomer at once. Called by the sync server when someone
 * connects to a care meeting, and when a guest's link is revoked (the share page); the list
 * comes from the database, never from a browser.
 */
export async function refreshMeetingParticipants(
	b: Pick<Board, 'id' | 'schoolId' | 'studentId' | 'createdById'>,
	runtime: Runtime = getRuntime()
): Promise<void> {
	const list = await meetingParticipants(runtime.database.db, b);
	await editBoardDoc(b.id, (doc) => setParticipants(doc, list, SERVER_ORIGIN), {}, runtime);
}

/* ------------------------------------------------------------------ siblings */

/** Which child to put on a care meeting, or take off it again (privacy/erase.ts `removeSibling`). */
export const siblingInput = z.object({
	studentId: z.string().trim().min(1, 'required').max(40, 'too_long')
});

/** What putting a sibling on a meeting, or taking one off (privacy/erase.ts), comes to. */
export type SiblingResult =
	| {
			ok: true;
			studentId: string;
			/** After taking a child off: whether the actor may still open the meeting. */
			keepsAccess?: boolean;
	  }
	| { ok: false; status: 400; errors: Record<string, string> }
	| { ok: false; status: 403 | 404 };

/**
 * Put a sibling on a care meeting (a family with several children holds one meeting, each child
 * with its own column of own words). The sibling is loaded within the board's school (another
 * school's id is not found: 404); who may, `mayAddSibling` (403 otherwise). The row and its
 * audit entry are one transaction; then the participant list in the board's document is
 * rewritten, so the sibling's face and column appear on every open device and the sync server
 * accepts words in that column.
 */
export async function addSibling(
	database: Database,
	actor: Actor,
	b: Board,
	input: unknown,
	runtime?: Runtime
): Promise<SiblingResult> {
	const parsed = siblingInput.safeParse(input);
	if (!parsed.success) return { ok: false, status: 400, errors: { studentId: 'required' } };
	const sibling = await loadStudent(database, b.schoolId, parsed.data.studentId);
	if (!sibling) return { ok: false, status: 404 };
	if (!(await mayAddSibling(database, actor, b, sibling))) return { ok: false, status: 403 };
	await database.transaction(async (tx) => {
		await tx
			.insert(boardStudent)
			.values({
				boardId: b.id,
				studentId: sibling.id,
				schoolId: b.schoolId,
				addedById: actor.kind === 'user' ? actor.user.id : null
			})
			.onConflictDoNothing();
		await recordAudit(tx, {
			schoolId: b.schoolId,
			who: actor,
			action: 'board.sibling_add',
			subjectType: 'board',
			subjectId: b.id,
			// The sibling and the children already on the meeting: it is in each one's file now.
			...(await boardStudents(tx, b))
		});
	});
	await refreshMeetingParticipants(b, runtime);
	return { ok: true, studentId: sibling.id };
}

/**
 * Students the actor could add to this care meeting as a sibling: those they may start
 * conversations for (their mentees; an admin every student), of the school, not on the board.
 */
export async function siblingCandidates(database: Queryable, actor: Actor, b: Board) {
	if (actor.kind !== 'user' || b.kind !== 'zorgoverleg' || !b.studentId) return [];
	const onBoard = new Set(await boardChildIds(database, b));
	const visible = await studentsVisibleTo(database, actor);
	return visible
		.filter((s) => !onBoard.has(s.id) && (actor.user.role === 'admin' || s.mine))
		.map((s) => ({ id: s.id, name: `${s.firstName} ${s.lastName}`.trim(), group: s.groupName }));
}

/**
 * The children on this care meeting the actor could take off it again (`mayRemoveSibling`), with
 * their names: none on a meeting for one child.
 */
export async function removableSiblings(database: Queryable, actor: Actor, b: Board) {
	if (actor.kind !== 'user' || b.kind !== 'zorgoverleg') return [];
	const children = await boardChildIds(database, b);
	if (children.length < 2) return [];
	const removable: Array<{ id: string; name: string }> = [];
	for (const id of children) {
		const s = await loadStudent(database, b.schoolId, id);
		if (s && (await mayRemoveSibling(database, actor, b, s))) {
			removable.push({ id: s.id, name: `${s.firstName} ${s.lastName}`.trim() });
		}
	}
	return removable;
}

/* ------------------------------------------------------------------ ending a meeting */

export const endMeetingInput = z.object({
	/** The meeting the browser saw running: ending it twice writes one record. */
	startedAt: z.string().trim().min(1, 'required').max(40, 'too_long')
});

export type EndMeetingOutcome = EndSessionOutcome;

type Derived =
	{ kind: 'ended'; record: MeetingRecordData } | { kind: 'not_running' } | { kind: 'unrecordable' };

export async function endCareMeeting(
	b: Pick<Board, 'id' | 'teamId'>,
	actor: Actor,
	input: z.output<typeof endMeetingInput>,
	now = new Date()
): Promise<EndMeetingOutcome> {
	let stored: { id: number; created: boolean } | null = null;
	const { result } = await editBoardDoc<Derived>(
		b.id,
		(doc) => {
			const meeting = getMeeting(doc);
			if (!meeting.active || meeting.startedAt !== input.startedAt) return { kind: 'not_running' };
			let record: MeetingRecordData;
			try {
				record = buildMeetingRecord(doc, now);
			} catch {
				return { kind: 'unrecordable' };
			}
			endMeeting(doc, SERVER_ORIGIN);
			return { kind: 'ended', record };
		},
		{
			commit: async (tx, derived) => {
				if (derived.kind === 'ended') {
					stored = await storeMeetingRecord(tx, b, derived.record, actorId(actor));
				}
			}
		}
	);
	return endingOutcome(result, stored, () => findMeetingRecordId(db(), b.id, input.startedAt));
}

/* ------------------------------------------------------------------ records */

/** Keep one meeting's record (once per meeting, keyed by its start); call inside a transaction. */
export async function storeMeetingRecord(
	database: Queryable,
	b: Pick<Board, 'id' | 'teamId'>,
	data: MeetingRecordData,
	createdById: string | null
): Promise<{ id: number; created: boolean }> {
	const [row] = await database
		.insert(boardRecord)
		.values({
			boardId: b.id,
			teamId: b.teamId,
			kind: MEETING_RECORD,
			key: data.startedAt,
			data,
			createdById
		})
		.onConflictDoNothing({
			target: [boardRecord.boardId, boardRecord.kind, boardRecord.key]
		})
		.returning({ id: boardRecord.id });
	if (row) return { id: row.id, created: true };
	const existing = await findMeetingRecordId(database, b.id, data.startedAt);
	if (existing === null) throw new Error('meeting record conflict without a record');
	return { id: existing, created: false };
}

export function findMeetingRecordId(database: Queryable, boardId: string, startedAt: string) {
	return findRecordId(database, boardId, MEETING_RECORD, startedAt);
}

/** One record of this board (never another board's: the board id is part of the lookup). */
export async function getMeetingRecord(database: Queryable, boardId: string, id: number) {
	const [row] = await database
		.select({ id: boardRecord.id, data: boardRecord.data })
		.from(boardRecord)
		.where(
			and(
				eq(boardRecord.id, id),
				eq(boardRecord.boardId, boardId),
				eq(boardRecord.kind, MEETING_RECORD)
			)
		)
		.limit(1);
	const parsed = row ? meetingRecordData.safeParse(row.data) : null;
	return row && parsed?.success ? { id: row.id, data: parsed.data } : null;
}

/** The board's past meetings, newest first (id and start, for links to their summaries). */
export async function listMeetingRecords(database: Queryable, boardId: string, limit = 20) {
	const rows = await database
		.select({ id: boardRecord.id, key: boardRecord.key })
		.from(boardRecord)
		.where(and(eq(boardRecord.boardId, boardId), eq(boardRecord.kind, MEETING_RECORD)))
		.orderBy(desc(boardRecord.createdAt), desc(boardRecord.id))
		.limit(limit);
	// The key is the meeting's start (an ISO instant): the page shows its day in school time.
	return rows.map((r) => ({ id: r.id, startedAt: r.key ?? '' }));
}

/** Which of the child's words a summary reader may see (zorgoverleg.ts `wordsFor`). */
export function summaryReaderOf(actor: Actor): SummaryReader {
	// A student through their own link is the child of their conversations, not staff.
	if (actor.kind === 'student') return 'child';
	if (actor.kind !== 'guest') return 'staff';
	if (actor.role === 'child') return 'child';
	if (actor.role === 'partner') return 'care';
	// Parents, and any other link: only what the child chose to take home.
	return 'family';
}

/** The record as this reader may read it: the child's words filtered on the server. */
export function meetingSummaryFor(data: MeetingRecordData, actor: Actor) {
	const reader = summaryReaderOf(actor);
	return { reader, data: { ...data, words: wordsFor(data.words, reader) } };
}

/** What the care meeting's board page needs beside the live document. */
export async function loadMeetingPage(
	database: Queryable,
	b: Board,
	actor: Actor,
	role: BoardRole | null
) {
	return {
		participants: await meetingParticipants(database, b),
		records: await listMeetingRecords(database, b.id),
		mayEnd: mayEndSession(actor, role),
		/** Child mode is on by default for the child's own device. */
		isChild: role === 'child',
		siblings: role === 'owner' ? await siblingCandidates(database, actor, b) : [],
		removable: role === 'owner' ? await removableSiblings(database, actor, b) : []
	};
}
