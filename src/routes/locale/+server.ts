import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { cookieName, cookieMaxAge } from '$lib/paraglide/runtime';
import { isLocalPath } from '$lib/server/validation';
import type { RequestHandler } from './$types';

const schema = z.object({
	locale: z.enum(['nl', 'en']),
	// Only same-site paths: never an open redirect.
	back: z.string().max(2000).refine(isLocalPath).catch('/')
});

export const POST: RequestHandler = async ({ request, cookies }) => {
	const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
	if (!parsed.success) redirect(303, '/');
	cookies.set(cookieName, parsed.data.locale, {
		path: '/',
		maxAge: cookieMaxAge,
		sameSite: 'lax',
		httpOnly: false
	});
	redirect(303, parsed.data.back);
};
