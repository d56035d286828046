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

/**
 * Digits a key at either end of a list is stepped at. Halving the gap to the end (what
 * `midpoint` does) adds a digit every five or so moves to the front or additions at the end, so
 * a board used for a year grew keys past what the sync guard accepts (128 characters) and its
 * editors were cut off. Stepping by one unit in the fourth digit instead keeps such keys at four
 * digits for hundreds of thousands of moves (36^4 / 2 from the middle either way).
 */
const STEP_DIGITS = 4;

/** `key` cut or padded to STEP_DIGITS digits, stepped by `delta` (±1); null on over/underflow. */
function step(key: string, delta: 1 | -1): string | null {
	const digits = key.padEnd(STEP_DIGITS, '0').slice(0, STEP_DIGITS).split('');
	for (let i = STEP_DIGITS - 1; i >= 0; i--) {
		const next = DIGITS.indexOf(digits[i]!) + delta;
		if (next >= 0 && next < DIGITS.length) {
			digits[i] = DIGITS.charAt(next);
			// Keys never end in '0' (there must be room before them); trailing zeros add no value.
			const result = digits.join('').replace(/0+$/, '');
			return result === '' ? null : result;
		}
		digits[i] = DIGITS.charAt(delta === 1 ? 0 : DIGITS.length - 1);
	}
	return null;
}

/** A key strictly between `before` and `after` (either may be null for "the start/the end"). */
export function keyBetween(before: string | null, after: string | null): string {
	if (before !== null && after !== null && before >= after) {
		// Concurrent edits can leave equal keys; fall back to just after `before`.
		return midpoint(before, null);
	}
	// At an end: a short step, when there is room for one (else halve, as between two keys).
	if (before !== null && after === null) return step(before, 1) ?? midpoint(before, null);
	if (before === null && after !== null) return step(after, -1) ?? midpoint('', after);
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
