/**
 * Every table of Groeibord, in one file (drizzle). Keys are camelCase in TypeScript and
 * snake_case in SQL (drizzle `casing: 'snake_case'`). Migrations are generated from this file
 * with `npm run db:generate`; never hand-edit a released migration.
 *
 * What lives where: the live content of a board (cards, check-ins, stoplights as shown on the
 * wall) is a Yjs document stored as an append-only update log plus a compacted snapshot.
 * Everything that must be queried across boards, authorised, exported or erased (people,
 * access, photos, history of a student, session records, audit) is relational.
 */
import { sql } from 'drizzle-orm';
import {
	type AnyPgColumn,
	bigserial,
	bigint,
	boolean,
	customType,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { boardKinds, type BoardKind } from '../../board/kinds';
import { guestRoles } from '../../board/capabilities';
import { perspectives, type CriteriaContent } from '../../board/criteria';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	// postgres.js and PGlite both hand back a Buffer/Uint8Array; normalise to a plain view.
	fromDriver: (value) =>
		value instanceof Uint8Array
			? new Uint8Array(value.buffer, value.byteOffset, value.length)
			: value
});

const tstz = (name?: string) =>
	name
		? timestamp(name, { withTimezone: true, mode: 'date' })
		: timestamp({ withTimezone: true, mode: 'date' });
const createdAt = () => tstz().notNull().defaultNow();

/* ------------------------------------------------------------------ organisation */

export const school = pgTable('school', {
	id: text().primaryKey(),
	name: text().notNull(),
	isDemo: boolean().notNull().default(false),
	/** Retention and other school-wide settings, validated with zod in the app. */
	settings: jsonb().$type<Record<string, unknown>>().notNull().default({}),
	createdAt: createdAt()
});

export const user = pgTable(
	'user',
	{
		id: text().primaryKey(),
		schoolId: text()
			.notNull()
			.references(() => school.id, { onDelete: 'cascade' }),
		email: text().notNull(),
		name: text().notNull(),
		passwordHash: text(),
		/** School-wide role: admin (IB'er, team leader) or staff (teacher, mentor). */
		role: text({ enum: ['admin', 'staff'] }).notNull(),
		locale: text({ enum: ['nl', 'en'] }),
		deactivatedAt: tstz(),
		passwordChangedAt: tstz(),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('user_email_unique').on(sql`lower(${t.email})`), index().on(t.schoolId)]
);

export const team = pgTable(
	'team',
	{
		id: text().primaryKey(),
		schoolId: text()
			.notNull()
			.references(() => school.id, { onDelete: 'cascade' }),
		name: text().notNull(),
		/** Team settings: progress-wall flags, signal thresholds, check-in variant. */
		settings: jsonb().$type<Record<string, unknown>>().notNull().default({}),
		archivedAt: tstz(),
		createdAt: createdAt()
	},
	(t) => [index().on(t.schoolId)]
);

export const teamMember = pgTable(
	'team_member',
	{
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		userId: text()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.userId] }), index().on(t.userId)]
);

/** A link that lets a colleague set a password and join the school as staff. */
export const staffInvite = pgTable('staff_invite', {
	id: text().primaryKey(),
	schoolId: text()
		.notNull()
		.references(() => school.id, { onDelete: 'cascade' }),
	email: text().notNull(),
	name: text().notNull(),
	role: text({ enum: ['admin', 'staff'] }).notNull(),
	secretHash: bytea().notNull(),
	createdById: text().references(() => user.id, { onDelete: 'set null' }),
	expiresAt: tstz().notNull(),
	usedAt: tstz(),
	revokedAt: tstz(),
	createdAt: createdAt()
});

/* ------------------------------------------------------------------ students */

