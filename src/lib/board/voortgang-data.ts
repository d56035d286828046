/** What the server hands a progress wall on load (plain data, shared by server and client). */
import type { Signal } from './signals';
import type { FlagDef, Stoplight, Thresholds } from './voortgang';

export interface WallStudent {
	id: string;
	name: string;
	groupName: string;
	mentorId: string | null;
	mentorName: string;
	/** Only when consent is in force and this actor may see photos of the team. */
	photoId: string | null;
	last: {
		stoplight: Stoplight | null;
		flags: string[];
		note: string;
		at: string;
		by: string;
	} | null;
	/** The newest update at least four weeks old: "what changed since last month". */
	monthAgo: { stoplight: Stoplight | null; flags: string[]; note: string; at: string } | null;
	/** Oldest first: the stoplight of the newest update in each of the last 8 weeks. */
	strip: Array<Stoplight | null>;
	/** Open goals agreed in a three-way talk, newest first (from the database, not the doc). */
	agreedGoals?: Array<{
		id: string;
		text: string;
		actions: Array<{ what: string; who: string; due: string | null }>;
	}>;
}

export interface ProgressWallData {
	students: WallStudent[];
	mentors: Array<{ id: string; name: string }>;
	flags: FlagDef[];
	thresholds: Thresholds;
	signals: Signal[];
	me: { id: string | null; name: string };
	now: string;
}
