import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { requireStudent } from '$lib/server/access/guards';
import { maySeeGrowth } from '$lib/server/auth/permissions';
import { growthStamp } from '$lib/server/growth';
import { markGrowthRerun } from '$lib/server/growth-live';
import type { RequestHandler } from './$types';

/** The stamp the page holds (`?since=`): the fingerprint it was loaded with or last reloaded on. */
const liveQuery = z.object({ since: z.string().max(200).nullable() });

/**
 * GET /students/<id>/growth/live?since=<stamp>: the fingerprint of the student's growth records,
 * for pages that show them to reload when it moves (LiveGrowth.svelte). When it moved from
 * `since`, the reload the page then starts is marked as a rerun of the same view
 * (growth-live.ts), so it logs no second read. Asked of the same policy as the pages themselves:
 * whoever may not see the student's growth gets the same 404 as a missing student. A student's
 * own link never opens this path (student-scope.ts): their pages change only by their own hand.
 */
export const GET: RequestHandler = async ({ locals, params, url, cookies }) => {
	const { database, actor, student: s } = await requireStudent(locals, params.studentId);
	if (!(await maySeeGrowth(database, actor, s))) error(404, 'Not found');
	const query = liveQuery.safeParse({ since: url.searchParams.get('since') });
	if (!query.success) error(400, 'since: the stamp this page holds, at most 200 characters');
	const stamp = await growthStamp(database, s.schoolId, s.id);
	if (query.data.since !== null && query.data.since !== stamp) markGrowthRerun(cookies, url, s.id);
	return json({ stamp }, { headers: { 'cache-control': 'no-store' } });
};