export const student = pgTable(
	'student',
	{
		id: text().primaryKey(),
		schoolId: text()
			.notNull()
			.references(() => school.id, { onDelete: 'cascade' }),
		teamId: text().references(() => team.id, { onDelete: 'set null' }),
		firstName: text().notNull(),
		lastName: text().notNull().default(''),
		/** Class or group label as the school uses it ("groep 6b", "SPM2A"). */
		groupName: text().notNull().default(''),
		mentorId: text().references(() => user.id, { onDelete: 'set null' }),
		/** Only the birth date decides who gives photo consent (parent under 16, student from 16). */
		birthDate: date({ mode: 'string' }),
		photoId: text(),
		/** Retention runs from here: the file is kept two years after the student leaves. */
		leftAt: tstz(),
		/**
		 * From 16 the student decides what their parents see (domain: "a student of 16+ decides
		 * what parents see"): `family` the cards marked for the family, as for younger children;
		 * `none` nothing of their conversation boards. Set by the student only, shown to the mentor.
		 */
		familyShare: text({ enum: ['family', 'none'] })
			.notNull()
			.default('family'),
		familyShareSetAt: tstz(),
		createdAt: createdAt(),
		updatedAt: createdAt()
	},
	(t) => [index().on(t.schoolId), index().on(t.teamId), index().on(t.mentorId)]
);

/** Consent for a photo, append-only: the newest row per student is the one in force. */
export const photoConsent = pgTable(
	'photo_consent',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		studentId: text()
			.notNull()
			.references(() => student.id, { onDelete: 'cascade' }),
		status: text({ enum: ['given', 'withdrawn'] }).notNull(),
		givenBy: text({ enum: ['parent', 'student'] }).notNull(),
		recordedById: text().references(() => user.id, { onDelete: 'set null' }),
		recordedAt: createdAt()
	},
	(t) => [index().on(t.studentId, t.recordedAt)]
);

/**
 * Images (student photos, and evidence of student work later), re-encoded and stripped of
 * metadata before they get here. Served only through an authorised route.
 */
export const media = pgTable(
	'media',
	{
		id: text().primaryKey(),
		schoolId: text()
			.notNull()
			.references(() => school.id, { onDelete: 'cascade' }),
		studentId: text().references(() => student.id, { onDelete: 'cascade' }),
		boardId: text(),
		purpose: text({ enum: ['student_photo', 'evidence'] }).notNull(),
		mime: text().notNull(),
		width: integer().notNull(),
		height: integer().notNull(),
		data: bytea().notNull(),
		thumbMime: text().notNull(),
		thumb: bytea().notNull(),
		createdById: text(),
		createdAt: createdAt()
	},
	(t) => [index().on(t.studentId)]
);

/**
 * The history of a student: stoplight changes, weekly updates, flags, review advice.
 * Feeds the timeline, the 8-week strip and the stagnation signals.
 */
export const studentEvent = pgTable(
	'student_event',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		studentId: text()
			.notNull()
			.references(() => student.id, { onDelete: 'cascade' }),
		boardId: text(),
		kind: text().notNull(),
		data: jsonb().$type<Record<string, unknown>>().notNull(),
		actorId: text(),
		actorName: text().notNull(),
		createdAt: createdAt()
	},
	(t) => [index().on(t.studentId, t.createdAt)]
);

/* ------------------------------------------------------------------ student review */

/**
 * A stoplight student review (leerlingbespreking) after a test period: subject teachers give
 * advice, mentors read it through, big questions go to the plenary meeting.
 */
export const reviewRound = pgTable(
	'review_round',
	{
		id: text().primaryKey(),
		schoolId: text()
			.notNull()
			.references(() => school.id, { onDelete: 'cascade' }),
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		title: text().notNull(),
		createdById: text().references(() => user.id, { onDelete: 'set null' }),
		closedAt: tstz(),
		createdAt: createdAt()
	},
	(t) => [index().on(t.teamId)]
);

/** One subject teacher's stoplight and one concrete advice for one student. */
export const reviewAdvice = pgTable(
	'review_advice',
	{
		id: text().primaryKey(),
		roundId: text()
			.notNull()
			.references(() => reviewRound.id, { onDelete: 'cascade' }),
		studentId: text()
			.notNull()
			.references(() => student.id, { onDelete: 'cascade' }),
		teacherId: text()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		subject: text().notNull(),
		stoplight: text({ enum: ['green', 'orange', 'red'] }).notNull(),
		advice: text().notNull(),
		createdAt: createdAt(),
		updatedAt: createdAt()
	},
	(t) => [
		uniqueIndex().on(t.roundId, t.studentId, t.teacherId, t.subject),
		index().on(t.roundId, t.studentId)
	]
);

