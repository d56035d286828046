import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireAdmin } from '$lib/server/access/guards';
import { listStaff } from '$lib/server/access/staff';
import {
	addTeamMember,
	createTeam,
	listTeams,
	removeTeamMember,
	renameTeam,
	setTeamArchived
} from '$lib/server/access/teams';
import { db } from '$lib/server/runtime';
import { fieldErrors } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

const nameSchema = z.object({ name: z.string().trim().min(1, 'required').max(80, 'too_long') });
const teamId = z.string().min(1).max(40);

export const load: PageServerLoad = async ({ locals }) => {
	const admin = requireAdmin(locals.actor);
	const database = db();
	const [teams, staff] = await Promise.all([
		listTeams(database, admin.user.schoolId, true),
		listStaff(database, admin.user.schoolId)
	]);
	return {
		teams,
		staff: staff.filter((s) => !s.deactivatedAt).map((s) => ({ id: s.id, name: s.name }))
	};
};

export const actions: Actions = {
	create: async ({ request, locals }) => {
		const admin = requireAdmin(locals.actor);
		const form = Object.fromEntries(await request.formData());
		const parsed = nameSchema.safeParse(form);
		if (!parsed.success) {
			return fail(400, {
				values: { name: String(form.name ?? '').slice(0, 80) },
				errors: fieldErrors(parsed.error)
			});
		}
		await createTeam(db(), admin.user.schoolId, parsed.data.name);
		return { done: 'created' };
	},
	rename: async ({ request, locals }) => {
		const admin = requireAdmin(locals.actor);
		const form = Object.fromEntries(await request.formData());
		const parsed = nameSchema.extend({ teamId }).safeParse(form);
		if (!parsed.success) {
			return fail(400, {
				renameTeamId: String(form.teamId ?? ''),
				errors: fieldErrors(parsed.error)
			});
		}
		const ok = await renameTeam(db(), admin.user.schoolId, parsed.data.teamId, parsed.data.name);
		return ok ? { done: 'renamed' } : fail(404, { problem: 'not_found' });
	},
	archive: async ({ request, locals }) => {
		const admin = requireAdmin(locals.actor);
		const form = Object.fromEntries(await request.formData());
		const parsed = z.object({ teamId, archived: z.enum(['true', 'false']) }).safeParse(form);
		if (!parsed.success) return fail(400, { problem: 'not_found' });
		const ok = await setTeamArchived(
			db(),
			admin.user.schoolId,
			parsed.data.teamId,
			parsed.data.archived === 'true'
		);
		return ok ? { done: 'archived' } : fail(404, { problem: 'not_found' });
	},
	addMember: async ({ request, locals }) => {
		const admin = requireAdmin(locals.actor);
		const parsed = z
			.object({ teamId, userId: z.string().min(1).max(40) })
			.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { problem: 'not_found' });
		const ok = await addTeamMember(
			db(),
			admin.user.schoolId,
			parsed.data.teamId,
			parsed.data.userId
		);
		return ok ? { done: 'member_added' } : fail(404, { problem: 'not_found' });
	},
	removeMember: async ({ request, locals }) => {
		const admin = requireAdmin(locals.actor);
		const parsed = z
			.object({ teamId, userId: z.string().min(1).max(40) })
			.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { problem: 'not_found' });
		const ok = await removeTeamMember(
			db(),
			admin.user.schoolId,
			parsed.data.teamId,
			parsed.data.userId
		);
		return ok ? { done: 'member_removed' } : fail(404, { problem: 'not_found' });
	}
};
