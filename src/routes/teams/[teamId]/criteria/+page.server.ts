import { error, fail } from '@sveltejs/kit';
import {
	assignIds,
	readCriteriaForm,
	validateDraft,
	type SetDraft
} from '$lib/board/criteria-form';
import { requireTeam } from '$lib/server/access/guards';
import { mayEditCriteria, mayReadCriteria } from '$lib/server/auth/permissions';
import {
	archiveSet,
	createSet,
	ensureDefaultSet,
	listSets,
	loadSet,
	saveVersion,
	setHistory
} from '$lib/server/criteria';
import type { Actions, PageServerLoad } from './$types';

/** The team's criteria page: its members and the school's admins (a wall has no business here). */
async function teamFor(locals: App.Locals, teamId: string) {
	const found = await requireTeam(locals, teamId.slice(0, 40));
	if (found.actor.kind !== 'user' || !mayReadCriteria(found.actor, found.team)) {
		error(404, 'Not found');
	}
	return { ...found, actor: found.actor };
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { database, actor, team } = await teamFor(locals, params.teamId);
	const sets = await listSets(database, team.schoolId, team.id);
	const canCreate = await mayEditCriteria(database, actor, {
		schoolId: team.schoolId,
		teamId: team.id
	});
	const edit = (url.searchParams.get('edit') ?? '').slice(0, 40);
	return {
		team: { id: team.id, name: team.name },
		canCreate,
		sets: await Promise.all(
			sets.map(async ({ set, version, content }) => ({
				id: set.id,
				name: set.name,
				schoolWide: set.teamId === null,
				version,
				content,
				canEdit: await mayEditCriteria(database, actor, set)
			}))
		),
		edit
	};
};

const draftFail = (setId: string, draft: SetDraft, errors: Record<string, string>) =>
	fail(400, { setId, values: draft, errors });

export const actions: Actions = {
	/** Saves a set as a new version (or creates a new set, `setId` = "new"). */
	save: async ({ locals, params, request }) => {
		const { database, actor, team } = await teamFor(locals, params.teamId);
		const form = await request.formData();
		const setId = String(form.get('setId') ?? '').slice(0, 40);
		const raw = readCriteriaForm(form.entries());
		if (setId === 'new') {
			if (!(await mayEditCriteria(database, actor, { schoolId: team.schoolId, teamId: team.id }))) {
				error(404, 'Not found');
			}
			const draft = assignIds(raw);
			const result = validateDraft(draft);
			if (!result.ok) return draftFail(setId, raw, result.errors);
			const created = await createSet(database, {
				schoolId: team.schoolId,
				teamId: team.id,
				name: result.name,
				content: result.content,
				createdById: actor.user.id
			});
			return { saved: { setId: created.set.id, version: created.version } };
		}
		const set = await loadSet(database, team.schoolId, setId);
		// Only this team's sets and the school's are edited from this team's page.
		if (!set || set.archivedAt || (set.teamId !== null && set.teamId !== team.id)) {
			error(404, 'Not found');
		}
		// The set is on this page for them to read; changing it is another matter.
		if (!(await mayEditCriteria(database, actor, set))) {
			return fail(403, { setId, problem: 'forbidden' as const });
		}
		const draft = assignIds(raw, await setHistory(database, team.schoolId, set.id));
		const result = validateDraft(draft);
		if (!result.ok) return draftFail(setId, raw, result.errors);
		const saved = await saveVersion(database, team.schoolId, set.id, {
			name: result.name,
			content: result.content,
			createdById: actor.user.id
		});
		if (!saved.ok) error(404, 'Not found');
		return { saved: { setId: set.id, version: saved.version } };
	},
	/** The first set of a team: Leerhouding, to adjust from there. */
	start: async ({ locals, params }) => {
		const { database, actor, team } = await teamFor(locals, params.teamId);
		if (!(await mayEditCriteria(database, actor, { schoolId: team.schoolId, teamId: team.id }))) {
			error(404, 'Not found');
		}
		await ensureDefaultSet(database, team.schoolId, team.id, actor.user.id);
		return { started: true };
	},
	archive: async ({ locals, params, request }) => {
		const { database, actor, team } = await teamFor(locals, params.teamId);
		const setId = String((await request.formData()).get('setId') ?? '').slice(0, 40);
		const set = await loadSet(database, team.schoolId, setId);
		if (!set || (set.teamId !== null && set.teamId !== team.id)) error(404, 'Not found');
		if (!(await mayEditCriteria(database, actor, set))) {
			return fail(403, { setId, problem: 'forbidden' as const });
		}
		await archiveSet(database, team.schoolId, set.id);
		return { archived: true };
	}
};
