/**
 * "Zo werkt dit bord": what happens on a board of this kind, in the order a session goes. Only
 * the boards with the verbeterbord layout; the conversation boards have their own start screens.
 */
import type { BoardKind } from '$lib/board/kinds';
import { m } from '$lib/paraglide/messages';

export const introSteps: Partial<Record<BoardKind, Array<() => string>>> = {
	verbeterbord: [
		m.intro_verbeterbord_1,
		m.intro_verbeterbord_2,
		m.intro_verbeterbord_3,
		m.intro_verbeterbord_4
	],
	zorgbord: [m.intro_zorgbord_1, m.intro_zorgbord_2, m.intro_zorgbord_3, m.intro_zorgbord_4],
	klassenbord: [
		m.intro_klassenbord_1,
		m.intro_klassenbord_2,
		m.intro_klassenbord_3,
		m.intro_klassenbord_4
	]
};

/** Does an empty board of this kind open with the intro? */
export function hasIntro(kind: BoardKind): boolean {
	return kind in introSteps;
}
