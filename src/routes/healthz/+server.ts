import { json } from '@sveltejs/kit';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

const within = <T>(promise: Promise<T>, ms: number) =>
	Promise.race([
		promise,
		new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())
	]);

export const GET: RequestHandler = async () => {
	const runtime = getRuntime();
	const body: Record<string, string> = { status: 'ok', db: 'ok' };
	try {
		await within(runtime.database.ping(), 2_000);
	} catch {
		body.db = 'unreachable';
		body.status = 'error';
	}
	const redis = runtime.services.redisPing as (() => Promise<void>) | undefined;
	if (runtime.config.REDIS_URL) {
		try {
			if (!redis) throw new Error('not connected');
			await within(redis(), 2_000);
			body.redis = 'ok';
		} catch {
			// Each instance keeps serving its own sockets and storing to the database meanwhile
			// (server/fanout.ts), so this degrades the service, it does not stop it.
			body.redis = 'down';
			if (body.status === 'ok') body.status = 'degraded';
		}
	}
	return json(body, { status: body.db === 'ok' ? 200 : 503 });
};