/** A question from the mentor to the subject teacher about one advice, and the answers. */
export const reviewComment = pgTable(
	'review_comment',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		adviceId: text()
			.notNull()
			.references(() => reviewAdvice.id, { onDelete: 'cascade' }),
		authorId: text().references(() => user.id, { onDelete: 'set null' }),
		authorName: text().notNull(),
		body: text().notNull(),
		createdAt: createdAt()
	},
	(t) => [index().on(t.adviceId)]
);

/** The mentor's read-through: clear, or a big question for the plenary meeting. */
export const reviewDecision = pgTable(
	'review_decision',
	{
		roundId: text()
			.notNull()
			.references(() => reviewRound.id, { onDelete: 'cascade' }),
		studentId: text()
			.notNull()
			.references(() => student.id, { onDelete: 'cascade' }),
		status: text({ enum: ['clear', 'question'] }).notNull(),
		question: text().notNull().default(''),
		decidedById: text().references(() => user.id, { onDelete: 'set null' }),
		decidedAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.roundId, t.studentId] })]
);

/** What the plenary meeting agreed about a big question: an action with an owner and a date. */
export const reviewAction = pgTable(
	'review_action',
	{
		id: text().primaryKey(),
		roundId: text()
			.notNull()
			.references(() => reviewRound.id, { onDelete: 'cascade' }),
		studentId: text()
			.notNull()
			.references(() => student.id, { onDelete: 'cascade' }),
		outcome: text().notNull(),
		ownerId: text().references(() => user.id, { onDelete: 'set null' }),
		dueDate: date({ mode: 'string' }).notNull(),
		createdById: text().references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index().on(t.roundId)]
);

/** A student's own goal for the next period; feeds the mentor talk and the signals. */
export const studentGoal = pgTable(
	'student_goal',
	{
		id: text().primaryKey(),
		studentId: text()
			.notNull()
			.references(() => student.id, { onDelete: 'cascade' }),
		roundId: text().references(() => reviewRound.id, { onDelete: 'set null' }),
		text: text().notNull(),
		dueDate: date({ mode: 'string' }),
		status: text({ enum: ['open', 'progress', 'done'] })
			.notNull()
			.default('open'),
		/** 'student' when the student wrote it (guest session), else the staff member's name. */
		writtenBy: text().notNull(),
		/**
		 * Set on a goal agreed in a three-way talk (driehoeksgesprek): the talk's board, when it
		 * was agreed, and its actions (what, who, by when; validated in the app). Such goals show
		 * on the student's progress-wall card and page until done.
		 */
		boardId: text().references((): AnyPgColumn => board.id, { onDelete: 'set null' }),
		agreedAt: tstz(),
		/**
		 * When the goal was marked reached ("Gelukt"): the timeline's "reached on". Kept apart
		 * from `updatedAt`, which any later change moves.
		 */
		reachedAt: tstz(),
		actions: jsonb()
			.$type<{ what: string; who: string; due: string | null }[]>()
			.notNull()
			.default([]),
		createdAt: createdAt(),
		updatedAt: createdAt()
	},
	(t) => [index().on(t.studentId), index().on(t.boardId)]
);

/**
 * A small weekly step towards a goal (seed 003, weekly planning): the student (or the mentor
 * with them) plans it for a week and ticks it off. The mentor sees the plan in the weekly pass.
 */
export const goalStep = pgTable(
	'goal_step',
	{
		id: text().primaryKey(),
		schoolId: text()
			.notNull()
			.references(() => school.id, { onDelete: 'cascade' }),
		studentId: text()
			.notNull()
			.references(() => student.id, { onDelete: 'cascade' }),
		goalId: text()
			.notNull()
			.references(() => studentGoal.id, { onDelete: 'cascade' }),
		/** Monday of the week it is planned for. */
		weekOf: date({ mode: 'string' }).notNull(),
		text: text().notNull(),
		doneAt: tstz(),
		addedBy: text({ enum: perspectives }).notNull(),
		authorUserId: text().references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index().on(t.goalId, t.weekOf), index().on(t.studentId, t.weekOf)]
);

