/**
 * bytea for PGlite, in native code. PGlite 0.5's own codec turns every byte into a JavaScript
 * string and back (`toString(16)` per byte to send, `parseInt` per pair of hex digits to read):
 * a 100 KB board snapshot then costs tens of milliseconds of the server's only thread on every
 * load and every compaction, and each stored update pays it too. Node's hex codec does the same
 * conversion in C++. PostgreSQL's `bytea_output` is `hex` by default, which is all PGlite's own
 * parser reads as well.
 */

/** PostgreSQL's type id of bytea. */
export const BYTEA_OID = 17;

/** A Uint8Array as PostgreSQL's hex input format (`\x…`). */
export function serializeBytea(value: unknown): string {
	if (!(value instanceof Uint8Array)) throw new Error('Invalid input for bytea type');
	return '\\x' + Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
}

/** PostgreSQL's hex output format (`\x…`) as bytes. */
export function parseBytea(text: string): Uint8Array {
	if (!text.startsWith('\\x')) throw new Error('bytea: expected the hex output format');
	const bytes = Buffer.from(text.slice(2), 'hex');
	// Buffer.from stops at the first character that is not a hex digit instead of failing.
	if (bytes.byteLength * 2 !== text.length - 2) throw new Error('bytea: malformed hex');
	// A plain view, as PGlite's own parser returns (a small Buffer shares Node's pool: a view is
	// fine, its bytes are never reused).
	return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
