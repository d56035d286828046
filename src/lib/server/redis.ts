/**
 * Redis, when REDIS_URL is set: one command connection shared by the process (health, fan-out
 * publishing). Subscribers need connections of their own (`duplicate()`).
 */
import { Redis } from 'ioredis';

export class RedisUnavailableError extends Error {}

export async function openRedis(url: string): Promise<Redis> {
	const client = new Redis(url, {
		lazyConnect: true,
		connectTimeout: 5_000,
		maxRetriesPerRequest: 2,
		// Keep reconnecting in the background after a blip; health reports it meanwhile.
		retryStrategy: (times) => Math.min(times * 200, 2_000)
	});
	// Errors surface through commands and /healthz; an unhandled 'error' event would crash.
	client.on('error', () => {});
	try {
		await client.connect();
		await client.ping();
	} catch (error) {
		client.disconnect();
		const target = safeTarget(url);
		throw new RedisUnavailableError(
			`REDIS_URL: cannot reach Redis at ${target} (${(error as Error).message})`
		);
	}
	return client;
}

function safeTarget(url: string): string {
	try {
		const u = new URL(url);
		return `${u.hostname}:${u.port || 6379}`;
	} catch {
		return 'the configured address';
	}
}
