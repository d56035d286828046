/**
 * The session cookie: HttpOnly, SameSite=Lax, Path=/; over HTTPS also Secure with the
 * `__Host-` prefix, which forbids a Domain attribute so no subdomain can plant one.
 */
import type { Cookies } from '@sveltejs/kit';

export function sessionCookieName(secure: boolean): string {
	return secure ? '__Host-groeibord_session' : 'groeibord_session';
}

export function isSecureRequest(url: URL): boolean {
	return url.protocol === 'https:';
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date) {
	const secure = isSecureRequest(url);
	cookies.set(sessionCookieName(secure), token, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure,
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies, url: URL) {
	const secure = isSecureRequest(url);
	cookies.delete(sessionCookieName(secure), { path: '/', secure, httpOnly: true, sameSite: 'lax' });
}

export function readSessionCookie(cookies: Cookies, url: URL): string | undefined {
	return cookies.get(sessionCookieName(isSecureRequest(url)));
}

/** For the WebSocket upgrade, which has only a raw Cookie header. */
export function readSessionFromHeader(cookieHeader: string | undefined): string | undefined {
	if (!cookieHeader) return undefined;
	let found: string | undefined;
	for (const part of cookieHeader.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		const name = part.slice(0, eq).trim();
		if (name === '__Host-groeibord_session' || name === 'groeibord_session') {
			try {
				found = decodeURIComponent(part.slice(eq + 1).trim());
			} catch {
				return undefined;
			}
		}
	}
	return found;
}
