import { fail, redirect } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { checkPasswordStrength, hashPassword } from '$lib/server/auth/password';
import { createUserSession } from '$lib/server/auth/session';
import { newId } from '$lib/server/auth/tokens';
import { school, user } from '$lib/server/db/schema';
import { hasRealSchool } from '$lib/server/demo';
import { schoolTypeSchema } from '$lib/board/school-type';
import { db, getRuntime } from '$lib/server/runtime';
import { fieldErrors, type FieldErrors } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

const setupSchema = z.object({
	schoolName: z.string().trim().min(1, 'required').max(200, 'too_long'),
	name: z.string().trim().min(1, 'required').max(200, 'too_long'),
	email: z.string().trim().min(1, 'required').max(320, 'too_long').email('invalid_email'),
	password: z.string().min(1, 'required'),
	schoolType: schoolTypeSchema.default('po')
});

export const load: PageServerLoad = async () => ({ done: await hasRealSchool(db()) });

export const actions: Actions = {
	default: async ({ request, cookies, url }) => {
		const database = db();
		if (await hasRealSchool(database)) return fail(409, { done: true });
		const form = Object.fromEntries(await request.formData());
		const values = {
			schoolName: String(form.schoolName ?? '').slice(0, 200),
			name: String(form.name ?? '').slice(0, 200),
			email: String(form.email ?? '').slice(0, 320),
			schoolType: String(form.schoolType ?? '').slice(0, 8)
		};
		const parsed = setupSchema.safeParse(form);
		if (!parsed.success) {
			return fail(400, { values, errors: fieldErrors(parsed.error) });
		}
		const problem = checkPasswordStrength(parsed.data.password);
		if (problem)
			return fail(400, { values, errors: { password: `password_${problem}` } as FieldErrors });

		const { config } = getRuntime();
		const passwordHash = await hashPassword(parsed.data.password);
		const result = await database.transaction(async (tx) => {
			const [taken] = await tx
				.select({ id: user.id })
				.from(user)
				.where(sql`lower(${user.email}) = ${parsed.data.email.toLowerCase()}`);
			if (taken) return null;
			const schoolId = newId();
			await tx.insert(school).values({
				id: schoolId,
				name: parsed.data.schoolName,
				settings: { schoolType: parsed.data.schoolType }
			});
			const [admin] = await tx
				.insert(user)
				.values({
					id: newId(),
					schoolId,
					email: parsed.data.email,
					name: parsed.data.name,
					role: 'admin',
					passwordHash
				})
				.returning();
			return createUserSession(tx, admin!, {
				idleMinutes: config.SESSION_IDLE_MINUTES,
				absoluteHours: config.SESSION_ABSOLUTE_HOURS
			});
		});
		if (!result) return fail(400, { values, errors: { email: 'email_taken' } as FieldErrors });
		setSessionCookie(cookies, url, result.token, result.session.expiresAt);
		redirect(303, '/today');
	}
};
