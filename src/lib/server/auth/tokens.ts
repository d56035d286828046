/**
 * Random tokens the Lucia way: `id.secret`, each part 24 characters of a 32-letter alphabet
 * (120 bits, as much as a UUID v4). Only SHA-256(secret) is stored; comparing hashes is
 * constant-time so a timing side channel reveals nothing.
 */
import { constantTimeEqual as oslojsConstantTimeEqual } from '@oslojs/crypto/subtle';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789'; // no l, o, 0, 1: readable when typed

export function randomString(length = 24): string {
	const bytes = new Uint8Array(length);
	crypto.getRandomValues(bytes);
	let out = '';
	// 256 is a multiple of 32, so `byte >> 3` is uniform over the alphabet.
	for (const byte of bytes) out += alphabet[byte >> 3];
	return out;
}

/** Ids for rows: 16 characters, 80 bits; unguessable enough to appear in URLs. */
export function newId(): string {
	return randomString(16);
}

export function hashSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
	return a.byteLength === b.byteLength && oslojsConstantTimeEqual(a, b);
}

export interface SplitToken {
	id: string;
	secret: string;
}

export function generateToken(): SplitToken & { token: string } {
	const id = randomString(24);
	const secret = randomString(24);
	return { id, secret, token: `${id}.${secret}` };
}

/** Parse `id.secret`; anything else (tampered, truncated, too long) is null, never a throw. */
export function splitToken(token: string | undefined | null): SplitToken | null {
	if (!token || token.length > 100) return null;
	const parts = token.split('.');
	if (parts.length !== 2) return null;
	const [id, secret] = parts as [string, string];
	const ok = /^[a-z2-9]{24}$/;
	if (!ok.test(id) || !ok.test(secret)) return null;
	return { id, secret };
}

export const encodeHex = (bytes: Uint8Array) => encodeBase32LowerCaseNoPadding(bytes);
