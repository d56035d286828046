import { error, json } from '@sveltejs/kit';
import { requireStudent } from '$lib/server/access/guards';
import { maySeeGrowth } from '$lib/server/auth/permissions';
import { growthStamp } from '$lib/server/growth';
import type { RequestHandler } from './$types';

/**
 * GET /students/<id>/growth/live: the fingerprint of the student's growth records, for pages
 * that show them to reload when it moves (LiveGrowth.svelte). Asked of the same policy as the
 * pages themselves: whoever may not see the student's growth gets the same 404 as a missing
 * student. A student's own link never opens this path (student-scope.ts): their pages change
 * only by their own hand.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	const { database, actor, student: s } = await requireStudent(locals, params.studentId);
	if (!(await maySeeGrowth(database, actor, s))) error(404, 'Not found');
	return json(
		{ stamp: await growthStamp(database, s.schoolId, s.id) },
		{ headers: { 'cache-control': 'no-store' } }
	);
};
