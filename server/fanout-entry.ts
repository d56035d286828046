/**
 * The entries of a board's Redis stream (fanout.ts), and their validation: whatever comes back
 * from Redis is checked before it touches a room; a malformed entry is skipped, never applied.
 *
 * Fields (binary-safe, ioredis' Buffer replies):
 * - `i` the publishing instance (its own entries are skipped when read back);
 * - `t` the kind: `u` a document update, `a` a presence (awareness) update, `s` "stored": the
 *   instance committed every update it published with a sequence number up to `n`,
 *   `v` a state vector: "send me what I lack" (answered with a `u` of the difference, and,
 *   when `r` is 1, with the answerer's own `v` and its connections' presence), `e` "erased":
 *   content was erased from the board (`m` `reload`: the store was re-encoded, so reload from
 *   it and tell app clients to drop their offline copy; `close`: the board is being deleted);
 * - `n` the publisher's sequence number of a `u` (0: a difference sent in answer to a `v`,
 *   which no `s` will ever cover) or the number a `s` confirms;
 * - `d` the bytes (update, awareness update or state vector).
 */
import { z } from 'zod';

const bytes = z.instanceof(Buffer).transform((b) => new Uint8Array(b));
const seq = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const instance = z.string().min(1).max(64);

export const streamEntrySchema = z.discriminatedUnion('t', [
	z.object({ t: z.literal('u'), i: instance, n: seq, d: bytes }),
	z.object({ t: z.literal('a'), i: instance, d: bytes }),
	z.object({ t: z.literal('s'), i: instance, n: seq }),
	z.object({ t: z.literal('v'), i: instance, d: bytes, r: z.enum(['0', '1']) }),
	z.object({ t: z.literal('e'), i: instance, m: z.enum(['reload', 'close']) })
]);

export type ErasureMode = Extract<StreamEntry, { t: 'e' }>['m'];

export type StreamEntry = z.infer<typeof streamEntrySchema>;

/** Flat field list for XADD. */
export function entryFields(entry: {
	t: StreamEntry['t'];
	i: string;
	n?: number;
	d?: Uint8Array;
	r?: '0' | '1';
	m?: ErasureMode;
}): Array<string | Buffer> {
	const fields: Array<string | Buffer> = ['t', entry.t, 'i', entry.i];
	if (entry.n !== undefined) fields.push('n', String(entry.n));
	if (entry.d !== undefined) fields.push('d', Buffer.from(entry.d));
	if (entry.r !== undefined) fields.push('r', entry.r);
	if (entry.m !== undefined) fields.push('m', entry.m);
	return fields;
}

/**
 * An XREAD/XRANGE reply's field list as an entry, or an error message. Text fields are read
 * as UTF-8; `d` stays binary.
 */
export function parseEntry(
	fields: Buffer[]
): { ok: true; entry: StreamEntry } | { ok: false; problem: string } {
	if (fields.length % 2 !== 0) return { ok: false, problem: 'odd field list' };
	const raw: Record<string, unknown> = {};
	for (let k = 0; k < fields.length; k += 2) {
		const name = fields[k]!.toString('utf8');
		const value = fields[k + 1]!;
		raw[name] = name === 'd' ? value : value.toString('utf8');
	}
	const parsed = streamEntrySchema.safeParse(raw);
	if (!parsed.success) return { ok: false, problem: parsed.error.issues[0]?.message ?? 'invalid' };
	return { ok: true, entry: parsed.data };
}

/** Milliseconds part of a stream id (`<ms>-<seq>`). */
export function idTime(id: string): number {
	return Number(id.split('-')[0]);
}
