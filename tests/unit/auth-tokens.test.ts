import { describe, expect, it } from 'vitest';
import {
	constantTimeEqual,
	generateToken,
	hashSecret,
	newId,
	randomString,
	splitToken
} from '../../src/lib/server/auth/tokens';
import { checkPasswordStrength } from '../../src/lib/server/auth/password';

describe('tokens', () => {
	it('generates id.secret tokens of 2 × 120 bits that parse back', () => {
		const { id, secret, token } = generateToken();
		expect(token).toBe(`${id}.${secret}`);
		expect(id).toMatch(/^[a-z2-9]{24}$/);
		expect(splitToken(token)).toEqual({ id, secret });
	});

	it('never repeats (10 000 draws)', () => {
		const seen = new Set(Array.from({ length: 10_000 }, () => randomString()));
		expect(seen.size).toBe(10_000);
	});

	it('uses every letter of the alphabet about equally (no modulo bias)', () => {
		const counts = new Map<string, number>();
		for (const ch of randomString(64_000)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
		expect(counts.size).toBe(32);
		for (const n of counts.values()) expect(n).toBeGreaterThan(1700); // expected 2000
	});

	it.each([
		'',
		'abc',
		'a.b.c',
		`${'a'.repeat(24)}.${'a'.repeat(23)}`,
		`${'A'.repeat(24)}.${'a'.repeat(24)}`,
		`${'a'.repeat(24)}.${'a'.repeat(24)}x`,
		'x'.repeat(5000)
	])('rejects malformed token %j without throwing', (token) => {
		expect(splitToken(token)).toBeNull();
	});

	it('compares hashes in constant time and only equal ones match', () => {
		const a = hashSecret('secret-one');
		expect(constantTimeEqual(a, hashSecret('secret-one'))).toBe(true);
		expect(constantTimeEqual(a, hashSecret('secret-two'))).toBe(false);
		expect(constantTimeEqual(a, a.slice(0, 16))).toBe(false);
	});

	it('makes 16-character row ids', () => {
		expect(newId()).toMatch(/^[a-z2-9]{16}$/);
	});
});

describe('password strength', () => {
	it.each([
		['kort', 'too_short'],
		['wachtwoord123', 'too_common'],
		['aaaaaaaaaaaa', 'too_common'],
		['x'.repeat(300), 'too_long'],
		['paarse olifant op de fiets', null]
	])('%s → %s', (password, problem) => {
		expect(checkPasswordStrength(password)).toBe(problem);
	});
});