/* ------------------------------------------------------------------ boards */

export { boardKinds, type BoardKind };

export const board = pgTable(
	'board',
	{
		id: text().primaryKey(),
		schoolId: text()
			.notNull()
			.references(() => school.id, { onDelete: 'cascade' }),
		teamId: text().references(() => team.id, { onDelete: 'set null' }),
		/** Care meetings and three-way talks are about one student. */
		studentId: text().references(() => student.id, { onDelete: 'cascade' }),
		kind: text({ enum: boardKinds }).notNull(),
		title: text().notNull(),
		settings: jsonb().$type<Record<string, unknown>>().notNull().default({}),
		createdById: text().references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		updatedAt: createdAt(),
		archivedAt: tstz(),
		/**
		 * Set on the family part of a conversation board: a second document the server keeps in
		 * step with the main one, holding only what the family may see (server/family-mirror.ts).
		 * Such a row is storage, never a board anyone opens or lists by its own id.
		 */
		partOf: text().references((): AnyPgColumn => board.id, { onDelete: 'cascade' }),
		/** A three-way talk is held against one version of a criteria set, chosen when created. */
		criteriaVersionId: text().references((): AnyPgColumn => criteriaSetVersion.id, {
			onDelete: 'set null'
		})
	},
	(t) => [
		index().on(t.schoolId),
		index().on(t.teamId),
		index().on(t.studentId),
		uniqueIndex('board_part_of_unique').on(t.partOf)
	]
);

export const boardMember = pgTable(
	'board_member',
	{
		boardId: text()
			.notNull()
			.references(() => board.id, { onDelete: 'cascade' }),
		userId: text()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		role: text({ enum: ['owner', 'editor', 'viewer'] }).notNull(),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.boardId, t.userId] }), index().on(t.userId)]
);

/**
 * The other children of a care meeting that a family holds for several children at once: the
 * board's own `student_id` stays its first child (every rule that reads it keeps its meaning),
 * and each sibling added later is a row here, with its own column of own words on the board.
 * The school id is kept on the row so every lookup is scoped to the school in the query.
 */
export const boardStudent = pgTable(
	'board_student',
	{
		boardId: text()
			.notNull()
			.references(() => board.id, { onDelete: 'cascade' }),
		studentId: text()
			.notNull()
			.references(() => student.id, { onDelete: 'cascade' }),
		schoolId: text()
			.notNull()
			.references(() => school.id, { onDelete: 'cascade' }),
		addedById: text().references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.boardId, t.studentId] }), index().on(t.studentId)]
);

/** A guest link to one board (parent, student, care partner). Only the hash is stored. */
export const boardInvite = pgTable(
	'board_invite',
	{
		id: text().primaryKey(),
		boardId: text()
			.notNull()
			.references(() => board.id, { onDelete: 'cascade' }),
		secretHash: bytea().notNull(),
		role: text({ enum: guestRoles }).notNull(),
		/**
		 * A `child` link on a conversation board is one child's device: the child it was made for
		 * (one of the board's children; on a care meeting for several, not always the first). When
		 * that child leaves the meeting the link is revoked (privacy/erase.ts), so it never speaks
		 * for the sibling who is first next. Null for other roles, and on a board with no child.
		 */
		studentId: text().references(() => student.id, { onDelete: 'cascade' }),
		label: text().notNull().default(''),
		singleUse: boolean().notNull().default(false),
		usedCount: integer().notNull().default(0),
		expiresAt: tstz().notNull(),
		revokedAt: tstz(),
		createdById: text().references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index().on(t.boardId), index().on(t.studentId)]
);

/** Append-only log of Yjs updates per board; compaction folds it into board_snapshot. */
export const boardUpdate = pgTable(
	'board_update',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		boardId: text()
			.notNull()
			.references(() => board.id, { onDelete: 'cascade' }),
		data: bytea().notNull(),
		createdAt: createdAt()
	},
	(t) => [index().on(t.boardId, t.id)]
);

