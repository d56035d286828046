/**
 * Configuration, read from the environment once at start-up and validated with zod.
 * A wrong value stops start-up with one line that names the variable (see `formatConfigError`).
 */
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce
	.number({ error: 'must be a number' })
	.int('must be a whole number')
	.min(0, 'must be between 0 and 65535')
	.max(65535, 'must be between 0 and 65535');

const positiveInt = z.coerce.number({ error: 'must be a number' }).int().positive();

const optionalUrl = (protocols: string[]) =>
	z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : undefined))
		.refine(
			(v) => {
				if (v === undefined) return true;
				try {
					return protocols.includes(new URL(v).protocol);
				} catch {
					return false;
				}
			},
			{ message: `must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}` }
		);

export const configSchema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
	PORT: port.default(3000),
	HOST: z.string().trim().min(1, 'must not be empty').default('0.0.0.0'),
	ORIGIN: optionalUrl(['http:', 'https:']),
	DATA_DIR: z.string().trim().min(1, 'must not be empty').default('./data'),
	DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
	REDIS_URL: optionalUrl(['redis:', 'rediss:']),
	/** Prefix of every Redis key and channel, so several deployments can share one Redis. */
	REDIS_KEY_PREFIX: z
		.string()
		.trim()
		.regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1 to 64 letters, digits or : _ . -')
		.default('groeibord:'),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
	/** Largest WebSocket frame the sync server accepts. */
	SYNC_MAX_FRAME_BYTES: positiveInt.default(1024 * 1024),
	/** Largest encoded board state; updates that would grow a board past it are refused. */
	SYNC_MAX_BOARD_BYTES: positiveInt.default(16 * 1024 * 1024),
	SYNC_MAX_MESSAGES_PER_SECOND: positiveInt.default(200),
	/** Open board sockets one login (session) may hold; more get HTTP 429. */
	SYNC_MAX_CONNECTIONS_PER_SESSION: positiveInt.default(8),
	/** Open sockets on one board; more get HTTP 429. */
	SYNC_MAX_CONNECTIONS_PER_BOARD: positiveInt.default(200),
	/** A socket whose unsent data passes this (a reader that does not read) is closed. */
	SYNC_MAX_BUFFERED_BYTES: positiveInt.default(8 * 1024 * 1024),
	/** Bytes of updates one connection may have waiting for missing dependencies. */
	SYNC_MAX_PENDING_BYTES: positiveInt.default(1024 * 1024),
	SYNC_IDLE_TIMEOUT_MS: positiveInt.default(5 * 60_000),
	/** How long a room stays in memory after its last connection leaves. */
	SYNC_ROOM_UNLOAD_MS: positiveInt.default(10_000),
	/**
	 * How long an open board goes without a change before its Yjs document leaves memory and the
	 * room keeps it encoded (server/rooms.ts, "resting").
	 */
	SYNC_ROOM_REST_MS: positiveInt.default(30_000),
	/**
	 * How long a board's first queued update waits for more before its group commit; longer
	 * would make the saved-ack feel slow. Unset: 2 ms on PostgreSQL, 25 ms on PGlite (server/sync.ts).
	 */
	SYNC_FLUSH_MS: positiveInt.max(50, 'must be at most 50 (milliseconds)').optional(),
	/** Fold a board's update log into its snapshot once it holds this many updates. */
	SYNC_COMPACT_AFTER_UPDATES: positiveInt.default(500),
	/** Minutes without activity before a staff session ends (sliding). */
	SESSION_IDLE_MINUTES: positiveInt.default(30),
	/** Hours after which a staff session ends whatever the activity. */
	SESSION_ABSOLUTE_HOURS: positiveInt.default(12)
});

export type Config = z.infer<typeof configSchema> & { dataDir: string };

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	// Empty strings mean "unset" so `PORT= npm start` behaves like no PORT at all.
	const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
	const parsed = configSchema.safeParse(cleaned);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		const name = String(issue.path[0] ?? 'configuration');
		const value = env[name];
		const shown = name === 'DATABASE_URL' || name === 'REDIS_URL' ? '' : ` (got "${value}")`;
		throw new ConfigError(`${name} ${issue.message}${shown}`);
	}
	return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) };
}
