/**
 * What every part of a live verbeterbord shares: the sync session, its read model, who is
 * looking and what they may do, the cards grouped per column, and the board's operations as the
 * UI calls them. One instance per mounted board, handed down through a typed context, so a
 * column or a card never needs a chain of props.
 */
import { createContext } from 'svelte';
import { m } from '$lib/paraglide/messages';
import {
	mayChangeCard,
	scopeAllowsErase,
	type Capabilities,
	type EraseScope
} from '$lib/board/capabilities';
import {
	addCard,
	defaultAreas,
	deleteCard,
	groupByArea,
	moveCard,
	moveTargets,
	nudgeCard,
	updateCard,
	type ActionStatus,
	type Area,
	type Card
} from '$lib/board/verbeterbord';
import type { BoardSession, Peer } from '$lib/sync/board-session.svelte';
import { eraseCardForGood } from '$lib/sync/erase-card';
import { BoardView } from './board-view.svelte';
import { CardDrag } from './card-drag.svelte';
import { areaLabel, statusLabel } from './labels';

/** Who is at the board; read through a getter, so a change of page data reaches the board. */
export interface BoardViewer {
	kind: string;
	caps: Capabilities;
	actorKey: string;
	viewerName: string;
	isWall: boolean;
	/** The board's team, for the faces on a wall's check-in (names only). */
	team: readonly string[];
	/** Which cards this viewer may erase for good (the server's answer, from the page load). */
	eraseScope: EraseScope;
}

/** Where a card goes: a column, and a neighbour to sit before or after. */
export type Placement = { area: Area; beforeId?: string | null; afterId?: string | null };

const ORIGIN = 'local';
/** Long enough to read a short sentence at a wall. */
const NOTICE_MS = 5000;

export class LiveBoardState {
	readonly session: BoardSession;
	readonly view: BoardView;
	readonly drag: CardDrag;
	readonly #viewer: () => BoardViewer;

	/** The card whose sheet is open, if any. */
	sheetFor = $state<string | null>(null);
	/** The last change in words, for a polite live region. */
	announcement = $state('');
	/** A refusal the person at the board must see (a drop into another kind), for a moment. */
	notice = $state('');
	#noticeTimer: ReturnType<typeof setTimeout> | undefined;

	viewer: BoardViewer;
	pupil: boolean;
	shown: Area[];
	/** Grouped once per change of the cards, not once per column per render. */
	byArea: Record<Area, Card[]>;
	goals: Card[];
	peers: Peer[];
	sheetCard: Card | null;

	constructor(session: BoardSession, viewer: () => BoardViewer) {
		this.session = session;
		this.view = new BoardView(session.doc);
		this.#viewer = viewer;
		// Declared here, after the session and its view exist, since they derive from both.
		this.viewer = $derived.by(() => this.#viewer());
		this.pupil = $derived(this.view.settings.pupilMode || this.viewer.kind === 'klassenbord');
		this.shown = $derived(
			defaultAreas(this.viewer.kind).filter((a) => !this.view.settings.hiddenAreas.includes(a))
		);
		this.byArea = $derived(groupByArea(this.view.cards, this.shown));
		this.goals = $derived(this.view.cards.filter((c) => c.type === 'goals'));
		this.peers = $derived(this.session.peers.filter((p) => p.name));
		this.sheetCard = $derived(this.view.cards.find((c) => c.id === this.sheetFor) ?? null);
		this.drag = new CardDrag(
			(position) => session.setDrag(position),
			(id, to) => {
				const card = this.view.cards.find((c) => c.id === id);
				if (card && this.mayChange(card)) this.move(card, to);
			}
		);
	}

	get doc() {
		return this.session.doc;
	}

	label = (area: Area) => areaLabel(area, this.view.settings, this.pupil);

	mayChange = (card: Card) => mayChangeCard(this.viewer.caps, this.viewer.actorKey, card.createdBy);

	mayErase = (card: Card) => scopeAllowsErase(this.viewer.eraseScope, card.type);

	/** Columns this card may move to (same kind, or a note taken up). */
	targetsOf = (card: Card) => moveTargets(card.type, this.shown);

	/** Someone else is dragging or editing this card right now. */
	busy = (card: Card) =>
		this.peers.some((p) => !p.self && (p.drag?.id === card.id || p.editing === card.id));

	add(area: Area, values: Record<string, string>) {
		const result = addCard(this.doc, { ...values, type: area }, ORIGIN, {
			createdBy: this.viewer.actorKey,
			createdByName: this.viewer.viewerName
		});
		if (!result.ok) return result.errors;
		this.announcement = m.vb_added({ title: String(values.title ?? '').trim() });
		return null;
	}

	update(card: Card, values: Record<string, unknown>) {
		const result = updateCard(this.doc, card.id, values, ORIGIN);
		return result.ok ? null : result.errors;
	}

	setStatus(card: Card, status: ActionStatus) {
		if (this.update(card, { status })) return;
		this.announcement = m.wl_status_set({ title: card.title, status: statusLabel(status) });
	}

	/** Move a card; refused between kinds, with a message instead of a silent change of kind. */
	move(card: Card, to: Placement): boolean {
		const result = moveCard(this.doc, card.id, to, ORIGIN);
		if (!result.ok) {
			this.notice = m.wl_drop_refused({ area: this.label(to.area) });
			clearTimeout(this.#noticeTimer);
			this.#noticeTimer = setTimeout(() => (this.notice = ''), NOTICE_MS);
			return false;
		}
		if (to.area !== card.type) {
			this.announcement = m.vb_moved({ title: card.title, area: this.label(to.area) });
		}
		return true;
	}

	nudge(card: Card, direction: -1 | 1) {
		nudgeCard(this.doc, card.id, direction, ORIGIN);
	}

	remove(card: Card) {
		if (this.sheetFor === card.id) this.sheetFor = null;
		deleteCard(this.doc, card.id, ORIGIN);
		this.announcement = m.wl_deleted({ title: card.title });
	}

	/**
	 * Erase a card from the board and its history, on the server. The card leaves this board
	 * through the live room like any other change; false when the server did not erase it.
	 */
	async erase(card: Card): Promise<boolean> {
		if (!(await eraseCardForGood(this.session.boardId, card.id))) return false;
		if (this.sheetFor === card.id) this.sheetFor = null;
		this.announcement = m.er_card_done({ title: card.title });
		return true;
	}

	destroy() {
		clearTimeout(this.#noticeTimer);
		this.view.destroy();
	}
}

export const [getLiveBoard, setLiveBoard] = createContext<LiveBoardState>();
