import type { CriteriaContent, Perspective } from '$lib/board/criteria';
import type { CriterionSignal } from '$lib/board/growth-timeline';
import type { Participant } from '$lib/board/participants';

/** What the board page hands a three-way talk (src/lib/server/driehoeksgesprek.ts `loadTalkPage`). */
export interface TalkProps {
	boardId: string;
	canEdit: boolean;
	criteria: CriteriaContent | null;
	participants: Participant[];
	recordId: number | null;
	mayEnd: boolean;
	/** Whose view this reader gives (none for a viewer or a care partner). */
	perspective: Perspective | null;
	/** The mentor's stagnation questions for this talk (null for anyone else). */
	preparation: { studentName: string; signals: CriterionSignal[] } | null;
}
