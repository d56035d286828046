import { error, json } from '@sveltejs/kit';
import { requireAdmin } from '$lib/server/access/guards';
import { exportStudent } from '$lib/server/access/students';
import { db } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** Everything about one student as a JSON download (access request). Audited. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const admin = requireAdmin(locals.actor);
	const data = await exportStudent(db(), admin.user.schoolId, params.id.slice(0, 40), admin);
	if (!data) error(404, 'Not found');
	return json(data, {
		headers: {
			'content-disposition': `attachment; filename="leerling-${params.id.replace(/[^a-z0-9]/g, '')}.json"`,
			'cache-control': 'no-store'
		}
	});
};
