import { m } from '$lib/paraglide/messages';

/** Review form error codes (from the server's zod schemas) in the visitor's language. */
export function reviewError(code: string | undefined): string {
	switch (code) {
		case undefined:
			return '';
		case 'advice_required':
			return m.rv_error_advice_required();
		case 'stoplight_required':
			return m.rv_error_stoplight_required();
		case 'subject_required':
			return m.rv_error_subject_required();
		case 'question_required':
			return m.rv_error_question_required();
		case 'owner_required':
			return m.rv_error_owner_required();
		case 'date_required':
			return m.rv_error_date_required();
		case 'too_long':
			return m.rv_error_too_long();
		default:
			return m.rv_error_required();
	}
}
