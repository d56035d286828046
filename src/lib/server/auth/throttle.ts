/**
 * Login throttling that keeps brute force out without handing an attacker a lockout.
 *
 * A throttle checked per account alone lets anyone keep the owner out with one wrong try a
 * minute. So failures are counted in buckets:
 *
 * - per (account, client address): after 5 failures each further try from that address waits
 *   longer (2 s, 4 s, … capped at 60 s); at 20 failures within an hour that address is refused
 *   for the account until the hour has passed;
 * - per account over every address: at 100 failures within an hour (a distributed guess) the
 *   account refuses logins from unknown browsers;
 * - per (account, known device): a browser that logged in to this account before carries a
 *   device cookie (auth/known-device.ts). Its tries count only in its own bucket (same delays
 *   and limit), so neither the ceiling nor an attacker sharing the school's address can stop
 *   the owner's correct login there.
 *
 * A school shares one address: a pupil guessing at a teacher's account slows down that
 * address for that account only, and the teacher's own browser still gets in.
 */
import { and, asc, count, eq, gt, isNull, lt, max, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import { loginAttempt, loginNotice, user } from '../db/schema';

/** The per-account ceiling over every address (unknown browsers only). */
export const MAX_FAILURES_PER_HOUR = 100;
/** Per (account, address) or (account, known device). */
export const MAX_CLIENT_FAILURES_PER_HOUR = 20;
const FREE_FAILURES = 5;
const HOUR = 3_600_000;

export type ThrottleState =
	| { allowed: true }
	| { allowed: false; reason: 'locked'; retryAfterSeconds: number }
	| { allowed: false; reason: 'slow_down'; retryAfterSeconds: number };

/** Who is trying: the client address and, when it sent a valid one, its known device. */
export interface LoginClient {
	/** From `clientKey(address)`. */
	clientKey: string;
	/** A known device of this account (not just any device cookie). */
	deviceId?: string | null;
}

export const emailKey = (email: string) => email.trim().toLowerCase();

/**
 * One key per client: an IPv4 address, or an IPv6 address's /64 (one household or school
 * network gets a whole /64, so a finer key would let one attacker use millions of buckets).
 */
export function clientKey(address: string | undefined | null): string {
	if (!address) return '';
	const a = address.trim().toLowerCase();
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
	if (mapped) return mapped[1]!;
	if (!a.includes(':')) return a;
	const [head = '', tail = ''] = a.split('::');
	const left = head ? head.split(':') : [];
	const right = tail ? tail.split(':') : [];
	const groups = a.includes('::')
		? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
		: left;
	return `${groups
		.slice(0, 4)
		.map((g) => g.replace(/^0+(?=.)/, '') || '0')
		.join(':')}::/64`;
}

async function bucketState(
	db: Queryable,
	where: SQL,
	limit: number,
	now: Date,
	/** Growing delays belong to one client's bucket; the ceiling over all clients has none. */
	delays = true
): Promise<ThrottleState> {
	const since = new Date(now.getTime() - HOUR);
	const inWindow = and(where, gt(loginAttempt.createdAt, since));
	const [stats] = await db
		.select({ failures: count(), last: max(loginAttempt.createdAt) })
		.from(loginAttempt)
		.where(inWindow);
	const failures = Number(stats?.failures ?? 0);
	if (failures >= limit) {
		// Free again an hour after the oldest failure that still keeps the count at the limit.
		const [oldest] = await db
			.select({ at: loginAttempt.createdAt })
			.from(loginAttempt)
			.where(inWindow)
			.orderBy(asc(loginAttempt.createdAt))
			.offset(failures - limit)
			.limit(1);
		const freeAt = (oldest?.at.getTime() ?? now.getTime()) + HOUR;
		return {
			allowed: false,
			reason: 'locked',
			retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000))
		};
	}
	if (delays && failures > FREE_FAILURES && stats?.last) {
		const last = stats.last instanceof Date ? stats.last : new Date(stats.last);
		const delay = Math.min(60_000, 1000 * 2 ** (failures - FREE_FAILURES));
		const waitMs = last.getTime() + delay - now.getTime();
		if (waitMs > 0) {
			return { allowed: false, reason: 'slow_down', retryAfterSeconds: Math.ceil(waitMs / 1000) };
		}
	}
	return { allowed: true };
}

