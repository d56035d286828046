import { m } from '$lib/paraglide/messages';

/** Zod issue messages are codes; the page turns them into words in the visitor's language. */
export function fieldError(code: string | undefined, max = 0): string {
	switch (code) {
		case 'required':
			return m.form_required();
		case 'invalid_email':
			return m.form_invalid_email();
		case 'too_long':
			return m.form_too_long({ max });
		case 'invalid_characters':
			return m.form_invalid_characters();
		case 'invalid_date':
			return m.form_invalid_date();
		default:
			return code ?? '';
	}
}