export const boardSnapshot = pgTable('board_snapshot', {
	boardId: text()
		.primaryKey()
		.references(() => board.id, { onDelete: 'cascade' }),
	data: bytea().notNull(),
	/** Highest board_update id folded into this snapshot. */
	upToUpdateId: bigint({ mode: 'number' }).notNull(),
	updatedAt: createdAt()
});

/**
 * Who first wrote each Yjs client id on a board (server/rooms.ts). Yjs trusts the client id
 * and clock of every struct, so a connection writing under someone else's id at the clocks they
 * will use next would make the server drop their real edits as already known. An id belongs to
 * the actor key (`actorId`) of the first connection that wrote it; others are refused.
 */
export const boardClient = pgTable(
	'board_client',
	{
		boardId: text()
			.notNull()
			.references(() => board.id, { onDelete: 'cascade' }),
		// Yjs client ids are random uint32s (53 bits at most); bigint keeps any of them.
		clientId: bigint({ mode: 'number' }).notNull(),
		actorKey: text().notNull(),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.boardId, t.clientId] })]
);

/** History kept next to a live board: session records, archived successes, decisions. */
export const boardRecord = pgTable(
	'board_record',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		boardId: text()
			.notNull()
			.references(() => board.id, { onDelete: 'cascade' }),
		teamId: text(),
		kind: text().notNull(),
		/**
		 * What makes a record unique on its board, so the server writes it once however often it
		 * is asked: a session record's session start, an archived success's card id.
		 */
		key: text(),
		data: jsonb().$type<Record<string, unknown>>().notNull(),
		createdById: text(),
		createdAt: createdAt()
	},
	(t) => [
		index().on(t.boardId, t.kind, t.createdAt),
		index().on(t.teamId, t.kind),
		// NULLs are distinct in PostgreSQL: rows without a key (older records) never collide.
		uniqueIndex('board_record_key_unique').on(t.boardId, t.kind, t.key)
	]
);

/* ------------------------------------------------------------------ growth */

/**
 * A set of success criteria with levels in words (src/lib/board/criteria.ts), a team's own
 * (or the school's, `teamId` null). Its content lives in versions, never rewritten.
 */
export const criteriaSet = pgTable(
	'criteria_set',
	{
		id: text().primaryKey(),
		schoolId: text()
			.notNull()
			.references(() => school.id, { onDelete: 'cascade' }),
		teamId: text().references(() => team.id, { onDelete: 'cascade' }),
		name: text().notNull(),
		createdById: text().references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		archivedAt: tstz()
	},
	(t) => [index().on(t.schoolId), index().on(t.teamId)]
);

/** One version of a criteria set's content; editing a set adds a version. */
export const criteriaSetVersion = pgTable(
	'criteria_set_version',
	{
		id: text().primaryKey(),
		setId: text()
			.notNull()
			.references(() => criteriaSet.id, { onDelete: 'cascade' }),
		version: integer().notNull(),
		content: jsonb().$type<CriteriaContent>().notNull(),
		createdById: text().references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('criteria_set_version_unique').on(t.setId, t.version)]
);

/**
 * Evidence of growth, the student's own: a photo of work (`media`, through the photo
 * pipeline), a short text, learning outside school. The student sees all of it, chooses what
 * to show in a talk, and can remove their own.
 */
export const evidence = pgTable(
	'evidence',
	{
		id: text().primaryKey(),
		schoolId: text()
			.notNull()
			.references(() => school.id, { onDelete: 'cascade' }),
		studentId: text()
			.notNull()
			.references(() => student.id, { onDelete: 'cascade' }),
		/** The criterion it shows growth on (a criterion id is stable across a set's versions). */
		setId: text().references(() => criteriaSet.id, { onDelete: 'set null' }),
		criterionId: text(),
		goalId: text().references(() => studentGoal.id, { onDelete: 'set null' }),
		text: text().notNull().default(''),
		mediaId: text().references(() => media.id, { onDelete: 'set null' }),
		outsideSchool: boolean().notNull().default(false),
		addedBy: text({ enum: perspectives }).notNull(),
		authorUserId: text().references(() => user.id, { onDelete: 'set null' }),
		authorName: text().notNull(),
		createdAt: createdAt()
	},
	(t) => [index().on(t.studentId, t.createdAt)]
);

