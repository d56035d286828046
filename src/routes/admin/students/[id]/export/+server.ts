import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { getLocale } from '$lib/paraglide/runtime';
import { requireAdmin } from '$lib/server/access/guards';
import { exportStudent, renderExportHtml } from '$lib/server/privacy/export';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

const formatSchema = z.enum(['json', 'html']).default('json');

/**
 * Everything about one student (access request): a JSON download, or `?format=html` a readable
 * page to print. Audited.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const admin = requireAdmin(locals.actor);
	const format = formatSchema.safeParse(url.searchParams.get('format') ?? undefined);
	if (!format.success) error(400, 'format must be json or html');
	const data = await exportStudent(
		getRuntime(),
		admin.user.schoolId,
		params.id.slice(0, 40),
		admin,
		format.data
	);
	if (!data) error(404, 'Not found');
	const file = `leerling-${params.id.replace(/[^a-z0-9]/g, '')}`;
	if (format.data === 'html') {
		return new Response(renderExportHtml(data, getLocale()), {
			headers: {
				'content-type': 'text/html; charset=utf-8',
				'content-disposition': `inline; filename="${file}.html"`,
				'cache-control': 'no-store',
				// The page is data, never code: nothing in it may run or load.
				'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"
			}
		});
	}
	return json(data, {
		headers: {
			'content-disposition': `attachment; filename="${file}.json"`,
			'cache-control': 'no-store'
		}
	});
};
