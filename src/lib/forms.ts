import { m } from '$lib/paraglide/messages';

/**
 * Every error code a form action can return, in words in the visitor's language: zod issue
 * messages and the server's own codes (password strength, a taken address) share one map, so
 * a code means the same thing on every page. An unknown code is shown as it is.
 */
export function errorMessage(code: string | undefined, max = 0): string {
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
		case 'password_too_short':
			return m.password_too_short();
		case 'password_too_common':
			return m.password_too_common();
		case 'password_too_long':
			return m.password_too_long();
		case 'email_taken':
			return m.email_taken();
		case 'current_wrong':
			return m.account_current_wrong();
		default:
			return code ?? '';
	}
}
