/**
 * A read model of a three-way talk's doc for components: re-read after every doc update (local
 * or remote), so the UI never holds its own copy of board state.
 */
import type * as Y from 'yjs';
import { listParticipants, type Participant } from '$lib/board/participants';
import { listCards, type Card } from '$lib/board/verbeterbord';
import {
	agreedGoals,
	listViews,
	talkEndedAt,
	talkStep,
	type GoalCard,
	type TalkStep,
	type ViewCard
} from '$lib/board/driehoeksgesprek';

export class TalkView {
	wishes = $state.raw<Card[]>([]);
	views = $state.raw<ViewCard[]>([]);
	evidence = $state.raw<Card[]>([]);
	goals = $state.raw<GoalCard[]>([]);
	actions = $state.raw<Card[]>([]);
	endedAt = $state('');
	step = $state<TalkStep>('prepare');
	/** Who takes part, as the server last wrote it into the document (participants.ts). */
	participants = $state.raw<Participant[]>([]);

	#doc: Y.Doc;
	#listener = () => this.#read();

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		doc.on('update', this.#listener);
		this.#read();
	}

	#read() {
		const doc = this.#doc;
		this.wishes = listCards(doc, 'wishes');
		this.views = listViews(doc);
		this.evidence = listCards(doc, 'evidence');
		this.goals = agreedGoals(doc);
		this.actions = listCards(doc, 'actions');
		this.endedAt = talkEndedAt(doc);
		this.step = talkStep(doc);
		this.participants = listParticipants(doc);
	}

	destroy() {
		this.#doc.off('update', this.#listener);
	}
}
