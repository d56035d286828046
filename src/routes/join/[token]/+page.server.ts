import { fail, redirect } from '@sveltejs/kit';
import { hasFamilyPart } from '$lib/board/family-view';
import { joinLabelsFor } from '$lib/board/participants';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { checkBoardInvite, displayNameSchema, joinWithInvite } from '$lib/server/access/sharing';
import { db } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	// The token is in this URL: never let it leak to another site through the Referer.
	setHeaders({ 'referrer-policy': 'no-referrer' });
	const state = await checkBoardInvite(db(), params.token);
	if (!state.ok) return { state: state.reason, boardTitle: '', role: null, labels: [] };
	// On a conversation board a parent or care partner says as what they join.
	const labels = hasFamilyPart(state.board.kind) ? joinLabelsFor(state.invite.role) : [];
	return {
		state: 'ok' as const,
		boardTitle: state.board.title,
		role: state.invite.role,
		labels: labels.length > 1 ? [...labels] : []
	};
};

export const actions: Actions = {
	// The load above runs after a failed action too, so the answer still says no-referrer.
	default: async ({ params, request, cookies, url }) => {
		const form = await request.formData();
		const raw = String(form.get('displayName') ?? '').slice(0, 200);
		const parsed = displayNameSchema.safeParse(form.get('displayName') ?? '');
		if (!parsed.success) {
			return fail(400, { displayName: raw, error: parsed.error.issues[0]?.message ?? 'required' });
		}
		// Checked against what the link allows on a conversation board; ignored elsewhere.
		const label = form.get('label') ?? undefined;
		const result = await joinWithInvite(db(), params.token, parsed.data, new Date(), label);
		if (!result.ok && result.reason === 'label') {
			return fail(400, { displayName: raw, labelError: true });
		}
		if (!result.ok) return fail(410, { state: result.reason });
		setSessionCookie(cookies, url, result.session.token, result.session.session.expiresAt);
		redirect(303, `/boards/${result.boardId}`);
	}
};
