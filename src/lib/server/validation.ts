import type { z } from 'zod';

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
