import type { ParamMatcher } from '@sveltejs/kit';

/** Row ids are 16 characters of our token alphabet (see auth/tokens.ts). */
export const match: ParamMatcher = (param) => /^[a-z2-9]{16}$/.test(param);
