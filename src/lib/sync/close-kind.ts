/**
 * What a final close of the board socket (4400-4499, see server/protocol.ts) means for the
 * person at the board. Only 4401/4403 mean "no access"; a full board (4413) or a refused
 * change (4400) must say so, or people think they were thrown off the board.
 */
export type CloseKind = 'full' | 'refused' | 'denied';

export function closeKindOf(code: number): CloseKind {
	if (code === 4413) return 'full';
	if (code === 4401 || code === 4403) return 'denied';
	return 'refused';
}
