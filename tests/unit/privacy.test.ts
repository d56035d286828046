/**
 * Pure privacy rules: retention settings and their cut-offs, the 16+ consent renewal, and the
 * privacy page's catalogue naming every table the app has.
 */
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import {
	monthsBefore,
	readRetention,
	retentionCutoffs,
	retentionDefaults,
	retentionSettingsSchema
} from '../../src/lib/board/retention';
import * as schema from '../../src/lib/server/db/schema';
import { consentRenewalDue } from '../../src/lib/server/photos/consent';
import { storedData } from '../../src/lib/server/privacy/catalogue';

describe('retention settings', () => {
	it('default to the Dutch periods, also when the stored value is broken', () => {
		expect(readRetention({})).toEqual(retentionDefaults);
		expect(readRetention({ retention: { studentFileYears: 'veel' } })).toEqual(retentionDefaults);
		expect(readRetention({ retention: { studentFileYears: 5, careNotesYears: 1 } })).toEqual({
			studentFileYears: 5,
			careNotesYears: 1,
			auditMonths: 12
		});
	});

	it('refuse care notes kept longer than the file, and numbers out of range', () => {
		const bad = retentionSettingsSchema.safeParse({ studentFileYears: '2', careNotesYears: '3' });
		expect(bad.success).toBe(false);
		expect(bad.error?.issues[0]?.message).toBe('care_longer_than_file');
		expect(retentionSettingsSchema.safeParse({ auditMonths: '0' }).success).toBe(false);
		expect(retentionSettingsSchema.safeParse({ studentFileYears: '1.5' }).success).toBe(false);
	});

	it('count calendar months back, clamping to the end of a shorter month', () => {
		expect(monthsBefore(new Date('2027-03-31T10:00:00Z'), 1).toISOString()).toBe(
			'2027-02-28T10:00:00.000Z'
		);
		const cut = retentionCutoffs(retentionDefaults, new Date('2027-06-15T03:00:00Z'));
		expect(cut.studentLeftBefore.toISOString()).toBe('2025-06-15T03:00:00.000Z');
		expect(cut.auditBefore.toISOString()).toBe('2026-06-15T03:00:00.000Z');
		expect(cut.loginAttemptBefore.toISOString()).toBe('2027-06-14T03:00:00.000Z');
	});
});

describe('consent renewal at 16', () => {
	const now = new Date('2027-06-15T12:00:00Z');
	it('is due when a parent gave consent and the student is 16 now', () => {
		const parent = { status: 'given', givenBy: 'parent' } as const;
		expect(consentRenewalDue('2011-06-15', parent, now)).toBe(true);
		expect(consentRenewalDue('2011-06-16', parent, now)).toBe(false);
		expect(consentRenewalDue(null, parent, now)).toBe(false);
		expect(consentRenewalDue('2005-01-01', { status: 'given', givenBy: 'student' }, now)).toBe(
			false
		);
		expect(consentRenewalDue('2005-01-01', { status: 'withdrawn', givenBy: 'parent' }, now)).toBe(
			false
		);
		expect(consentRenewalDue('2005-01-01', undefined, now)).toBe(false);
	});
});

describe('the privacy page catalogue', () => {
	it('names every table in the schema, with the retention the job uses', () => {
		const tables = Object.values(schema)
			.filter((v) => is(v, PgTable))
			.map((t) => getTableName(t as PgTable));
		const listed = new Set(storedData().flatMap((d) => d.tables));
		expect(tables.filter((t) => !listed.has(t))).toEqual([]);
		const student = storedData().find((d) => d.kind === 'student')!;
		expect(student.keep).toEqual({ kind: 'file', years: retentionDefaults.studentFileYears });
	});
});
