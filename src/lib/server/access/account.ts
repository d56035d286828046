/** A staff member changes their own password; every other session of theirs ends. */
import { and, eq, ne } from 'drizzle-orm';
import { accessChanged } from '../access-events';
import { checkPasswordStrength, hashPassword, verifyPassword } from '../auth/password';
import type { Queryable } from '../db';
import { session, user } from '../db/schema';

export type PasswordChangeResult =
	{ ok: true } | { ok: false; field: 'current' | 'next'; code: string };

export async function changePassword(
	db: Queryable,
	userId: string,
	keepSessionId: string,
	current: string,
	next: string,
	now = new Date()
): Promise<PasswordChangeResult> {
	const [row] = await db
		.select({ passwordHash: user.passwordHash })
		.from(user)
		.where(eq(user.id, userId))
		.limit(1);
	if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, current))) {
		return { ok: false, field: 'current', code: 'current_wrong' };
	}
	const problem = checkPasswordStrength(next);
	if (problem) return { ok: false, field: 'next', code: `password_${problem}` };
	await db
		.update(user)
		.set({ passwordHash: await hashPassword(next), passwordChangedAt: now })
		.where(eq(user.id, userId));
	await db.delete(session).where(and(eq(session.userId, userId), ne(session.id, keepSessionId)));
	accessChanged({ kind: 'user', userId });
	return { ok: true };
}
