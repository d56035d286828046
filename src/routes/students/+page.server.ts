import { requireUser } from '$lib/server/access/guards';
import { studentsVisibleTo } from '$lib/server/auth/permissions';
import { renewalsDue } from '$lib/server/photos/consent';
import { db } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export interface StudentGroup {
	/** 'mine' (the actor's own mentees), a team id, or '' (students without a team). */
	key: string;
	/** null: the actor's own mentees; '': students without a team. */
	teamName: string | null;
	students: Array<{ id: string; name: string; groupName: string; renewConsent: boolean }>;
}

export const load: PageServerLoad = async ({ locals }) => {
	const actor = requireUser(locals.actor);
	const database = db();
	const rows = await studentsVisibleTo(database, actor);
	// The mentor's screen: their own students who turned 16 on a parent's consent.
	const renew = await renewalsDue(
		database,
		rows.filter((s) => s.mine)
	);
	const entry = (s: (typeof rows)[number]) => ({
		id: s.id,
		name: `${s.firstName} ${s.lastName}`.trim(),
		groupName: s.groupName,
		renewConsent: renew.has(s.id)
	});
	// The mentor's own students first, then the others per team (already sorted by team name).
	const groups: StudentGroup[] = [];
	const mine = rows.filter((s) => s.mine);
	if (mine.length) groups.push({ key: 'mine', teamName: null, students: mine.map(entry) });
	for (const s of rows.filter((r) => !r.mine)) {
		const key = s.teamId ?? '';
		let group = groups.find((g) => g.key === key);
		if (!group) groups.push((group = { key, teamName: s.teamName ?? '', students: [] }));
		group.students.push(entry(s));
	}
	return { groups };
};
