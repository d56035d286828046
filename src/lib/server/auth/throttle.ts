/**
 * Login throttling per account, not per IP: a whole school shares one address, so one
 * pupil guessing at a teacher's account must not lock out the staff room.
 * After 5 failures each further try waits longer (2 s, 4 s, … capped at 60 s); at 100
 * failures within an hour the account refuses logins until the hour has passed.
 */
import { and, asc, count, eq, gt, lt, max } from 'drizzle-orm';
import type { Queryable } from '../db';
import { loginAttempt } from '../db/schema';

export const MAX_FAILURES_PER_HOUR = 100;
const FREE_FAILURES = 5;
const HOUR = 3_600_000;

export type ThrottleState =
	| { allowed: true }
	| { allowed: false; reason: 'locked'; retryAfterSeconds: number }
	| { allowed: false; reason: 'slow_down'; retryAfterSeconds: number };

export const emailKey = (email: string) => email.trim().toLowerCase();

export async function checkThrottle(
	db: Queryable,
	email: string,
	now = new Date()
): Promise<ThrottleState> {
	const since = new Date(now.getTime() - HOUR);
	const key = emailKey(email);
	const [stats] = await db
		.select({ failures: count(), last: max(loginAttempt.createdAt) })
		.from(loginAttempt)
		.where(and(eq(loginAttempt.emailKey, key), gt(loginAttempt.createdAt, since)));
	const failures = Number(stats?.failures ?? 0);
	if (failures >= MAX_FAILURES_PER_HOUR) {
		const [oldest] = await db
			.select({ at: loginAttempt.createdAt })
			.from(loginAttempt)
			.where(and(eq(loginAttempt.emailKey, key), gt(loginAttempt.createdAt, since)))
			.orderBy(asc(loginAttempt.createdAt))
			.limit(1);
		const freeAt = (oldest?.at.getTime() ?? now.getTime()) + HOUR;
		return {
			allowed: false,
			reason: 'locked',
			retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000))
		};
	}
	if (failures > FREE_FAILURES && stats?.last) {
		const last = stats.last instanceof Date ? stats.last : new Date(stats.last);
		const delay = Math.min(60_000, 1000 * 2 ** (failures - FREE_FAILURES));
		const waitMs = last.getTime() + delay - now.getTime();
		if (waitMs > 0) {
			return { allowed: false, reason: 'slow_down', retryAfterSeconds: Math.ceil(waitMs / 1000) };
		}
	}
	return { allowed: true };
}

export async function recordFailure(db: Queryable, email: string, now = new Date()) {
	await db.insert(loginAttempt).values({ emailKey: emailKey(email), createdAt: now });
}

export async function clearFailures(db: Queryable, email: string) {
	await db.delete(loginAttempt).where(eq(loginAttempt.emailKey, emailKey(email)));
}

export async function pruneOldAttempts(db: Queryable, now = new Date()) {
	await db.delete(loginAttempt).where(lt(loginAttempt.createdAt, new Date(now.getTime() - HOUR)));
}
