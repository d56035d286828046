/** Password hashing with argon2id at (above) the OWASP minimum: m=19 MiB, t=2, p=1. */
import { hash, verify } from '@node-rs/argon2';

const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const MIN_PASSWORD_LENGTH = 10;

// The most common passwords that are 10+ characters (breach corpora), plus local favourites.
const common = new Set([
	'1234567890',
	'0123456789',
	'12345678910',
	'1234567891',
	'qwertyuiop',
	'1q2w3e4r5t',
	'1qaz2wsx3edc',
	'password1!',
	'password12',
	'password123',
	'passw0rd123',
	'iloveyou12',
	'qwerty1234',
	'qwerty12345',
	'abcdefghij',
	'abcd123456',
	'aaaaaaaaaa',
	'welkom1234',
	'welkom12345',
	'wachtwoord',
	'wachtwoord1',
	'wachtwoord12',
	'wachtwoord123',
	'groeibord123',
	'groeibord-demo',
	'schooljaar2026',
	'zomer12345',
	'voetbal123',
	'ajax123456',
	'feyenoord1',
	'1111111111',
	'0000000000',
	'9876543210',
	'letmein123',
	'administrator',
	'changeme123'
]);

export type PasswordProblem = 'too_short' | 'too_common' | 'too_long';

export function checkPasswordStrength(password: string): PasswordProblem | null {
	if (password.length < MIN_PASSWORD_LENGTH) return 'too_short';
	// argon2 hashes anything, but a megabyte "password" is a denial-of-service attempt.
	if (password.length > 256) return 'too_long';
	if (common.has(password.toLowerCase())) return 'too_common';
	if (new Set(password).size < 3) return 'too_common';
	return null;
}

export function hashPassword(password: string): Promise<string> {
	return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

/** A hash to verify against when the account does not exist, so timing does not tell. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
	dummyHash ??= hash('not-a-real-password-at-all', options);
	return dummyHash;
}
