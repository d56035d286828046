import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireAdmin } from '$lib/server/access/guards';
import {
	createStaffInvite,
	emailInUse,
	listOpenStaffInvites,
	listStaff,
	revokeStaffInvite,
	setStaffActive,
	setStaffRole
} from '$lib/server/access/staff';
import { db } from '$lib/server/runtime';
import { fieldErrors, type FieldErrors } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

const inviteSchema = z.object({
	name: z.string().trim().min(1, 'required').max(200, 'too_long'),
	email: z.string().trim().min(1, 'required').max(320, 'too_long').email('invalid_email'),
	role: z.enum(['admin', 'staff'], { error: 'required' })
});
const idSchema = z.object({ userId: z.string().min(1).max(40) });

export const load: PageServerLoad = async ({ locals }) => {
	const admin = requireAdmin(locals.actor);
	const database = db();
	const [staff, invites] = await Promise.all([
		listStaff(database, admin.user.schoolId),
		listOpenStaffInvites(database, admin.user.schoolId)
	]);
	return { staff, invites, selfId: admin.user.id };
};

export const actions: Actions = {
	invite: async ({ request, locals, url }) => {
		const admin = requireAdmin(locals.actor);
		const form = Object.fromEntries(await request.formData());
		const values = {
			name: String(form.name ?? '').slice(0, 200),
			email: String(form.email ?? '').slice(0, 320),
			role: String(form.role ?? 'staff')
		};
		const parsed = inviteSchema.safeParse(form);
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		const database = db();
		if (await emailInUse(database, parsed.data.email)) {
			return fail(400, { values, errors: { email: 'email_taken' } as FieldErrors });
		}
		const { token, invite } = await createStaffInvite(database, {
			...parsed.data,
			schoolId: admin.user.schoolId,
			createdById: admin.user.id
		});
		return {
			invited: { name: invite.name, link: `${url.origin}/join/staff/${token}` }
		};
	},
	revokeInvite: async ({ request, locals }) => {
		const admin = requireAdmin(locals.actor);
		const id = String((await request.formData()).get('inviteId') ?? '').slice(0, 40);
		await revokeStaffInvite(db(), admin.user.schoolId, id);
		return { done: 'invite_revoked' };
	},
	deactivate: async ({ request, locals }) => {
		const admin = requireAdmin(locals.actor);
		const parsed = idSchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { problem: 'not_found' });
		const r = await setStaffActive(
			db(),
			admin.user.schoolId,
			admin.user.id,
			parsed.data.userId,
			false
		);
		return r.ok ? { done: 'deactivated' } : fail(400, { problem: r.reason });
	},
	reactivate: async ({ request, locals }) => {
		const admin = requireAdmin(locals.actor);
		const parsed = idSchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { problem: 'not_found' });
		const r = await setStaffActive(
			db(),
			admin.user.schoolId,
			admin.user.id,
			parsed.data.userId,
			true
		);
		return r.ok ? { done: 'reactivated' } : fail(400, { problem: r.reason });
	},
	role: async ({ request, locals }) => {
		const admin = requireAdmin(locals.actor);
		const parsed = idSchema
			.extend({ role: z.enum(['admin', 'staff']) })
			.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { problem: 'not_found' });
		const r = await setStaffRole(
			db(),
			admin.user.schoolId,
			admin.user.id,
			parsed.data.userId,
			parsed.data.role
		);
		return r.ok ? { done: 'role_changed' } : fail(400, { problem: r.reason });
	}
};