/**
 * One perspective's view of where a student stands on one criterion, on one day: the
 * student's self-evaluation, the mentor's, or the home view. Written by the server (a form,
 * or derived from a three-way talk's document when it ends), never rewritten.
 */
export const assessment = pgTable(
	'assessment',
	{
		id: text().primaryKey(),
		schoolId: text()
			.notNull()
			.references(() => school.id, { onDelete: 'cascade' }),
		studentId: text()
			.notNull()
			.references(() => student.id, { onDelete: 'cascade' }),
		versionId: text()
			.notNull()
			.references(() => criteriaSetVersion.id, { onDelete: 'cascade' }),
		criterionId: text().notNull(),
		levelId: text().notNull(),
		perspective: text({ enum: perspectives }).notNull(),
		note: text().notNull().default(''),
		evidenceId: text().references(() => evidence.id, { onDelete: 'set null' }),
		/** The talk it was made in, if any. */
		boardId: text().references(() => board.id, { onDelete: 'set null' }),
		authorUserId: text().references(() => user.id, { onDelete: 'set null' }),
		authorName: text().notNull(),
		assessedOn: date({ mode: 'string' }).notNull(),
		createdAt: createdAt()
	},
	(t) => [index().on(t.studentId, t.criterionId, t.assessedOn), index().on(t.boardId)]
);

/**
 * A student's personal link: no account, opens the student's own conversation boards and
 * preparation pages on their own phone. Long-lived, revocable by the mentor (revoking ends
 * every session it opened). Only the hash of the secret is stored.
 */
export const studentLink = pgTable(
	'student_link',
	{
		id: text().primaryKey(),
		schoolId: text()
			.notNull()
			.references(() => school.id, { onDelete: 'cascade' }),
		studentId: text()
			.notNull()
			.references(() => student.id, { onDelete: 'cascade' }),
		secretHash: bytea().notNull(),
		createdById: text().references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		expiresAt: tstz().notNull(),
		lastUsedAt: tstz(),
		revokedAt: tstz()
	},
	(t) => [index().on(t.studentId)]
);

/* ------------------------------------------------------------------ access */

export const wallPairing = pgTable('wall_pairing', {
	id: text().primaryKey(),
	/** Hash of the short code the wall shows; a staff member types it on their phone. */
	codeHash: bytea().notNull(),
	/** Hash of the secret only the wall holds, so nobody else can collect the device session. */
	wallSecretHash: bytea().notNull(),
	status: text({ enum: ['pending', 'paired', 'claimed', 'revoked'] })
		.notNull()
		.default('pending'),
	schoolId: text().references(() => school.id, { onDelete: 'cascade' }),
	teamId: text().references(() => team.id, { onDelete: 'cascade' }),
	pairedById: text().references(() => user.id, { onDelete: 'set null' }),
	codeExpiresAt: tstz().notNull(),
	sessionExpiresAt: tstz(),
	revokedAt: tstz(),
	createdAt: createdAt()
});

/**
 * Sessions for staff, paired walls and guests. The token is `id.secret`; only the SHA-256 of
 * the secret is stored, so a database leak hands out no working session.
 */
export const session = pgTable(
	'session',
	{
		id: text().primaryKey(),
		secretHash: bytea().notNull(),
		kind: text({ enum: ['user', 'device', 'guest', 'student'] }).notNull(),
		userId: text().references(() => user.id, { onDelete: 'cascade' }),
		schoolId: text()
			.notNull()
			.references(() => school.id, { onDelete: 'cascade' }),
		teamId: text().references(() => team.id, { onDelete: 'cascade' }),
		boardId: text().references(() => board.id, { onDelete: 'cascade' }),
		guestRole: text({ enum: guestRoles }),
		displayName: text(),
		/**
		 * How a guest joined a conversation, shown with their name: parent, carer, youth care,
		 * truancy officer, social work, teacher, care coordinator, other (validated in the app).
		 */
		participantLabel: text(),
		inviteId: text().references(() => boardInvite.id, { onDelete: 'cascade' }),
		wallPairingId: text().references(() => wallPairing.id, { onDelete: 'cascade' }),
		/** A student's own session, opened through their personal link (`student_link`). */
		studentId: text().references(() => student.id, { onDelete: 'cascade' }),
		studentLinkId: text().references((): AnyPgColumn => studentLink.id, { onDelete: 'cascade' }),
		createdAt: createdAt(),
		lastActiveAt: createdAt(),
		/** Idle expiry, pushed forward on use (sliding). */
		expiresAt: tstz().notNull(),
		/** Hard limit no activity can extend. */
		absoluteExpiresAt: tstz().notNull()
	},
	(t) => [
		index().on(t.userId),
		index().on(t.inviteId),
		index().on(t.wallPairingId),
		index().on(t.studentLinkId)
	]
);

