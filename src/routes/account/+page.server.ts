import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { changePassword } from '$lib/server/access/account';
import { requireUser } from '$lib/server/access/guards';
import { failedAttemptsBeforeLastLogin } from '$lib/server/auth/throttle';
import { db } from '$lib/server/runtime';
import { fieldErrors, type FieldErrors } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

const schema = z.object({
	current: z.string().min(1, 'required').max(1024, 'too_long'),
	next: z.string().min(1, 'required').max(1024, 'too_long')
});

export const load: PageServerLoad = async ({ locals }) => {
	const me = requireUser(locals.actor);
	return {
		name: me.user.name,
		email: me.user.email,
		failedLoginAttempts: await failedAttemptsBeforeLastLogin(db(), me.user.id)
	};
};

export const actions: Actions = {
	password: async ({ request, locals }) => {
		const me = requireUser(locals.actor);
		const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.error) });
		const result = await changePassword(
			db(),
			me.user.id,
			me.session.id,
			parsed.data.current,
			parsed.data.next
		);
		if (!result.ok) return fail(400, { errors: { [result.field]: result.code } as FieldErrors });
		return { changed: true };
	}
};
