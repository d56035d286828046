import { getLocale } from '$lib/paraglide/runtime';

/**
 * Dates in the visitor's language and in Dutch school time, the same on server and client
 * (so hydration never flips a date when the server runs in UTC).
 */
export function formatDateTime(d: Date | null | undefined, withTime = true): string {
	if (!d) return '';
	return d.toLocaleString(getLocale() === 'en' ? 'en-GB' : 'nl-NL', {
		timeZone: 'Europe/Amsterdam',
		dateStyle: 'medium',
		...(withTime ? { timeStyle: 'short' as const } : {})
	});
}

/**
 * A day in the visitor's language: a calendar date (`2026-11-15`, the same day everywhere, so
 * read at noon UTC) or an ISO instant (its day in school time). Anything else is shown as it is.
 */
export function formatDay(iso: string): string {
	const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso);
	return Number.isNaN(d.getTime()) ? iso : formatDateTime(d, false);
}