export async function checkThrottle(
	db: Queryable,
	email: string,
	client: LoginClient = { clientKey: '' },
	now = new Date()
): Promise<ThrottleState> {
	const key = emailKey(email);
	if (client.deviceId) {
		return bucketState(
			db,
			and(eq(loginAttempt.emailKey, key), eq(loginAttempt.deviceId, client.deviceId))!,
			MAX_CLIENT_FAILURES_PER_HOUR,
			now
		);
	}
	const pair = await bucketState(
		db,
		and(
			eq(loginAttempt.emailKey, key),
			eq(loginAttempt.clientKey, client.clientKey),
			isNull(loginAttempt.deviceId)
		)!,
		MAX_CLIENT_FAILURES_PER_HOUR,
		now
	);
	if (!pair.allowed) return pair;
	return bucketState(
		db,
		and(eq(loginAttempt.emailKey, key), isNull(loginAttempt.deviceId))!,
		MAX_FAILURES_PER_HOUR,
		now,
		false
	);
}

/** Counts a failure in its bucket and, when the account exists, for the owner's notice. */
export async function recordFailure(
	db: Queryable,
	email: string,
	client: LoginClient = { clientKey: '' },
	now = new Date()
) {
	const key = emailKey(email);
	await db.insert(loginAttempt).values({
		emailKey: key,
		clientKey: client.clientKey,
		deviceId: client.deviceId ?? null,
		createdAt: now
	});
	const [account] = await db
		.select({ id: user.id })
		.from(user)
		.where(eq(sql`lower(${user.email})`, key))
		.limit(1);
	if (!account) return;
	await db
		.insert(loginNotice)
		.values({ userId: account.id, failedSinceLogin: 1 })
		.onConflictDoUpdate({
			target: loginNotice.userId,
			set: { failedSinceLogin: sql`${loginNotice.failedSinceLogin} + 1` }
		});
}

/**
 * A successful login clears the bucket it came through (not the others: the owner logging in
 * must not reset an attacker's count elsewhere) and turns the failures since the previous
 * login into the notice. Returns that count.
 */
export async function recordSuccess(
	db: Queryable,
	email: string,
	userId: string,
	client: LoginClient,
	now = new Date()
): Promise<number> {
	const key = emailKey(email);
	await db
		.delete(loginAttempt)
		.where(
			client.deviceId
				? and(eq(loginAttempt.emailKey, key), eq(loginAttempt.deviceId, client.deviceId))
				: and(
						eq(loginAttempt.emailKey, key),
						eq(loginAttempt.clientKey, client.clientKey),
						isNull(loginAttempt.deviceId)
					)
		);
	const [row] = await db
		.insert(loginNotice)
		.values({ userId, failedSinceLogin: 0, failedBeforeLogin: 0, lastLoginAt: now })
		.onConflictDoUpdate({
			target: loginNotice.userId,
			set: {
				failedBeforeLogin: sql`${loginNotice.failedSinceLogin}`,
				failedSinceLogin: 0,
				lastLoginAt: now
			}
		})
		.returning({ failedBeforeLogin: loginNotice.failedBeforeLogin });
	return row?.failedBeforeLogin ?? 0;
}

/** The notice for the account page: failed attempts between the previous and the last login. */
export async function failedAttemptsBeforeLastLogin(db: Queryable, userId: string) {
	const [row] = await db
		.select({ failed: loginNotice.failedBeforeLogin })
		.from(loginNotice)
		.where(eq(loginNotice.userId, userId))
		.limit(1);
	return row?.failed ?? 0;
}

export async function pruneOldAttempts(db: Queryable, now = new Date()) {
	await db.delete(loginAttempt).where(lt(loginAttempt.createdAt, new Date(now.getTime() - HOUR)));
}
