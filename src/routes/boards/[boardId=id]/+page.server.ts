import { error, fail, redirect } from '@sveltejs/kit';
import { requireBoard } from '$lib/server/access/guards';
import { actorId } from '$lib/server/auth/actor';
import { boardForViewer, canEdit, mayCopyBoard } from '$lib/server/auth/permissions';
import { loadProgressWall } from '$lib/server/voortgang';
import { recordBoardRead } from '$lib/server/privacy/audit';
import { boardEraseScope, removeSibling } from '$lib/server/privacy/erase';
import { getRuntime } from '$lib/server/runtime';
import { boardIsEmpty } from '$lib/server/boards';
import { teamNames } from '$lib/server/board-team';
import { hasIntro } from '$lib/components/boards/intro';
import { addSibling, loadMeetingPage } from '$lib/server/zorgoverleg';
import { loadTalkPage } from '$lib/server/driehoeksgesprek';
import { talkPreparation } from '$lib/server/growth-page';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	// Same answer for "does not exist" and "not yours": ids are not an oracle.
	const { database, actor, board, role } = await requireBoard(locals, params.boardId);
	// Opening a care or conversation board (or the progress wall) is a read of a child's file.
	await recordBoardRead(database, actor, board);
	// Progress wall: its relational side (students, photos, history, signals); see voortgang.ts.
	const voortgang =
		board.kind === 'voortgangsbord' ? await loadProgressWall(database, board, actor) : null;
	// Care meeting: who takes part (the faces the child taps) and its past meetings.
	const meeting =
		board.kind === 'zorgoverleg' ? await loadMeetingPage(database, board, actor, role) : null;
	// Three-way talk: its criteria version (of this school), who takes part, its record.
	// The mentor also brings the stagnation questions (growth-page.ts `talkPreparation`).
	const talkPage =
		board.kind === 'driehoeksgesprek' ? await loadTalkPage(database, board, actor, role) : null;
	const talk = talkPage && {
		...talkPage,
		preparation: await talkPreparation(database, board, actor, talkPage.perspective)
	};
	// Verbeterbord on a wall: the team's names, the faces people tap to check in. Staff and the
	// team's wall only: a guest (a care partner) sees the people in the room, not the team list.
	const faces =
		['verbeterbord', 'zorgbord', 'klassenbord'].includes(board.kind) &&
		(actor.kind === 'user' || actor.kind === 'device');
	// Which cards this viewer may erase for good ("Wis definitief"); the endpoint checks again.
	const erase =
		actor.kind === 'user'
			? await boardEraseScope(database, actor, board)
			: { scope: 'none' as const, children: [] };
	return {
		team: faces ? await teamNames(database, board) : [],
		voortgang,
		meeting,
		talk,
		board: boardForViewer(board, actor),
		role,
		// Who made a card and whose check-in is whose: the key the sync server checks against.
		actorKey: actorId(actor),
		canEdit: canEdit(role),
		isWall: actor.kind === 'device',
		canCopy: await mayCopyBoard(database, actor, board),
		eraseScope: erase.scope,
		// Whose own words an `own-words` scope covers (the children on the board the viewer mentors).
		eraseChildren: erase.children,
		intro: hasIntro(board.kind) && (await boardIsEmpty(database, board.id, getRuntime().openBoards))
	};
};

export const actions: Actions = {
	/** Put a brother or sister on this care meeting (zorgoverleg.ts `addSibling`). */
	addSibling: async ({ locals, params, request }) => {
		const { database, actor, board } = await requireBoard(locals, params.boardId);
		const values = Object.fromEntries(await request.formData());
		const result = await addSibling(database, actor, board, values);
		if (result.ok) return { siblingAdded: true };
		if (result.status === 400) {
			const studentId = typeof values.studentId === 'string' ? values.studentId : '';
			return fail(400, { sibling: { values: { studentId }, errors: result.errors } });
		}
		// An id of another school, or of nobody: the same answer as a board you may not open.
		return error(result.status, result.status === 404 ? 'Not found' : 'Forbidden');
	},
	/** Take a brother or sister off this care meeting again (privacy/erase.ts `removeSibling`). */
	removeSibling: async ({ locals, params, request }) => {
		const { actor, board } = await requireBoard(locals, params.boardId);
		const values = Object.fromEntries(await request.formData());
		const result = await removeSibling(getRuntime(), actor, board, values);
		if (result.ok) {
			// A mentor who owned the meeting only as that child's mentor can no longer open it.
			if (result.keepsAccess === false) redirect(303, `/students/${result.studentId}`);
			return { siblingRemoved: true };
		}
		if (result.status === 400) return fail(400, { siblingRemove: { errors: result.errors } });
		return error(result.status, result.status === 404 ? 'Not found' : 'Forbidden');
	}
};
