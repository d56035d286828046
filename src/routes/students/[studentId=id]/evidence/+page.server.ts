import { error, fail } from '@sveltejs/kit';
import { evidenceForm } from '$lib/board/growth';
import { requireStudent } from '$lib/server/access/guards';
import { mayAddEvidence } from '$lib/server/auth/permissions';
import { addEvidence, removeEvidence } from '$lib/server/growth';
import { loadGrowth } from '$lib/server/growth-page';
import { MAX_IMAGE_BYTES } from '$lib/server/photos/pipeline';
import { recordStudentRead } from '$lib/server/privacy/audit';
import type { Actions, PageServerLoad } from './$types';

/** The student's evidence: staff who may see the student, and the student themself. */
async function growthStudent(locals: App.Locals, studentId: string) {
	const found = await requireStudent(locals, studentId);
	if (!(await mayAddEvidence(found.database, found.actor, found.student))) error(404, 'Not found');
	return found;
}

export const load: PageServerLoad = async ({ locals, params }) => {
	const { database, actor, student: s } = await growthStudent(locals, params.studentId);
	await recordStudentRead(database, actor, s, 'student.evidence.view');
	return {
		student: { id: s.id, name: `${s.firstName} ${s.lastName}`.trim() },
		// The student's own way back is their home; the student page is staff's.
		backHref: actor.kind === 'student' ? '/me' : `/students/${s.id}#groei`,
		growth: (await loadGrowth(database, actor, s))!,
		maxMegabytes: MAX_IMAGE_BYTES / 1024 / 1024
	};
};

export const actions: Actions = {
	/**
	 * POST /students/<id>/evidence: adds a text and/or a photo of work, optionally on a criterion;
	 * with `intent=remove` and `evidenceId` it removes one. One default action, because SvelteKit
	 * allows no named action beside a default one, and the plain URL is what other pages post to.
	 */
	default: async ({ locals, params, request }) => {
		const { database, actor, student: s } = await growthStudent(locals, params.studentId);
		const form = await request.formData();
		if (form.get('intent') === 'remove') {
			const evidenceId = String(form.get('evidenceId') ?? '').slice(0, 40);
			const result = await removeEvidence(database, actor, s, evidenceId);
			if (result === 'not_found') error(404, 'Not found');
			if (result === 'forbidden') return fail(403, { evidenceError: 'forbidden', field: 'remove' });
			return { evidenceRemoved: true };
		}
		const file = form.get('photo');
		const photo = file instanceof File && file.size > 0 ? file : null;
		const parsed = evidenceForm.safeParse({
			text: typeof form.get('text') === 'string' ? form.get('text') : '',
			outsideSchool: typeof form.get('outsideSchool') === 'string' ? form.get('outsideSchool') : '',
			criterion: typeof form.get('criterion') === 'string' ? form.get('criterion') : ''
		});
		const values = {
			text: String(form.get('text') ?? '').slice(0, 2000),
			outsideSchool: form.get('outsideSchool') === 'on',
			criterion: String(form.get('criterion') ?? '').slice(0, 90)
		};
		if (!parsed.success) {
			const issue = parsed.error.issues[0]!;
			return fail(400, { evidenceError: issue.message, field: String(issue.path[0]), values });
		}
		if (photo && photo.size > MAX_IMAGE_BYTES) {
			return fail(400, { evidenceError: 'too_large', field: 'photo', values });
		}
		const [setId, criterionId] = parsed.data.criterion ? parsed.data.criterion.split(':') : [];
		const result = await addEvidence(database, actor, s, {
			text: parsed.data.text,
			outsideSchool: parsed.data.outsideSchool,
			criterion: setId && criterionId ? { setId, criterionId } : null,
			photo: photo ? new Uint8Array(await photo.arrayBuffer()) : null
		});
		if (!result.ok) {
			if (result.error === 'forbidden') error(404, 'Not found');
			const field =
				result.error === 'empty'
					? 'text'
					: result.error === 'unknown_criterion'
						? 'criterion'
						: 'photo';
			return fail(400, { evidenceError: result.error, field, values });
		}
		return { evidenceAdded: true };
	}
};
