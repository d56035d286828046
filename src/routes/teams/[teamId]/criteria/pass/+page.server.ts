import { error, fail } from '@sveltejs/kit';
import { passLevelForm } from '$lib/board/growth';
import { requireTeam } from '$lib/server/access/guards';
import { loadStudent, mayRecordLevel } from '$lib/server/auth/permissions';
import { recordLevelForm } from '$lib/server/growth';
import { passCriteria, passRows } from '$lib/server/growth-pass';
import { recordTeamRead } from '$lib/server/privacy/audit';
import type { Actions, PageServerLoad } from './$types';

/**
 * The weekly pass on one criterion for a team's students: the team's staff and the school's
 * admins (teamAccess 'staff'). A wall has no business here: it records no one's view.
 */
async function passTeam(locals: App.Locals, teamId: string) {
	const found = await requireTeam(locals, teamId.slice(0, 40));
	if (found.actor.kind !== 'user' || found.access !== 'staff') error(404, 'Not found');
	return { ...found, actor: found.actor };
}

/** `?criterium=<setId>:<criterionId>`; anything else means the team's first criterion. */
function askedCriterion(url: URL) {
	const raw = (url.searchParams.get('criterium') ?? '').slice(0, 90);
	const [setId, criterionId] = raw.split(':');
	return setId && criterionId ? { setId, criterionId } : null;
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { database, actor, team } = await passTeam(locals, params.teamId);
	const { all, chosen } = await passCriteria(database, team, askedCriterion(url));
	const students = chosen
		? await passRows(database, actor, team, chosen.setId, chosen.criterion.id)
		: [];
	// Each student's newest levels on the criterion: one row for the page, as the progress wall.
	await recordTeamRead(database, actor, team, 'team.pass.view', { students: students.length });
	return {
		team: { id: team.id, name: team.name },
		criteria: all.map((c) => ({
			value: `${c.setId}:${c.criterion.id}`,
			label: `${c.setName}: ${c.criterion.title}`
		})),
		chosen: chosen
			? {
					value: `${chosen.setId}:${chosen.criterion.id}`,
					setName: chosen.setName,
					title: chosen.criterion.title,
					levels: chosen.criterion.levels
				}
			: null,
		students
	};
};

export const actions: Actions = {
	/**
	 * The mentor's view on one criterion for one student of this team. The page posts it with
	 * fetch and moves on to the next student; without JavaScript it is a plain form post.
	 */
	level: async ({ locals, params, request }) => {
		const { database, actor, team } = await passTeam(locals, params.teamId);
		const raw = Object.fromEntries(
			[...(await request.formData())].filter(([, v]) => typeof v === 'string')
		);
		const studentId = String(raw.studentId ?? '').slice(0, 40);
		const parsed = passLevelForm.safeParse(raw);
		if (!parsed.success) {
			return fail(400, { level: { studentId, error: parsed.error.issues[0]!.message } });
		}
		// A student of this school and this team, whom the actor may record a view on.
		const s = await loadStudent(database, team.schoolId, parsed.data.studentId);
		if (!s || s.teamId !== team.id || s.leftAt || !(await mayRecordLevel(database, actor, s))) {
			error(404, 'Not found');
		}
		const result = await recordLevelForm(database, actor, s, parsed.data);
		if (!result.ok) return fail(400, { level: { studentId, error: result.error } });
		return { level: { studentId, levelId: parsed.data.level, error: null } };
	}
};
