/**
 * Weekly planning per goal (seed 003: "weekplanning/doelenblad"): small steps a student plans
 * for this week towards an open agreed goal, and ticks off. Pure: the form contracts and the
 * week arithmetic; no database, no Svelte.
 */
import { z } from 'zod';
import { DAY_MS, isRealDate } from './dates';

export const STEP_TEXT_MAX = 140;
/** Small steps: a week with more than this per goal is no longer a plan but a list. */
export const MAX_STEPS_PER_GOAL_WEEK = 7;

const noNul = (s: string) => !s.includes('\u0000');
const id = z.string().min(1).max(40);

export const stepForm = z.object({
	goalId: id,
	text: z.string().trim().min(1, 'required').max(STEP_TEXT_MAX, 'too_long').refine(noNul, 'invalid')
});

export const stepToggleForm = z.object({
	stepId: id,
	done: z.enum(['true', 'false']).transform((v) => v === 'true')
});

/** The Monday of the week `day` (yyyy-mm-dd) falls in, as yyyy-mm-dd. */
export function mondayOf(day: string): string {
	if (!isRealDate(day)) throw new RangeError(`not a day: ${day}`);
	const d = new Date(`${day}T12:00:00Z`);
	// getUTCDay: Sunday 0 … Saturday 6; a Dutch week starts on Monday.
	const back = (d.getUTCDay() + 6) % 7;
	return new Date(d.getTime() - back * DAY_MS).toISOString().slice(0, 10);
}
