import { actorName } from '$lib/server/auth/actor';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const actor = locals.actor;
	return {
		viewer: actor
			? {
					kind: actor.kind,
					name: actorName(actor),
					isAdmin: actor.kind === 'user' && actor.user.role === 'admin'
				}
			: null
	};
};
