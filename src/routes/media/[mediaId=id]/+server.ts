import { error } from '@sveltejs/kit';
import { readMediaFor } from '$lib/server/photos/media';
import { recordStudentRead } from '$lib/server/privacy/audit';
import { db } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** A student photo (or later evidence image), only for who may see it and only with consent. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const size = url.searchParams.get('size') === 'thumb' ? 'thumb' : 'display';
	const image = await readMediaFor(db(), locals.actor, params.mediaId, size);
	// Missing, forbidden and "no consent" look the same: ids are not an oracle.
	if (!image) error(404, 'Not found');
	// A read of the child's data (their face, or their work). A page shows the same photo again
	// on every render and a wall all day: one row per person and child within the read window.
	await recordStudentRead(
		db(),
		locals.actor!,
		image.student,
		image.purpose === 'evidence' ? 'student.evidence.view' : 'student.photo.view',
		{ image: true },
		{ rerun: true }
	);
	return new Response(new Uint8Array(image.bytes), {
		headers: {
			'content-type': image.mime,
			'content-length': String(image.bytes.byteLength),
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff',
			'content-disposition': 'inline'
		}
	});
};
