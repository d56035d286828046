/**
 * Pairing a wall touchscreen with a team, without any personal login on the wall.
 *
 * 1. The wall asks for a pairing: it gets a short code to show (6 characters from an
 *    alphabet without look-alikes, valid 10 minutes) and a long wall secret kept in an
 *    httpOnly cookie. Only hashes of both are stored.
 * 2. A logged-in staff member types the code on their phone and picks one of their teams.
 * 3. The wall (and only the wall: it must present the wall secret) claims a device session
 *    for that team, ending after at most 12 hours or when someone revokes the pairing.
 */
import { and, desc, eq, gt, inArray, lt } from 'drizzle-orm';
import { accessChanged } from '../access-events';
import { createDeviceSession, type NewSession } from '../auth/session';
import { constantTimeEqual, hashSecret, newId, randomString } from '../auth/tokens';
import type { Database, Queryable } from '../db';
import { session, team, user, wallPairing } from '../db/schema';
import { recordAudit } from '../privacy/audit';

export const CODE_ALPHABET = 'ACDEFHJKMNPRTUVWXY3479'; // no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G)
export const CODE_LENGTH = 6;
export const CODE_MINUTES = 10;
export const WALL_SESSION_HOURS = 12;
export const WALL_COOKIE = 'groeibord_wall';

export function generatePairingCode(): string {
	// Rejection sampling keeps every character equally likely.
	let out = '';
	const limit = 256 - (256 % CODE_ALPHABET.length);
	while (out.length < CODE_LENGTH) {
		const bytes = new Uint8Array(16);
		crypto.getRandomValues(bytes);
		for (const b of bytes) {
			if (b < limit && out.length < CODE_LENGTH) out += CODE_ALPHABET[b % CODE_ALPHABET.length];
		}
	}
	return out;
}

/** What people type: spaces and dashes dropped, upper case. */
export function normaliseCode(input: string): string {
	return input.replace(/[\s-]/g, '').toUpperCase();
}

const codeHash = (code: string) => hashSecret(`pair:${normaliseCode(code)}`);

export async function startPairing(db: Queryable, now = new Date()) {
	// Codes nobody typed in time are of no use to anyone: clear them as new ones are made.
	await db
		.delete(wallPairing)
		.where(and(eq(wallPairing.status, 'pending'), lt(wallPairing.codeExpiresAt, now)));
	const id = newId();
	const code = generatePairingCode();
	const wallSecret = randomString(32);
	await db.insert(wallPairing).values({
		id,
		codeHash: codeHash(code),
		wallSecretHash: hashSecret(wallSecret),
		status: 'pending',
		codeExpiresAt: new Date(now.getTime() + CODE_MINUTES * 60_000),
		createdAt: now
	});
	// The wall keeps the code in its own cookie too, to show it again on every poll.
	return { id, code, cookie: `${id}.${wallSecret}.${code}` };
}

/** The wall's cookie -> its pairing row, only when the wall secret matches. */
export async function pairingForWall(db: Queryable, cookie: string | undefined) {
	if (!cookie || cookie.length > 100) return null;
	const [id, secret, code = ''] = cookie.split('.');
	if (!id || !secret) return null;
	const [row] = await db.select().from(wallPairing).where(eq(wallPairing.id, id)).limit(1);
	if (!row || !constantTimeEqual(hashSecret(secret), row.wallSecretHash)) return null;
	return { ...row, code };
}

export type PairResult = { ok: true; pairingId: string } | { ok: false; reason: 'code' | 'team' };

/** A staff member enters the code shown on the wall and chooses one of their teams. */
export async function pairWithCode(
	db: Queryable,
	u: { id: string; schoolId: string; role: 'admin' | 'staff' },
	code: string,
	teamId: string,
	allowedTeamIds: string[],
	config: { absoluteHours: number },
	now = new Date()
): Promise<PairResult> {
	if (!allowedTeamIds.includes(teamId)) return { ok: false, reason: 'team' };
	const hours = Math.min(WALL_SESSION_HOURS, config.absoluteHours);
	// The pairing and its audit row together, or neither.
	return (db as Database).transaction(async (tx): Promise<PairResult> => {
		const rows = await tx
			.update(wallPairing)
			.set({
				status: 'paired',
				schoolId: u.schoolId,
				teamId,
				pairedById: u.id,
				sessionExpiresAt: new Date(now.getTime() + hours * 3_600_000)
			})
			.where(
				and(
					eq(wallPairing.codeHash, codeHash(code)),
					eq(wallPairing.status, 'pending'),
					gt(wallPairing.codeExpiresAt, now)
				)
			)
			.returning({ id: wallPairing.id });
		if (rows.length !== 1) return { ok: false, reason: 'code' };
		await recordAudit(tx, {
			schoolId: u.schoolId,
			who: { kind: 'account', userId: u.id },
			action: 'wall.pair',
			subjectType: 'wall_pairing',
			subjectId: rows[0]!.id,
			meta: { teamId }
		});
		return { ok: true, pairingId: rows[0]!.id };
	});
}

/** The wall collects its device session, once. */
export async function claimPairing(
	db: Queryable,
	cookie: string | undefined,
	now = new Date()
): Promise<NewSession | null> {
	const row = await pairingForWall(db, cookie);
	if (!row || row.status !== 'paired' || !row.schoolId || !row.teamId || !row.sessionExpiresAt)
		return null;
	if (row.sessionExpiresAt <= now) return null;
	const claimed = await db
		.update(wallPairing)
		.set({ status: 'claimed' })
		.where(and(eq(wallPairing.id, row.id), eq(wallPairing.status, 'paired')))
		.returning({ id: wallPairing.id });
	if (claimed.length === 0) return null;
	return createDeviceSession(
		db,
		{ id: row.id, schoolId: row.schoolId, teamId: row.teamId, endsAt: row.sessionExpiresAt },
		now
	);
}

/** Walls currently paired with (or holding a session for) one of these teams. */
export async function listActivePairings(db: Queryable, teamIds: string[], now = new Date()) {
	if (teamIds.length === 0) return [];
	return db
		.select({
			id: wallPairing.id,
			status: wallPairing.status,
			teamId: wallPairing.teamId,
			teamName: team.name,
			pairedByName: user.name,
			sessionExpiresAt: wallPairing.sessionExpiresAt,
			createdAt: wallPairing.createdAt
		})
		.from(wallPairing)
		.innerJoin(team, eq(team.id, wallPairing.teamId))
		.leftJoin(user, eq(user.id, wallPairing.pairedById))
		.where(
			and(
				inArray(wallPairing.teamId, teamIds),
				inArray(wallPairing.status, ['paired', 'claimed']),
				gt(wallPairing.sessionExpiresAt, now)
			)
		)
		.orderBy(desc(wallPairing.createdAt));
}

export async function revokePairing(
	db: Queryable,
	pairingId: string,
	allowedTeamIds: string[],
	now = new Date()
): Promise<boolean> {
	if (allowedTeamIds.length === 0) return false;
	// One transaction: a pairing is never revoked with its device session left alive.
	const revoked = await (db as Database).transaction(async (tx) => {
		const rows = await tx
			.update(wallPairing)
			.set({ status: 'revoked', revokedAt: now })
			.where(and(eq(wallPairing.id, pairingId), inArray(wallPairing.teamId, allowedTeamIds)))
			.returning({ id: wallPairing.id });
		if (rows.length === 0) return false;
		await tx.delete(session).where(eq(session.wallPairingId, pairingId));
		return true;
	});
	if (!revoked) return false;
	accessChanged({ kind: 'pairing', pairingId });
	return true;
}
