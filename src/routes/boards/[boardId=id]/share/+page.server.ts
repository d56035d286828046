import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireBoard, requireUser } from '$lib/server/access/guards';
import { canManage, mayInviteGuests, parentInviteRefused } from '$lib/server/auth/permissions';
import {
	createBoardInvite,
	INVITE_DEFAULT_HOURS,
	INVITE_MAX_HOURS,
	inviteSchemaFor,
	listActiveInvites,
	listBoardChildren,
	listBoardMembers,
	listColleagues,
	NotAChildOfBoardError,
	removeBoardMember,
	revokeBoardInvite,
	setBoardMember
} from '$lib/server/access/sharing';
import { qrDataUrl } from '$lib/server/access/qr';
import { db } from '$lib/server/runtime';
import { personalBoardKinds } from '$lib/board/kinds';
import { refreshMeetingParticipants } from '$lib/server/zorgoverleg';
import { fieldErrors } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

/** Only the board's owners (and school admins) manage sharing; everyone else gets a 404. */
async function requireOwner(locals: App.Locals, boardId: string) {
	const user = requireUser(locals.actor).user;
	const { board, role } = await requireBoard(locals, boardId);
	if (!canManage(role)) error(404, 'Not found');
	return { user, board, guests: mayInviteGuests(role, board) };
}

const memberSchema = z.object({
	userId: z.string().min(1).max(40),
	role: z.enum(['owner', 'editor', 'viewer'])
});

const removeMemberSchema = z.object({ userId: z.string().min(1).max(40) });

export const load: PageServerLoad = async ({ locals, params }) => {
	const { user, board, guests } = await requireOwner(locals, params.boardId);
	const database = db();
	const [members, invites, colleagues, children] = await Promise.all([
		listBoardMembers(database, board.id),
		guests ? listActiveInvites(database, board.id) : [],
		listColleagues(database, user.schoolId),
		guests ? listBoardChildren(database, board) : []
	]);
	return {
		board: { id: board.id, title: board.title, kind: board.kind },
		// Team progress walls, reviews and class boards never get a guest link (domain.md).
		guests,
		members,
		// A care meeting for siblings: the form asks which child a child link is for.
		children,
		invites: invites.map(({ studentId, ...invite }) => ({
			...invite,
			childName:
				invite.role === 'child' ? (children.find((c) => c.id === studentId)?.name ?? null) : null
		})),
		colleagues: colleagues.filter((c) => !members.some((mm) => mm.userId === c.id)),
		defaultHours: INVITE_DEFAULT_HOURS,
		maxHours: INVITE_MAX_HOURS
	};
};

export const actions: Actions = {
	addMember: async ({ locals, params, request }) => {
		const { board, user } = await requireOwner(locals, params.boardId);
		const parsed = memberSchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { problem: 'member' as const });
		const ok = await setBoardMember(db(), board, parsed.data.userId, parsed.data.role, {
			kind: 'account',
			userId: user.id
		});
		return ok ? { done: 'member' } : fail(400, { problem: 'member' as const });
	},
	removeMember: async ({ locals, params, request }) => {
		const { board, user } = await requireOwner(locals, params.boardId);
		const parsed = removeMemberSchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { problem: 'member' as const });
		// Someone without a role here is already off the board: the same answer, nothing written.
		await removeBoardMember(db(), board, parsed.data.userId, { kind: 'account', userId: user.id });
		return { done: 'removed' };
	},
	createInvite: async ({ locals, params, request, url }) => {
		const { user, board, guests } = await requireOwner(locals, params.boardId);
		const form = Object.fromEntries(await request.formData());
		if (!guests) return fail(400, { problem: 'unshareable' as const });
		const values = {
			role: String(form.role ?? ''),
			expiresHours: String(form.expiresHours ?? ''),
			singleUse: form.singleUse === 'on',
			label: String(form.label ?? '').slice(0, 60),
			studentId: String(form.studentId ?? '').slice(0, 40)
		};
		const children = await listBoardChildren(db(), board);
		const parsed = inviteSchemaFor(children.map((c) => c.id)).safeParse({
			...form,
			expiresHours: form.expiresHours === '' ? undefined : form.expiresHours
		});
		if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
		// The student (16+) chose that their parents see nothing: a parent link would open nothing.
		if (parsed.data.role === 'parent' && (await parentInviteRefused(db(), board))) {
			return fail(400, { values, problem: 'family_none' as const });
		}
		let made: Awaited<ReturnType<typeof createBoardInvite>>;
		try {
			// The child chosen counts for a child link only (the form sends it with every role).
			const input =
				parsed.data.role === 'child' ? parsed.data : { ...parsed.data, studentId: undefined };
			made = await createBoardInvite(db(), board.id, input, user.id);
		} catch (problem) {
			if (!(problem instanceof NotAChildOfBoardError)) throw problem;
			return fail(400, { values, errors: { studentId: 'not_a_child' } });
		}
		const { token, invite } = made;
		const link = `${url.origin}/join/${token}`;
		return {
			created: { link, role: invite.role, expiresAt: invite.expiresAt, qr: await qrDataUrl(link) }
		};
	},
	revokeInvite: async ({ locals, params, request }) => {
		const { board } = await requireOwner(locals, params.boardId);
		const inviteId = String((await request.formData()).get('inviteId') ?? '').slice(0, 40);
		const ok = await revokeBoardInvite(db(), board.id, inviteId);
		// Whoever came by that link leaves the conversation's faces on every open device.
		if (ok && personalBoardKinds.includes(board.kind)) await refreshMeetingParticipants(board);
		return ok ? { done: 'revoked' } : fail(404, { problem: 'invite' as const });
	}
};
