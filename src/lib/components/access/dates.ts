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
