import { z } from 'zod';

export type FieldErrors = Record<string, string>;

/** First issue per field, as a message code the page translates (see $lib/forms). */
export function fieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const key = String(issue.path[0] ?? 'form');
		errors[key] ??= issue.message;
	}
	return errors;
}

/**
 * Text from a form or a JSON body. PostgreSQL refuses a NUL character in text (and the
 * database error became a 500), and no person types one: refuse it with a code the page
 * translates (`invalid_characters`).
 */
export function text() {
	return z.string({ error: 'required' }).refine((s) => !s.includes('\u0000'), 'invalid_characters');
}

// Real calendar dates live with the board models, which check card dates with the same rule.
export { isoDate, isRealDate } from '../board/dates';

/** Does this value (a form field, a parsed JSON body) carry a NUL character anywhere? */
export function containsNul(value: unknown, depth = 0): boolean {
	if (typeof value === 'string') return value.includes('\u0000');
	if (depth > 32 || value === null || typeof value !== 'object') return false;
	if (Array.isArray(value)) return value.some((v) => containsNul(v, depth + 1));
	return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v, depth + 1));
}

/**
 * A database error caused by the input rather than by the system: SQLSTATE class 22 (data
 * exception: NUL in text, a date out of range, an invalid number...). Drizzle wraps driver
 * errors, so the cause chain is searched.
 */
export function isInvalidInputError(error: unknown): boolean {
	for (
		let e = error, i = 0;
		e && typeof e === 'object' && i < 5;
		e = (e as { cause?: unknown }).cause, i++
	) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return true;
	}
	return false;
}

/**
 * Only a path on this site: one leading `/`, no backslash (browsers read `/\evil.example` as
 * `//evil.example`, another host) and no control characters (browsers drop tabs and newlines
 * from URLs, so `/\t/evil.example` would become `//evil.example` too).
 */
export function isLocalPath(back: string): boolean {
	if (!/^\/(?!\/)/.test(back) || back.includes('\\')) return false;
	for (let i = 0; i < back.length; i++) {
		const code = back.charCodeAt(i);
		if (code < 0x20 || code === 0x7f) return false;
	}
	return true;
}
