/**
 * Every date a person reads goes through here, so the whole app says "24 november 2026" and
 * "vr 8 jan" the same way, in Dutch or English, and never a raw `2026-11-24`.
 *
 * Always in school time (Europe/Amsterdam), whatever the server's or the browser's zone: the
 * server renders the page first and the browser hydrates it, and both must name the same day.
 * Calendar dates (`YYYY-MM-DD`, a day everywhere) are read at noon UTC, which is that same day
 * in Amsterdam in summer and winter alike.
 */
import { getLocale } from '../paraglide/runtime';

export type DateFormat =
	/** "24 november 2026": headings, summaries, what a record is called */
	| 'long'
	/** "24 nov 2026": lists and meta lines */
	| 'medium'
	/** "di 24 nov": a chip on a card, when the week matters more than the year */
	| 'chip'
	/** "24 november": a date close to today, in running text */
	| 'dayMonth'
	/** "24 nov 2026, 14:05": when something happened to the minute (audit, links) */
	| 'dateTime';

export type DateLocale = 'nl' | 'en';

export const SCHOOL_TIME_ZONE = 'Europe/Amsterdam';

const OPTIONS: Record<DateFormat, Intl.DateTimeFormatOptions> = {
	long: { day: 'numeric', month: 'long', year: 'numeric' },
	medium: { dateStyle: 'medium' },
	chip: { weekday: 'short', day: 'numeric', month: 'short' },
	dayMonth: { day: 'numeric', month: 'long' },
	dateTime: { dateStyle: 'medium', timeStyle: 'short' }
};

// Building a formatter is the slow part; a page of a hundred dates needs only a few.
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(format: DateFormat, locale: DateLocale): Intl.DateTimeFormat {
	const key = `${locale}:${format}`;
	let f = cache.get(key);
	if (!f) {
		f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'nl-NL', {
			...OPTIONS[format],
			timeZone: SCHOOL_TIME_ZONE
		});
		cache.set(key, f);
	}
	return f;
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A Date, an ISO instant or a calendar date as a moment; null when it is none of these. */
export function toMoment(value: Date | string): Date | null {
	const d =
		value instanceof Date
			? value
			: new Date(CALENDAR_DATE.test(value) ? `${value}T12:00:00Z` : value);
	return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * A date as people read it. Empty for nothing; text that is no date is shown as it is (a
 * hand-typed "binnenkort" in an old card stays readable rather than becoming "Invalid Date").
 */
export function formatDate(
	value: Date | string | null | undefined,
	format: DateFormat = 'medium',
	locale: DateLocale = currentLocale()
): string {
	if (value === null || value === undefined || value === '') return '';
	const d = toMoment(value);
	if (!d) return typeof value === 'string' ? value : '';
	return formatter(format, locale).format(d);
}

function currentLocale(): DateLocale {
	return getLocale() === 'en' ? 'en' : 'nl';
}
