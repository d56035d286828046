import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { isoDate } from '$lib/board/dates';
import { levelForm } from '$lib/board/growth';
import { schoolDay, type Period } from '$lib/board/growth-timeline';
import { mondayOf, stepForm, stepToggleForm } from '$lib/board/planning';
import { requireStudent } from '$lib/server/access/guards';
import { mayPlanWeek, mayRecordLevel, maySeeGrowth } from '$lib/server/auth/permissions';
import { growthStamp, recordLevelForm } from '$lib/server/growth';
import { loadGrowthWork } from '$lib/server/growth-page';
import { loadGrowthTimeline, openableTalks } from '$lib/server/growth-timeline';
import { addStep, setStepDone } from '$lib/server/planning';
import { takeGrowthRerun } from '$lib/server/growth-live';
import { recordStudentRead } from '$lib/server/privacy/audit';
import type { Actions, PageServerLoad } from './$types';

/**
 * The student's growth over time: staff who may see the student, and the student themself
 * through their link (student-scope.ts opens this path for their own id only). A guest or a
 * wall sees nothing of it: the same 404 as a missing student.
 */
async function growthStudent(locals: App.Locals, studentId: string) {
	const found = await requireStudent(locals, studentId);
	if (!(await maySeeGrowth(found.database, found.actor, found.student))) error(404, 'Not found');
	return found;
}

/** `?van=2026-09-01&tot=2027-07-15`: both real days, the first not after the second. */
const periodQuery = z
	.object({
		van: isoDate().nullable(),
		tot: isoDate().nullable()
	})
	.refine((p) => !p.van || !p.tot || p.van <= p.tot, 'invalid_period');

export const load: PageServerLoad = async ({ locals, params, url, cookies }) => {
	const { database, actor, student: s } = await growthStudent(locals, params.studentId);
	// Staff see it live (LiveGrowth); a student's own link does not poll (student-scope.ts).
	const live = actor.kind === 'student' ? null : await growthStamp(database, s.schoolId, s.id);
	const query = periodQuery.safeParse({
		van: url.searchParams.get('van') || null,
		tot: url.searchParams.get('tot') || null
	});
	const period: Period = query.success
		? { from: query.data.van, to: query.data.tot }
		: { from: null, to: null };
	const [{ timeline }, work] = await Promise.all([
		loadGrowthTimeline(database, s, period),
		loadGrowthWork(database, actor, s)
	]);
	// The growth over time is the child's file: one row per view, as the student page (a reload
	// its live poll asked for is part of the view: growth-live.ts).
	await recordStudentRead(database, actor, s, 'student.timeline.view', undefined, {
		rerun: takeGrowthRerun(cookies, url, s.id)
	});
	return {
		student: { id: s.id, name: `${s.firstName} ${s.lastName}`.trim() },
		viewer: actor.kind === 'student' ? ('student' as const) : ('staff' as const),
		live,
		backHref: actor.kind === 'student' ? '/me' : `/students/${s.id}#groei`,
		period,
		periodError: !query.success,
		timeline,
		talkLinks: await openableTalks(database, actor, timeline),
		...work
	};
};

const formOf = async (request: Request) => {
	const form = await request.formData();
	return Object.fromEntries([...form].filter(([, v]) => typeof v === 'string'));
};

export const actions: Actions = {
	/** A level in words on one criterion: the student's self-evaluation, or the mentor's view. */
	level: async ({ locals, params, request }) => {
		const { database, actor, student: s } = await growthStudent(locals, params.studentId);
		if (!(await mayRecordLevel(database, actor, s))) error(404, 'Not found');
		const raw = await formOf(request);
		const criterion = String(raw.criterion ?? '').slice(0, 90);
		const parsed = levelForm.safeParse(raw);
		if (!parsed.success) {
			return fail(400, { level: { criterion, error: parsed.error.issues[0]!.message } });
		}
		const result = await recordLevelForm(database, actor, s, parsed.data);
		if (!result.ok) return fail(400, { level: { criterion, error: result.error } });
		return { level: { criterion, error: null } };
	},
	/** A small step for this week towards one open agreed goal. */
	step: async ({ locals, params, request }) => {
		const { database, actor, student: s } = await growthStudent(locals, params.studentId);
		if (!(await mayPlanWeek(database, actor, s))) error(404, 'Not found');
		const raw = await formOf(request);
		const goalId = String(raw.goalId ?? '').slice(0, 40);
		const parsed = stepForm.safeParse(raw);
		if (!parsed.success) {
			return fail(400, { step: { goalId, error: parsed.error.issues[0]!.message } });
		}
		const result = await addStep(database, actor, s, parsed.data, mondayOf(schoolDay(new Date())));
		if (!result.ok) return fail(400, { step: { goalId, error: result.error } });
		return { step: { goalId, error: null } };
	},
	/** Tick a step off, or back on. */
	stepDone: async ({ locals, params, request }) => {
		const { database, actor, student: s } = await growthStudent(locals, params.studentId);
		if (!(await mayPlanWeek(database, actor, s))) error(404, 'Not found');
		const parsed = stepToggleForm.safeParse(await formOf(request));
		if (!parsed.success) return fail(400, { step: { goalId: '', error: 'invalid' } });
		if (!(await setStepDone(database, s, parsed.data.stepId, parsed.data.done))) {
			error(404, 'Not found');
		}
		return { stepDone: true };
	}
};
