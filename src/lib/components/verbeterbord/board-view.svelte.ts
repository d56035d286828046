/**
 * A read model of the verbeterbord doc for components: re-read after every doc update (local
 * or remote), so the UI never holds its own copy of board state.
 */
import * as Y from 'yjs';
import {
	checkInTally,
	getSession,
	getSettings,
	goalProgress,
	lastLeader,
	listCards,
	listCheckIns,
	type BoardSettings,
	type Card,
	type SessionState
} from '$lib/board/verbeterbord';

export class BoardView {
	cards = $state.raw<Card[]>([]);
	checkIns = $state.raw<ReturnType<typeof listCheckIns>>([]);
	tally = $state.raw<Record<number, number>>({});
	settings = $state.raw<BoardSettings>(getSettings(new Y.Doc()));
	session = $state.raw<SessionState>(getSession(new Y.Doc()));
	progress = $state.raw<Record<string, { done: number; total: number }>>({});
	lastLeader = $state<string | null>(null);

	#doc: Y.Doc;
	#listener = () => this.#read();

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		doc.on('update', this.#listener);
		this.#read();
	}

	#read() {
		const doc = this.#doc;
		this.cards = listCards(doc);
		this.checkIns = listCheckIns(doc);
		this.settings = getSettings(doc);
		this.tally = checkInTally(doc, this.settings.checkinScale);
		this.session = getSession(doc);
		this.lastLeader = lastLeader(doc);
		this.progress = Object.fromEntries(
			this.cards.filter((c) => c.type === 'goals').map((g) => [g.id, goalProgress(doc, g.id)])
		);
	}

	destroy() {
		this.#doc.off('update', this.#listener);
	}
}