/**
 * Failed logins, for throttling per (account, client address) and per known device, under a
 * per-account ceiling (see auth/throttle.ts). `clientKey` is the address (IPv6 by /64);
 * `deviceId` is set when the try came with a valid known-device cookie for that account.
 */
export const loginAttempt = pgTable(
	'login_attempt',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		emailKey: text().notNull(),
		clientKey: text().notNull().default(''),
		deviceId: text(),
		createdAt: createdAt()
	},
	(t) => [
		index().on(t.emailKey, t.createdAt),
		index().on(t.emailKey, t.clientKey, t.createdAt),
		index().on(t.emailKey, t.deviceId, t.createdAt)
	]
);

/**
 * A browser that logged in to this account before: its long-lived cookie (`id.secret`, only
 * SHA-256 of the secret stored, like sessions) lets the owner past the per-account ceiling
 * that an attacker elsewhere may have filled.
 */
export const knownDevice = pgTable(
	'known_device',
	{
		id: text().primaryKey(),
		secretHash: bytea().notNull(),
		userId: text()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		createdAt: createdAt(),
		lastLoginAt: createdAt()
	},
	(t) => [index().on(t.userId)]
);

/** Failed logins since the owner's last login, shown on the account page after the next one. */
export const loginNotice = pgTable('login_notice', {
	userId: text()
		.primaryKey()
		.references(() => user.id, { onDelete: 'cascade' }),
	/** Counting since the last successful login. */
	failedSinceLogin: integer().notNull().default(0),
	/** What the counter held at the last successful login: the notice. */
	failedBeforeLogin: integer().notNull().default(0),
	lastLoginAt: tstz()
});

export type KnownDevice = typeof knownDevice.$inferSelect;

/* ------------------------------------------------------------------ privacy */

export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		schoolId: text(),
		actorKind: text({ enum: ['user', 'device', 'guest', 'student', 'system'] }).notNull(),
		actorId: text(),
		action: text().notNull(),
		subjectType: text(),
		subjectId: text(),
		studentId: text(),
		meta: jsonb().$type<Record<string, unknown>>().notNull().default({}),
		createdAt: createdAt()
	},
	(t) => [
		index().on(t.schoolId, t.createdAt),
		index().on(t.studentId),
		index().on(t.schoolId, t.actorId, t.createdAt)
	]
);

export type School = typeof school.$inferSelect;
export type User = typeof user.$inferSelect;
export type Team = typeof team.$inferSelect;
export type Student = typeof student.$inferSelect;
export type Board = typeof board.$inferSelect;
export type BoardMember = typeof boardMember.$inferSelect;
export type BoardInvite = typeof boardInvite.$inferSelect;
export type Session = typeof session.$inferSelect;
export type WallPairing = typeof wallPairing.$inferSelect;
export type Media = typeof media.$inferSelect;
export type StudentEvent = typeof studentEvent.$inferSelect;
export type BoardRecord = typeof boardRecord.$inferSelect;
export type ReviewRound = typeof reviewRound.$inferSelect;
export type ReviewAdvice = typeof reviewAdvice.$inferSelect;
export type StudentGoal = typeof studentGoal.$inferSelect;
export type CriteriaSet = typeof criteriaSet.$inferSelect;
export type CriteriaSetVersion = typeof criteriaSetVersion.$inferSelect;
export type Evidence = typeof evidence.$inferSelect;
export type Assessment = typeof assessment.$inferSelect;
export type StudentLink = typeof studentLink.$inferSelect;
export type GoalStep = typeof goalStep.$inferSelect;
