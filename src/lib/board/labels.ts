import { m } from '$lib/paraglide/messages';
import type { BoardKind } from '$lib/board/kinds';

export function boardKindLabel(kind: BoardKind): string {
	switch (kind) {
		case 'verbeterbord':
			return m.board_kind_verbeterbord();
		case 'zorgbord':
			return m.board_kind_zorgbord();
		case 'klassenbord':
			return m.board_kind_klassenbord();
		case 'voortgangsbord':
			return m.board_kind_voortgangsbord();
		case 'leerlingbespreking':
			return m.board_kind_leerlingbespreking();
		case 'zorgoverleg':
			return m.board_kind_zorgoverleg();
		case 'driehoeksgesprek':
			return m.board_kind_driehoeksgesprek();
	}
}
