import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireStudent, requireUser } from '$lib/server/access/guards';
import {
	canManageStudent,
	conversationKinds,
	maySeeGrowth,
	mayCreateBoard,
	mayManageStudentLink,
	type ConversationKind
} from '$lib/server/auth/permissions';
import { qrDataUrl } from '$lib/server/access/qr';
import {
	createStudentLink,
	liveStudentLink,
	revokeStudentLink
} from '$lib/server/auth/student-link';
import { familyChoiceOf } from '$lib/server/student-home';
import { createBoard } from '$lib/server/board-create';
import { listConversationsFor } from '$lib/server/boards';
import { growthStamp, markGoalDone } from '$lib/server/growth';
import { loadGrowth, loadGrowthWork } from '$lib/server/growth-page';
import {
	consentGiver,
	consentHistory,
	consentRecorders,
	consentRenewalDue,
	recordConsent
} from '$lib/server/photos/consent';
import { setStudentPhoto } from '$lib/server/photos/media';
import { ImageRejectedError, MAX_IMAGE_BYTES } from '$lib/server/photos/pipeline';
import { takeGrowthRerun } from '$lib/server/growth-live';
import { recordStudentRead } from '$lib/server/privacy/audit';
import { db } from '$lib/server/runtime';
import { studentTimeline } from '$lib/server/voortgang';
import type { Actions, PageServerLoad } from './$types';

async function studentFor(locals: App.Locals, studentId: string, manage: boolean) {
	return (await requireStudent(locals, studentId, manage ? 'manage' : 'see')).student;
}

export const load: PageServerLoad = async ({ locals, params, url, cookies }) => {
	const { actor, student: s } = await requireStudent(locals, params.studentId);
	const database = db();
	const manage = await canManageStudent(database, actor, s);
	const conversations = await listConversationsFor(database, actor, s);
	const startable: ConversationKind[] = [];
	for (const kind of conversationKinds) {
		if (await mayCreateBoard(database, actor, { kind, student: s })) startable.push(kind);
	}
	const consent = await consentHistory(database, s.id);
	const consentGiven = consent[0]?.status === 'given';
	const recorders = manage
		? await consentRecorders(
				database,
				s.schoolId,
				consent.map((c) => c.recordedById).filter((id): id is string => !!id)
			)
		: new Map<string, string>();
	const timeline = manage ? await studentTimeline(database, s.id, 60) : [];
	// One audit row per read of the file; the timeline is part of this page for those who manage.
	// A reload its live growth poll asked for is part of the same view (growth-live.ts).
	await recordStudentRead(
		database,
		actor,
		s,
		'student.view',
		{ timeline: manage },
		{ rerun: takeGrowthRerun(cookies, url, s.id) }
	);
	const link = mayManageStudentLink(actor, s) ? await liveStudentLink(database, s) : undefined;
	// Growth (views, evidence, agreed goals): staff who see the student and the student. The
	// fingerprint is taken first, so a record added meanwhile makes one more reload, never none.
	const growthLive = await growthStamp(database, s.schoolId, s.id);
	const growth = await loadGrowth(database, actor, s);
	// Stagnation questions, this week's plan and the level form, beside the views.
	const growthWork = growth ? await loadGrowthWork(database, actor, s) : null;
	return {
		growth,
		growthLive: growth ? growthLive : null,
		growthWork,
		student: {
			id: s.id,
			name: `${s.firstName} ${s.lastName}`.trim(),
			groupName: s.groupName,
			photoId: consentGiven ? s.photoId : null,
			hasPhoto: s.photoId !== null
		},
		manage,
		conversations: conversations.map((c) => ({
			...c,
			createdAt: c.createdAt.toISOString(),
			lastRecordAt: c.lastRecordAt?.toISOString() ?? null
		})),
		startable,
		consentGiver: consentGiver(s.birthDate),
		// Who recorded it, when, and under which rule (givenBy: parent under 16, student from 16).
		consent: manage
			? consent.map((c) => ({
					status: c.status,
					givenBy: c.givenBy,
					recordedAt: c.recordedAt.toISOString(),
					recordedBy: c.recordedById ? (recorders.get(c.recordedById) ?? null) : null
				}))
			: [],
		consentRenewal: manage && consentRenewalDue(s.birthDate, consent[0]),
		familyShare: manage
			? { choice: s.familyShare, setAt: s.familyShareSetAt?.toISOString() ?? null }
			: null,
		timeline: timeline.map((e) => ({
			id: e.id,
			kind: e.kind,
			at: e.createdAt.toISOString(),
			by: e.actorName,
			stoplight: typeof e.data.stoplight === 'string' ? e.data.stoplight : null,
			flags: Array.isArray(e.data.flags) ? e.data.flags.map(String) : [],
			note: typeof e.data.note === 'string' ? e.data.note : ''
		})),
		maxMegabytes: MAX_IMAGE_BYTES / 1024 / 1024,
		// The personal link (mentor or admin only): whether one works, never its token.
		studentLink:
			link === undefined
				? null
				: {
						live: link
							? {
									createdAt: link.createdAt.toISOString(),
									expiresAt: link.expiresAt.toISOString(),
									lastUsedAt: link.lastUsedAt?.toISOString() ?? null
								}
							: null
					},
		// A 16+ student's choice of what their parents see, for the staff who look after them.
		familyChoice: manage ? familyChoiceOf(s) : null
	};
};

