/**
 * What the family may see of a conversation board (zorgoverleg, driehoeksgesprek): the rule the
 * sync server's family mirror (server/family-mirror.ts) applies to every top-level entry it
 * copies into a board's family part. Pure: plain values in, a yes or no out.
 *
 * Everything on the board reaches the family except the cards the child kept for the mentor
 * and the care team (`visibility: 'care'`). `meeting` cards are shown to everyone in the
 * meeting, parents included, so they are family too.
 */
import { personalBoardKinds, type BoardKind } from './kinds';

/** Board kinds that have a family part. */
export function hasFamilyPart(kind: BoardKind): boolean {
	return personalBoardKinds.includes(kind);
}

/**
 * May the family see this entry? `root` is the top-level map (`cards`, `checkins`, `settings`,
 * `session`), `value` the entry as plain data (a card's fields as an object).
 */
export function familySees(root: string, value: unknown): boolean {
	if (root !== 'cards') return true;
	if (typeof value !== 'object' || value === null) return true;
	return (value as { visibility?: unknown }).visibility !== 'care';
}
