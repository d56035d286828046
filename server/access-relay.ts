/**
 * Access changes (a revoked invite, a deactivated user, a changed role, an ended session) reach
 * the sockets of every instance: each local change is published on one Redis pub/sub channel,
 * and changes from the other instances are handed to this instance's listeners (sync.ts
 * re-checks the affected connections).
 *
 * Pub/sub drops what is sent while a subscriber is away, and that is acceptable here only
 * because it is not the safety net: sync.ts re-checks every open connection against the
 * database every 30 s, so a missed event delays a disconnect, it never keeps one open.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import {
	notifyAccessListeners,
	onAccessChanged,
	type AccessChange
} from '../src/lib/server/access-events';
import type { Runtime } from '../src/lib/server/runtime';
import { log } from './log';

const id = z.string().min(1).max(128);

const messageSchema = z.object({
	from: z.string().min(1).max(64),
	change: z.discriminatedUnion('kind', [
		z.object({ kind: z.literal('session'), sessionId: id }),
		z.object({ kind: z.literal('user'), userId: id }),
		z.object({ kind: z.literal('invite'), inviteId: id, boardId: id }),
		z.object({ kind: z.literal('pairing'), pairingId: id }),
		z.object({ kind: z.literal('board'), boardId: id })
	]) satisfies z.ZodType<AccessChange>
});

/** Relay this runtime's access changes through Redis; returns the function that stops it. */
export async function startAccessRelay(
	runtime: Runtime,
	base: Redis,
	options: { prefix: string; instanceId: string }
): Promise<() => Promise<void>> {
	const channel = `${options.prefix}access`;
	const pub = base.duplicate({ enableOfflineQueue: false, lazyConnect: true });
	const sub = base.duplicate({ lazyConnect: true });
	for (const conn of [pub, sub]) conn.on('error', () => {});
	await Promise.all([pub.connect(), sub.connect()]);
	sub.on('message', (_channel: string, text: string) => {
		let parsed;
		try {
			parsed = messageSchema.safeParse(JSON.parse(text));
		} catch {
			parsed = null;
		}
		if (!parsed?.success) {
			log.warn('access relay: skipped a malformed message');
			return;
		}
		if (parsed.data.from === options.instanceId) return;
		notifyAccessListeners(runtime, parsed.data.change, true);
	});
	// ioredis subscribes again by itself after a reconnect.
	await sub.subscribe(channel);
	const unsubscribe = onAccessChanged((change, remote) => {
		if (remote) return;
		const message = JSON.stringify({ from: options.instanceId, change });
		pub.publish(channel, message).catch((error: unknown) => {
			log.warn(`access relay: publishing failed: ${(error as Error).message}`);
		});
	}, runtime);
	return async () => {
		unsubscribe();
		sub.disconnect();
		await pub.quit().catch(() => pub.disconnect());
	};
}
