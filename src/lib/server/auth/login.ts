/**
 * Email + password login, shared by the /login action and tests. Every try is one audit row:
 * a success or failure under the account when it exists, and for an address without an account
 * a row with no school and no person. Never the typed address or password.
 */
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { user } from '../db/schema';
import { recordAudit } from '../privacy/audit';
import { findKnownDevice, rememberDevice } from './known-device';
import { dummyPasswordHash, verifyPassword } from './password';
import { createUserSession, type NewSession, type SessionPolicy } from './session';
import {
	checkThrottle,
	clientKey,
	recordFailure,
	recordSuccess,
	type LoginClient,
	type ThrottleState
} from './throttle';

export type LoginResult =
	| {
			ok: true;
			session: NewSession;
			userId: string;
			/** A new known-device token to set as a cookie (null: the browser is known already). */
			deviceToken: string | null;
			/** Failed attempts on this account since its previous login: tell the owner. */
			failedAttempts: number;
	  }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; throttle: Exclude<ThrottleState, { allowed: true }> };

export interface LoginFrom {
	/** The client address (`event.getClientAddress()`). */
	address?: string;
	/** The known-device cookie, if the browser sent one. */
	deviceToken?: string;
}

export async function loginWithPassword(
	db: Queryable,
	email: string,
	password: string,
	policy: SessionPolicy,
	from: LoginFrom = {}
): Promise<LoginResult> {
	const [account] = await db
		.select()
		.from(user)
		.where(eq(sql`lower(${user.email})`, email.trim().toLowerCase()))
		.limit(1);
	const client: LoginClient = {
		clientKey: clientKey(from.address),
		// Only a device known to *this* account counts; any other cookie is just a cookie.
		deviceId: account ? await findKnownDevice(db, from.deviceToken, account.id) : null
	};
	const failure = (reason: 'invalid' | 'throttled') =>
		recordAudit(db, {
			schoolId: account?.schoolId ?? null,
			who: account ? { kind: 'account', userId: account.id } : { kind: 'anonymous' },
			action: 'login.failure',
			meta: { reason }
		});
	const throttle = await checkThrottle(db, email, client);
	if (!throttle.allowed) {
		await failure('throttled');
		return { ok: false, reason: 'throttled', throttle };
	}

	// Verify against a dummy hash when there is no account, so the answer takes as long
	// and reads the same: no way to learn which addresses exist.
	const valid = await verifyPassword(
		account?.passwordHash ?? (await dummyPasswordHash()),
		password
	);
	if (!account || !account.passwordHash || account.deactivatedAt || !valid) {
		await recordFailure(db, email, client);
		await failure('invalid');
		return { ok: false, reason: 'invalid' };
	}
	const failedAttempts = await recordSuccess(db, email, account.id, client);
	const deviceToken = await rememberDevice(db, account.id, client.deviceId ?? null);
	const session = await createUserSession(db, account, policy);
	await recordAudit(db, {
		schoolId: account.schoolId,
		who: { kind: 'account', userId: account.id },
		action: 'login.success'
	});
	return { ok: true, session, userId: account.id, deviceToken, failedAttempts };
}