const consentSchema = z.object({ status: z.enum(['given', 'withdrawn']) });
const goalDoneSchema = z.object({ goalId: z.string().min(1).max(40) });

export const actions: Actions = {
	/** Start a zorgoverleg or driehoeksgesprek about this student (mayCreateBoard decides). */
	conversation: async ({ locals, params, request }) => {
		const actor = requireUser(locals.actor);
		const { student: s } = await requireStudent(locals, params.studentId);
		const form = Object.fromEntries(await request.formData());
		const result = await createBoard(db(), actor, { kind: form.kind, studentId: s.id });
		if (result.ok) redirect(303, `/boards/${result.id}`);
		if (result.status === 400) return fail(400, { conversationError: 'invalid' as const });
		if (result.status === 403) return fail(403, { conversationError: 'forbidden' as const });
		error(404, 'Not found');
	},
	/** A new personal link for the student (the old one stops); shown once with a QR code. */
	studentLinkCreate: async ({ locals, params, url }) => {
		const actor = requireUser(locals.actor);
		const { student: s } = await requireStudent(locals, params.studentId);
		if (!mayManageStudentLink(actor, s)) error(404, 'Not found');
		const { token } = await createStudentLink(db(), actor, s);
		const link = `${url.origin}/s/${token}`;
		return { studentLinkCreated: { link, qr: await qrDataUrl(link) } };
	},
	/** Revoke it: every session it opened ends and the student's open boards close. */
	studentLinkRevoke: async ({ locals, params }) => {
		const actor = requireUser(locals.actor);
		const { student: s } = await requireStudent(locals, params.studentId);
		if (!mayManageStudentLink(actor, s)) error(404, 'Not found');
		await revokeStudentLink(db(), actor, s);
		return { studentLinkRevoked: true };
	},
	photo: async ({ locals, params, request }) => {
		const s = await studentFor(locals, params.studentId, true);
		const form = await request.formData();
		const file = form.get('photo');
		if (!(file instanceof File) || file.size === 0) return fail(400, { photoError: 'empty' });
		if (file.size > MAX_IMAGE_BYTES) return fail(400, { photoError: 'too_large' });
		try {
			await setStudentPhoto(
				db(),
				locals.actor as Extract<App.Locals['actor'], { kind: 'user' }>,
				s,
				new Uint8Array(await file.arrayBuffer())
			);
		} catch (e) {
			if (e instanceof ImageRejectedError) return fail(400, { photoError: e.code });
			throw e;
		}
		return { photoSaved: true };
	},
	/** An agreed goal reached: whoever sees the student's growth marks it (maySeeGrowth). */
	goalDone: async ({ locals, params, request }) => {
		const { database, actor, student: s } = await requireStudent(locals, params.studentId);
		if (!(await maySeeGrowth(database, actor, s))) error(404, 'Not found');
		const parsed = goalDoneSchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { goalError: 'invalid' as const });
		if (!(await markGoalDone(database, s, parsed.data.goalId))) error(404, 'Not found');
		return { goalDone: true };
	},
	consent: async ({ locals, params, request }) => {
		const s = await studentFor(locals, params.studentId, true);
		const parsed = consentSchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { consentError: 'invalid' });
		await recordConsent(
			db(),
			locals.actor as Extract<App.Locals['actor'], { kind: 'user' }>,
			s,
			parsed.data.status
		);
		return { consentSaved: parsed.data.status };
	}
};
