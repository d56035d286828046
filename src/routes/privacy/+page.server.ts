import { storedData } from '$lib/server/privacy/catalogue';
import type { PageServerLoad } from './$types';

/** Public: anyone (a parent, a student, a privacy officer) may read it without logging in. */
export const load: PageServerLoad = () => ({ data: storedData() });
