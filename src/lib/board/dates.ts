/**
 * Calendar dates as `YYYY-MM-DD` that exist. The pattern alone lets 2026-02-31 through, which
 * is no day: the database (or `new Date`) fails on it, and a board would show a date nobody
 * can pick. Pure, so forms, the sync guard and the board models share one check.
 */
import { z } from 'zod';

/**
 * A day and a week in milliseconds, for durations and for steps between dates in UTC (no day
 * there is 23 or 25 hours long). The one definition, shared by the browser and the server.
 */
export const DAY_MS = 24 * 60 * 60 * 1000;
export const WEEK_MS = 7 * DAY_MS;

export function isRealDate(value: string): boolean {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		year >= 1900 &&
		year <= 9999 &&
		date.getUTCFullYear() === year &&
		date.getUTCMonth() === month - 1 &&
		date.getUTCDate() === day
	);
}

/** A real calendar date; `message` is the code a form shows when it is not one. */
export function isoDate(message = 'invalid_date') {
	return z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}$/, message)
		.refine(isRealDate, message);
}
