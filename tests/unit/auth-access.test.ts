import { describe, expect, it } from 'vitest';
import { parseStudentList, splitName } from '../../src/lib/server/access/students';
import {
	CODE_ALPHABET,
	CODE_LENGTH,
	generatePairingCode,
	normaliseCode
} from '../../src/lib/server/access/pairing';
import { inviteSchema, displayNameSchema } from '../../src/lib/server/access/sharing';
import { generateToken, splitToken } from '../../src/lib/server/auth/tokens';

describe('parseStudentList', () => {
	it('reads "Voornaam Achternaam; groep" lines and keeps tussenvoegsels in the last name', () => {
		const lines = parseStudentList('Sam de Vries; groep 6b\n\nNoor Bakker;7a\r\nAyoub');
		expect(lines.map((l) => [l.line, l.firstName, l.lastName, l.groupName, l.error])).toEqual([
			[1, 'Sam', 'de Vries', 'groep 6b', null],
			[3, 'Noor', 'Bakker', '7a', null],
			[4, 'Ayoub', '', '', null]
		]);
	});

	it('reads spreadsheet columns separated by tabs', () => {
		const [a, b] = parseStudentList('Lotte\tvan den Berg\tSPM2A\nMila Jansen\tSPM2B');
		expect([a?.firstName, a?.lastName, a?.groupName]).toEqual(['Lotte', 'van den Berg', 'SPM2A']);
		expect([b?.firstName, b?.lastName, b?.groupName]).toEqual(['Mila', 'Jansen', 'SPM2B']);
	});

	it('gives each bad line its own error and keeps the raw text', () => {
		const lines = parseStudentList(
			`; 6b\nA;B;C;D\n${'x'.repeat(101)}\nKim; ${'g'.repeat(41)}\nGoed Kind; 6a`
		);
		expect(lines.map((l) => l.error)).toEqual([
			'name_missing',
			'too_many_fields',
			'name_too_long',
			'group_too_long',
			null
		]);
		expect(lines[1]?.raw).toBe('A;B;C;D');
	});

	it('splits names on any whitespace', () => {
		expect(splitName('  Jan   Klaas  ')).toEqual({ firstName: 'Jan', lastName: 'Klaas' });
	});
});

describe('pairing codes', () => {
	it('are six characters from the unambiguous alphabet', () => {
		for (let i = 0; i < 200; i++) {
			const code = generatePairingCode();
			expect(code).toHaveLength(CODE_LENGTH);
			for (const c of code) expect(CODE_ALPHABET).toContain(c);
		}
		expect(CODE_ALPHABET).not.toMatch(/[01OIL25SZB8G6]/);
	});

	it('accept what people type: lower case, spaces, dashes', () => {
		expect(normaliseCode(' ac-d 3x7 ')).toBe('ACD3X7');
	});
});

describe('guest invite input', () => {
	it('defaults to 24 hours and refuses more than 30 days or less than an hour', () => {
		expect(inviteSchema.parse({ role: 'viewer' }).expiresHours).toBe(24);
		expect(inviteSchema.safeParse({ role: 'viewer', expiresHours: '720' }).success).toBe(true);
		expect(inviteSchema.safeParse({ role: 'viewer', expiresHours: '721' }).success).toBe(false);
		expect(inviteSchema.safeParse({ role: 'viewer', expiresHours: '0' }).success).toBe(false);
		expect(inviteSchema.safeParse({ role: 'owner' }).success).toBe(false);
		expect(inviteSchema.parse({ role: 'child', singleUse: 'on' }).singleUse).toBe(true);
	});

	it('takes a display name of 1 to 60 characters', () => {
		expect(displayNameSchema.safeParse('   ').success).toBe(false);
		expect(displayNameSchema.parse('  Moeder van Sam ')).toBe('Moeder van Sam');
		expect(displayNameSchema.safeParse('x'.repeat(61)).success).toBe(false);
	});
});

describe('tokens', () => {
	it('refuse a tampered token', () => {
		const { token } = generateToken();
		expect(splitToken(token)).not.toBeNull();
		expect(splitToken(token + 'a')).toBeNull();
		expect(splitToken(token.replace('.', '-'))).toBeNull();
		expect(splitToken(token.toUpperCase())).toBeNull();
	});
});
