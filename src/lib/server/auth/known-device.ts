/**
 * Known devices: a browser that logged in to an account gets a long-lived HttpOnly cookie
 * (`id.secret` like a session token; only SHA-256 of the secret is stored). With it, the
 * owner's correct password passes the per-account ceiling an attacker elsewhere may have
 * filled (auth/throttle.ts). It grants nothing by itself: the password is still required.
 * Random and stored rather than HMAC-signed, so it needs no server secret and is revocable.
 */
import type { Cookies } from '@sveltejs/kit';
import { and, eq, lt } from 'drizzle-orm';
import { DAY_MS } from '../../board/dates';
import type { Queryable } from '../db';
import { knownDevice } from '../db/schema';
import { isSecureRequest } from './cookie';
import { constantTimeEqual, generateToken, hashSecret, splitToken } from './tokens';

/** A device unused this long is forgotten (and its cookie expires with it). */
export const KNOWN_DEVICE_DAYS = 365;

/** The id of the known device behind this token, if it belongs to `userId`. */
export async function findKnownDevice(
	db: Queryable,
	token: string | undefined | null,
	userId: string
): Promise<string | null> {
	const parts = splitToken(token);
	if (!parts) return null;
	const [row] = await db
		.select()
		.from(knownDevice)
		.where(and(eq(knownDevice.id, parts.id), eq(knownDevice.userId, userId)))
		.limit(1);
	if (!row || !constantTimeEqual(hashSecret(parts.secret), row.secretHash)) return null;
	return row.id;
}

/** After a successful login: refresh the device it came from, or make this browser known. */
export async function rememberDevice(
	db: Queryable,
	userId: string,
	deviceId: string | null,
	now = new Date()
): Promise<string | null> {
	if (deviceId) {
		await db.update(knownDevice).set({ lastLoginAt: now }).where(eq(knownDevice.id, deviceId));
		return null;
	}
	const { id, secret, token } = generateToken();
	await db
		.insert(knownDevice)
		.values({ id, secretHash: hashSecret(secret), userId, createdAt: now, lastLoginAt: now });
	return token;
}

export async function pruneKnownDevices(db: Queryable, now = new Date()) {
	await db
		.delete(knownDevice)
		.where(lt(knownDevice.lastLoginAt, new Date(now.getTime() - KNOWN_DEVICE_DAYS * DAY_MS)));
}

export function deviceCookieName(secure: boolean): string {
	return secure ? '__Host-groeibord_device' : 'groeibord_device';
}

export function readDeviceCookie(cookies: Cookies, url: URL): string | undefined {
	return cookies.get(deviceCookieName(isSecureRequest(url)));
}

export function setDeviceCookie(cookies: Cookies, url: URL, token: string) {
	const secure = isSecureRequest(url);
	cookies.set(deviceCookieName(secure), token, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure,
		maxAge: KNOWN_DEVICE_DAYS * 86_400
	});
}
