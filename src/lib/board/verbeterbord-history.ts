/** Pure helpers for the session history: weeks, mood averages and what changed. */
import { DAY_MS } from './dates';
import { scaleValues, type SessionRecordData } from './verbeterbord';

/** ISO 8601 week number and its year (the Dutch school calendar counts in these weeks). */
export function isoWeek(date: Date): { year: number; week: number } {
	const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
	const day = d.getUTCDay() || 7;
	d.setUTCDate(d.getUTCDate() + 4 - day);
	const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
	const week = Math.ceil(((d.getTime() - yearStart.getTime()) / DAY_MS + 1) / 7);
	return { year: d.getUTCFullYear(), week };
}

/** Average check-in of a session on a 0..1 scale (0 = saddest), or null without check-ins. */
export function averageMood(record: SessionRecordData): number | null {
	const values = scaleValues(record.checkinScale);
	if (values.length < 2) return null;
	let sum = 0;
	let count = 0;
	for (const [value, n] of Object.entries(record.tally)) {
		sum += (Number(value) - 1) * n;
		count += n;
	}
	if (count === 0) return null;
	return sum / count / (values.length - 1);
}

export interface Changes {
	newSuccesses: number;
	newActions: number;
	moodBefore: number | null;
	moodAfter: number | null;
}

/** What changed from the previous session to the latest one. */
export function changesSince(
	latest: SessionRecordData,
	previous: SessionRecordData | null
): Changes {
	const known = new Set(previous?.successes.map((s) => s.title) ?? []);
	return {
		newSuccesses: latest.successes.filter((s) => !known.has(s.title)).length,
		newActions: latest.newActions.length,
		moodBefore: previous ? averageMood(previous) : null,
		moodAfter: averageMood(latest)
	};
}

/** Points for a small SVG line chart: x/y in a width × height box, oldest first. */
export function trendPoints(
	moods: (number | null)[],
	width: number,
	height: number,
	pad = 8
): { x: number; y: number; mood: number }[] {
	const step = moods.length > 1 ? (width - 2 * pad) / (moods.length - 1) : 0;
	return moods.flatMap((mood, i) =>
		mood === null ? [] : [{ x: pad + i * step, y: pad + (1 - mood) * (height - 2 * pad), mood }]
	);
}
