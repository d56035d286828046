/**
 * What Groeibord stores, per kind of data, with the tables that hold it and how long it is kept.
 * The public privacy page and the README section are written from this list; a unit test
 * checks that every table in db/schema.ts is in it, so a new table cannot go unmentioned. The
 * periods come from the same constants the retention run uses (board/retention.ts).
 */
import { getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { fixedRetention, retentionDefaults } from '../../board/retention';
import { KNOWN_DEVICE_DAYS } from '../auth/known-device';
import * as schema from '../db/schema';

export type Keep =
	| { kind: 'file'; years: number }
	| { kind: 'care'; years: number }
	| { kind: 'audit'; months: number }
	| { kind: 'session' }
	| { kind: 'attempts'; hours: number }
	| { kind: 'device'; days: number }
	| { kind: 'invite' }
	| { kind: 'school' };

export const dataKinds = [
	'school',
	'staff',
	'student',
	'consent',
	'growth',
	'boards',
	'care',
	'access',
	'attempts',
	'devices',
	'audit'
] as const;
export type DataKind = (typeof dataKinds)[number];

const file: Keep = { kind: 'file', years: retentionDefaults.studentFileYears };

const catalogue: Record<DataKind, { tables: PgTable[]; keep: Keep }> = {
	school: {
		tables: [
			schema.school,
			schema.team,
			schema.teamMember,
			schema.criteriaSet,
			schema.criteriaSetVersion
		],
		keep: { kind: 'school' }
	},
	staff: { tables: [schema.user, schema.loginNotice], keep: { kind: 'school' } },
	student: {
		tables: [schema.student, schema.media, schema.studentEvent, schema.studentLink],
		keep: file
	},
	consent: { tables: [schema.photoConsent], keep: file },
	growth: {
		tables: [
			schema.evidence,
			schema.assessment,
			schema.studentGoal,
			schema.goalStep,
			schema.reviewRound,
			schema.reviewAdvice,
			schema.reviewComment,
			schema.reviewDecision,
			schema.reviewAction
		],
		keep: file
	},
	// Team boards stay while the school uses them; a child's own boards go with the file.
	boards: {
		tables: [
			schema.board,
			schema.boardMember,
			// The siblings on a care meeting: goes with the board, and with each child's file.
			schema.boardStudent,
			schema.boardUpdate,
			schema.boardSnapshot,
			schema.boardClient,
			schema.boardRecord
		],
		keep: { kind: 'school' }
	},
	care: {
		tables: [schema.board, schema.boardUpdate, schema.boardSnapshot, schema.boardRecord],
		keep: { kind: 'care', years: retentionDefaults.careNotesYears }
	},
	access: {
		tables: [schema.session, schema.boardInvite, schema.staffInvite, schema.wallPairing],
		keep: { kind: 'invite' }
	},
	attempts: {
		tables: [schema.loginAttempt],
		keep: { kind: 'attempts', hours: fixedRetention.loginAttemptHours }
	},
	devices: { tables: [schema.knownDevice], keep: { kind: 'device', days: KNOWN_DEVICE_DAYS } },
	audit: {
		tables: [schema.auditLog],
		keep: { kind: 'audit', months: retentionDefaults.auditMonths }
	}
};

/** The catalogue with table names, in the order the privacy page shows it. */
export function storedData(): Array<{ kind: DataKind; tables: string[]; keep: Keep }> {
	return dataKinds.map((kind) => ({
		kind,
		tables: catalogue[kind].tables.map((t) => getTableName(t)),
		keep: catalogue[kind].keep
	}));
}
