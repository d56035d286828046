import { error, redirect } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import { setSessionCookie } from '$lib/server/auth/cookie';
import {
	claimPairing,
	CODE_MINUTES,
	pairingForWall,
	startPairing,
	WALL_COOKIE
} from '$lib/server/access/pairing';
import { listBoardsFor } from '$lib/server/boards';
import { team } from '$lib/server/db/schema';
import { db } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/**
 * The wall screen. Not paired: show a pairing code and poll. Paired: collect the device
 * session (only this wall can: it holds the wall secret) and show the team's boards.
 */
export const load: PageServerLoad = async ({ locals, cookies, url }) => {
	const actor = locals.actor;
	const database = db();
	if (actor?.kind === 'device') {
		const [t] = await database
			.select({ name: team.name })
			.from(team)
			.where(and(eq(team.id, actor.teamId), eq(team.schoolId, actor.schoolId)))
			.limit(1);
		return {
			mode: 'boards' as const,
			teamName: t?.name ?? '',
			boards: await listBoardsFor(database, actor),
			code: null
		};
	}
	// A personal login never pairs a wall from the wall itself; staff use /wall/pair.
	if (actor?.kind === 'user') redirect(303, '/wall/pair');
	if (actor) error(404, 'Not found');

	const cookieOptions = {
		path: '/wall',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: url.protocol === 'https:'
	};
	const now = new Date();
	const existing = await pairingForWall(database, cookies.get(WALL_COOKIE));
	if (existing?.status === 'paired') {
		const claimed = await claimPairing(database, cookies.get(WALL_COOKIE), now);
		cookies.delete(WALL_COOKIE, cookieOptions);
		if (claimed) {
			setSessionCookie(cookies, url, claimed.token, claimed.session.expiresAt);
			redirect(303, '/wall');
		}
	}
	if (existing?.status === 'pending' && existing.codeExpiresAt > now && existing.code) {
		return { mode: 'code' as const, code: existing.code, boards: [], teamName: '' };
	}
	const started = await startPairing(database, now);
	cookies.set(WALL_COOKIE, started.cookie, { ...cookieOptions, maxAge: CODE_MINUTES * 60 + 60 });
	return { mode: 'code' as const, code: started.code, boards: [], teamName: '' };
};
