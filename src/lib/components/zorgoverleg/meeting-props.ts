import type { Participant } from '$lib/board/participants';

/** What the board page hands a care meeting (src/lib/server/zorgoverleg.ts `loadMeetingPage`). */
export interface MeetingProps {
	boardId: string;
	canEdit: boolean;
	participants: Participant[];
	records: { id: number; startedAt: string }[];
	mayEnd: boolean;
	isChild: boolean;
	/** Students the viewer could put on this meeting as a sibling (staff who own it). */
	siblings: { id: string; name: string; group: string }[];
}
