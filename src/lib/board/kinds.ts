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
