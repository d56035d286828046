import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { studentUpdateSchema } from '$lib/board/voortgang';
import { db } from '$lib/server/runtime';
import { recordStudentUpdate } from '$lib/server/voortgang';
import type { RequestHandler } from './$types';

const bodySchema = studentUpdateSchema.extend({ boardId: z.string().regex(/^[a-z2-9]{16}$/) });

/** The history half of a weekly update: the wall calls this after changing its Y.Doc. */
export const POST: RequestHandler = async ({ locals, params, request, url }) => {
	// JSON endpoints are not covered by SvelteKit's form CSRF check: compare the Origin ourselves.
	if (request.headers.get('origin') !== url.origin) error(403, 'Forbidden');
	if (!locals.actor) error(404, 'Not found');
	const parsed = bodySchema.safeParse(await request.json().catch(() => null));
	if (!parsed.success) error(400, 'Invalid update');
	const { boardId, ...update } = parsed.data;
	const result = await recordStudentUpdate(db(), locals.actor, {
		boardId,
		studentId: params.studentId,
		update
	});
	if (!result.ok) error(result.status, result.status === 404 ? 'Not found' : 'Invalid update');
	return json({ id: result.eventId }, { status: 201 });
};
