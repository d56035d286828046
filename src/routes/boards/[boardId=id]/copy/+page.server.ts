import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireBoard } from '$lib/server/access/guards';
import { mayCopyBoard } from '$lib/server/auth/permissions';
import { copyBoardAsTemplate } from '$lib/server/board-copy';
import { fieldErrors } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

const copySchema = z.object({
	title: z.string().trim().min(1, 'required').max(200, 'too_long'),
	withCards: z.literal('on').optional()
});

async function guard(locals: App.Locals, boardId: string) {
	const { database, actor, board: source } = await requireBoard(locals, boardId);
	if (actor.kind !== 'user' || !(await mayCopyBoard(database, actor, source))) {
		error(404, 'Not found');
	}
	return { database, source, actor };
}

export const load: PageServerLoad = async ({ locals, params }) => {
	const { source } = await guard(locals, params.boardId);
	return { board: { id: source.id, title: source.title, kind: source.kind } };
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const { database, source, actor } = await guard(locals, params.boardId);
		const form = Object.fromEntries(await request.formData());
		const parsed = copySchema.safeParse(form);
		if (!parsed.success) {
			return fail(400, {
				title: String(form.title ?? '').slice(0, 200),
				errors: fieldErrors(parsed.error)
			});
		}
		const { id } = await copyBoardAsTemplate(database, actor, source, {
			title: parsed.data.title,
			withCards: parsed.data.withCards === 'on'
		});
		redirect(303, `/boards/${id}`);
	}
};
