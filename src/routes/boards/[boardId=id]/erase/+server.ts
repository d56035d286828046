import { error, json } from '@sveltejs/kit';
import { requireBoard, requireUser } from '$lib/server/access/guards';
import { cardErasureInput, eraseCard } from '$lib/server/privacy/erase';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * Erase one entry of this board from the board and its history (AVG art. 17): a card
 * (`{ kind: 'card', cardId }`) or a student's note on a progress wall
 * (`{ kind: 'note', studentId }`). Who may: `mayEraseCard` (auth/permissions.ts). Audited.
 */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const actor = requireUser(locals.actor);
	// Someone who cannot open the board gets 404 and does not learn whether the card exists.
	await requireBoard(locals, params.boardId);
	const body: unknown = await request.json().catch(() => null);
	const parsed = cardErasureInput.safeParse({
		...(typeof body === 'object' && body !== null ? body : {}),
		boardId: params.boardId
	});
	if (!parsed.success) {
		error(400, 'Send { kind: "card", cardId } or { kind: "note", studentId } as JSON');
	}
	const result = await eraseCard(getRuntime(), actor.user.schoolId, parsed.data, actor);
	if (result === 'not_found') error(404, 'Not found');
	if (result === 'forbidden') {
		error(403, 'Only a school admin (or the mentor, for the child’s own words) may erase this');
	}
	return json({ erased: true });
};
