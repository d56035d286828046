/**
 * The peers list at the top of a board is one line high whatever the screen: it shows as many
 * people as a width holds and one "+N" item for the rest. How many is a fixed number per
 * viewport width (`PEER_FITS`, matched by the media queries in LiveBoard.svelte), not measured,
 * so presence arriving never makes the page reflow twice and a phone shows the same as the last
 * time. Names that are long are cut short with an ellipsis in CSS, so these counts fit.
 */

/** Items the list holds (a "+N" included) per viewport: `s` below 40rem, `m` below 64rem, `l`. */
export const PEER_FITS = { s: 2, m: 3, l: 5 } as const;
export type PeerWidth = keyof typeof PEER_FITS;

export interface PeerSplit<T> {
	shown: T[];
	/** Everyone behind the "+N" item; empty when all fit. */
	more: T[];
}

/**
 * Split the people on the board for a list of at most `fit` items: everyone when they fit, else
 * the first `fit - 1` and a "+N" for the others. The viewer (`self`) comes first and is never
 * behind the "+N", so it counts others only ("+3 anderen").
 */
export function splitPeers<T extends { self: boolean }>(
	peers: readonly T[],
	fit: number
): PeerSplit<T> {
	const ordered = [...peers.filter((p) => p.self), ...peers.filter((p) => !p.self)];
	if (ordered.length <= fit) return { shown: ordered, more: [] };
	const keep = Math.max(1, fit - 1);
	return { shown: ordered.slice(0, keep), more: ordered.slice(keep) };
}
