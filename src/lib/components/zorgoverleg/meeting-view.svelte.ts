/**
 * A read model of a care meeting's doc for components: re-read after every doc update (local
 * or remote), so the UI never holds its own copy of board state.
 */
import * as Y from 'yjs';
import { listParticipants, type Participant } from '$lib/board/participants';
import { getSettings, listCards, type Card, type CheckinScale } from '$lib/board/verbeterbord';
import {
	getMeeting,
	isEmptyMeeting,
	listMeetingCheckIns,
	type MeetingCheckIn,
	type MeetingState
} from '$lib/board/zorgoverleg';

export class MeetingView {
	cards = $state.raw<Card[]>([]);
	checkIns = $state.raw<MeetingCheckIn[]>([]);
	meeting = $state.raw<MeetingState>(getMeeting(new Y.Doc()));
	scale = $state<CheckinScale>('three');
	empty = $state(true);
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
		this.cards = listCards(doc);
		this.checkIns = listMeetingCheckIns(doc);
		this.meeting = getMeeting(doc);
		this.scale = getSettings(doc).checkinScale;
		this.empty = isEmptyMeeting(doc);
		this.participants = listParticipants(doc);
	}

	destroy() {
		this.#doc.off('update', this.#listener);
	}
}
