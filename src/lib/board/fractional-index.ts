/**
 * Fractional order keys: a card's position is a string that sorts between its neighbours, so
 * a move rewrites one field instead of re-inserting into a Y.Array (which would grow the doc
 * with every move). Keys use base-36 digits and never end in '0', so there is always room
 * between two keys. Two peers that pick the same key concurrently are ordered by card id.
 */
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

function midpoint(a: string, b: string | null): string {
	if (b !== null) {
		// Keep the common prefix, then find a key between the remainders.
		let n = 0;
		while ((a[n] ?? '0') === b[n]) n++;
		if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
	}
	const digitA = a ? DIGITS.indexOf(a.charAt(0)) : 0;
	const digitB = b !== null ? DIGITS.indexOf(b.charAt(0)) : DIGITS.length;
	if (digitB - digitA > 1) return DIGITS.charAt(Math.round((digitA + digitB) / 2));
	// The first digits are adjacent.
	if (b !== null && b.length > 1) return b.slice(0, 1);
	return DIGITS.charAt(digitA) + midpoint(a.slice(1), null);
}

/** A key strictly between `before` and `after` (either may be null for "the start/the end"). */
export function keyBetween(before: string | null, after: string | null): string {
	if (before !== null && after !== null && before >= after) {
		// Concurrent edits can leave equal keys; fall back to just after `before`.
		return midpoint(before, null);
	}
	return midpoint(before ?? '', after);
}

/** Compare two (order, id) pairs: order first, id breaks ties so every peer agrees. */
export function compareOrder(
	a: { order: string; id: string },
	b: { order: string; id: string }
): number {
	if (a.order !== b.order) return a.order < b.order ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
