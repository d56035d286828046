import { m } from '$lib/paraglide/messages';

/** What a refused level says, on the growth page's form and in the weekly pass alike. */
export function levelErrorText(code: string): string {
	switch (code) {
		case 'unknown_criterion':
			return m.gr_self_error_unknown_criterion();
		case 'unknown_level':
			return m.gr_self_error_unknown_level();
		case 'too_long':
			return m.gr_self_error_too_long();
		case 'forbidden':
			return m.gr_self_error_forbidden();
		default:
			return m.gr_self_error_invalid();
	}
}
