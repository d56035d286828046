/** Email + password login, shared by the /login action and tests. */
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { user } from '../db/schema';
import { dummyPasswordHash, verifyPassword } from './password';
import { createUserSession, type NewSession, type SessionPolicy } from './session';
import { checkThrottle, clearFailures, recordFailure, type ThrottleState } from './throttle';

export type LoginResult =
	| { ok: true; session: NewSession; userId: string }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; throttle: Exclude<ThrottleState, { allowed: true }> };

export async function loginWithPassword(
	db: Queryable,
	email: string,
	password: string,
	policy: SessionPolicy
): Promise<LoginResult> {
	const throttle = await checkThrottle(db, email);
	if (!throttle.allowed) return { ok: false, reason: 'throttled', throttle };

	const [account] = await db
		.select()
		.from(user)
		.where(eq(sql`lower(${user.email})`, email.trim().toLowerCase()))
		.limit(1);
	// Verify against a dummy hash when there is no account, so the answer takes as long
	// and reads the same: no way to learn which addresses exist.
	const valid = await verifyPassword(
		account?.passwordHash ?? (await dummyPasswordHash()),
		password
	);
	if (!account || !account.passwordHash || account.deactivatedAt || !valid) {
		await recordFailure(db, email);
		return { ok: false, reason: 'invalid' };
	}
	await clearFailures(db, email);
	const session = await createUserSession(db, account, policy);
	return { ok: true, session, userId: account.id };
}
