/** The kinds of board Groeibord knows; the database enum is built from this list. */
export const boardKinds = [
	'verbeterbord',
	'zorgbord',
	'klassenbord',
	'voortgangsbord',
	'leerlingbespreking',
	'zorgoverleg',
	'driehoeksgesprek'
] as const;

export type BoardKind = (typeof boardKinds)[number];

/** Boards about one child: team membership alone does not open them. */
export const personalBoardKinds: readonly BoardKind[] = ['zorgoverleg', 'driehoeksgesprek'];

/** Boards a whole team works on together. */
export const teamBoardKinds: BoardKind[] = boardKinds.filter(
	(k) => !personalBoardKinds.includes(k)
);
