/**
 * Bad input through the built SvelteKit handler (issue 9): NUL characters and dates that do
 * not exist get 400 with a message from every form action and JSON endpoint, never a 500; a
 * failed guest join does not use up a single-use link; /locale never redirects off-site.
 * Needs `npm run build` first (skipped without it, like the access matrix).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { school, student } from '../../src/lib/server/db/schema';
import { isInvalidInputError, isLocalPath, isRealDate } from '../../src/lib/server/validation';
import { createTestDatabase, drivers } from '../helpers/db';
import { forkBuilt, type BuiltChild } from '../helpers/handler';
import { makeSchool, makeStudent } from '../helpers/factories';

const built = existsSync(path.resolve('build/handler.js'));
const NUL = 'a\u0000b';
const IMPOSSIBLE = '2026-02-31';

interface World {
	url: string;
	boardId: string;
	teamId: string;
	studentId: string;
	roundId: string;
	ownerId: string;
	inviteToken: string;
	cookies: { admin: string; owner: string };
}

type Who = 'admin' | 'owner' | 'anonymous';
/** [who, path, fields]: every field value is replaced by a bad one per case below. */
type Row = [Who, string, Record<string, string>];

function formActions(w: World): Row[] {
	const round = `/reviews/${w.roundId}`;
	return [
		['anonymous', '/login', { email: 'a@b.test', password: 'x' }],
		['anonymous', '/setup', { schoolName: 'S', name: 'N', email: 'a@b.test', password: 'x' }],
		[
			'anonymous',
			'/join/staff/aaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaa',
			{ name: 'N', password: 'x' }
		],
		['anonymous', `/join/${w.inviteToken}`, { displayName: 'Gast' }],
		['owner', '/?/demo', { x: 'y' }],
		['owner', '/account?/password', { current: 'x', next: 'y' }],
		['owner', '/logout', { x: 'y' }],
		['admin', '/admin/teams?/create', { name: 'Team' }],
		['admin', '/admin/teams?/rename', { teamId: w.teamId, name: 'Team' }],
		['admin', '/admin/teams?/archive', { teamId: w.teamId, archived: 'on' }],
		['admin', '/admin/teams?/addMember', { teamId: w.teamId, userId: w.ownerId }],
		['admin', '/admin/teams?/removeMember', { teamId: w.teamId, userId: w.ownerId }],
		['admin', '/admin/staff?/invite', { name: 'N', email: 'n@b.test', role: 'staff' }],
		['admin', '/admin/staff?/revokeInvite', { inviteId: 'x' }],
		['admin', '/admin/staff?/deactivate', { userId: w.ownerId }],
		['admin', '/admin/staff?/reactivate', { userId: w.ownerId }],
		['admin', '/admin/staff?/role', { userId: w.ownerId, role: 'staff' }],
		['admin', '/admin/students?/preview', { list: 'Jan Jansen;5A' }],
		['admin', '/admin/students?/import', { list: 'Jan Jansen;5A' }],
		['admin', '/admin/students?/update', { studentId: w.studentId, groupName: '5B' }],
		['admin', `/students/${w.studentId}?/consent`, { status: 'given', givenBy: 'parent' }],
		['admin', `/students/signals/${w.boardId}`, { studentId: w.studentId, note: 'n' }],
		['admin', '/reviews?/create', { teamId: w.teamId, title: 'Ronde' }],
		[
			'admin',
			`${round}?/advice`,
			{ studentId: w.studentId, subject: 'Wiskunde', stoplight: 'green', advice: 'a' }
		],
		['admin', `${round}/students/${w.studentId}?/decide`, { status: 'clear', question: 'q' }],
		['admin', `${round}/students/${w.studentId}?/comment`, { adviceId: 'x', body: 'b' }],
		[
			'admin',
			`${round}/plenary?/outcome`,
			{ studentId: w.studentId, outcome: 'o', ownerId: w.ownerId, dueDate: '2026-03-01' }
		],
		['admin', `${round}/prepare/${w.studentId}?/goal`, { text: 't', dueDate: '2026-03-01' }],
		['owner', `/boards/${w.boardId}/share?/addMember`, { userId: w.ownerId, role: 'editor' }],
		['owner', `/boards/${w.boardId}/share?/removeMember`, { userId: w.ownerId }],
		[
			'owner',
			`/boards/${w.boardId}/share?/createInvite`,
			{ role: 'viewer', expiresHours: '24', label: 'l' }
		],
		['owner', `/boards/${w.boardId}/share?/revokeInvite`, { inviteId: 'x' }],
		['owner', `/boards/${w.boardId}/copy`, { title: 'Kopie' }],
		['admin', '/boards?/create', { kind: 'verbeterbord', teamId: w.teamId, title: 'Bord' }],
		['admin', `/students/${w.studentId}?/conversation`, { kind: 'zorgoverleg' }],
		['owner', '/wall/pair?/pair', { code: 'ABCDEF', teamId: w.teamId }],
		['owner', '/wall/pair?/revoke', { pairingId: 'x' }]
	];
}

function jsonEndpoints(w: World): Row[] {
	return [
		[
			'admin',
			`/students/${w.studentId}/updates`,
			{ boardId: w.boardId, line: 'l', stoplight: 'green' }
		],
		['owner', `/boards/${w.boardId}/records`, { title: 't', notes: 'n' }]
	];
}

describe('shared validation helpers', () => {
	it('accepts only real calendar dates', () => {
		expect(isRealDate('2026-02-28')).toBe(true);
		expect(isRealDate('2028-02-29')).toBe(true);
		expect(isRealDate('2026-02-29')).toBe(false);
		expect(isRealDate(IMPOSSIBLE)).toBe(false);
		expect(isRealDate('2026-13-01')).toBe(false);
		expect(isRealDate('2026-1-01')).toBe(false);
	});

	it('/locale accepts only a same-site path', () => {
		for (const ok of ['/', '/boards', '/boards/abc?x=1#y']) expect(isLocalPath(ok), ok).toBe(true);
		for (const bad of [
			'//evil.example',
			'/\\evil.example',
			'/\t/evil.example',
			'https://evil.example',
			'boards',
			'/a\\b'
		]) {
			expect(isLocalPath(bad), JSON.stringify(bad)).toBe(false);
		}
	});
});

describe.each(drivers)('the last line of defence recognises input errors (%s)', (driver) => {
	it(
		'NUL in text and a date that does not exist are input errors; a conflict is not',
		{ timeout: 90_000 },
		async () => {
			const database = await createTestDatabase(driver);
			try {
				const s = await makeSchool(database.db);
				const st = await makeStudent(database.db, s.id);
				const failure = (p: Promise<unknown>) =>
					p.then(
						() => null,
						(e: unknown) => e
					);
				const nul = await failure(
					database.db.update(school).set({ name: NUL }).where(eq(school.id, s.id))
				);
				expect(isInvalidInputError(nul)).toBe(true);
				const date = await failure(
					database.db.update(student).set({ birthDate: IMPOSSIBLE }).where(eq(student.id, st.id))
				);
				expect(isInvalidInputError(date)).toBe(true);
				const conflict = await failure(database.db.insert(school).values({ id: s.id, name: 'x' }));
				expect(conflict).not.toBeNull();
				expect(isInvalidInputError(conflict)).toBe(false);
			} finally {
				await database.destroy();
			}
		}
	);
});

describe.skipIf(!built)('bad input through the SvelteKit handler', () => {
	let child: BuiltChild<World>;
	let w: World;
	const count = (text: string) => child.countRows(text);

	beforeAll(async () => {
		child = forkBuilt<World>('tests/integration/bad-input-server.ts');
		w = await child.world;
	}, 120_000);
	afterAll(async () => {
		await child?.close();
	});

	const headers = (who: Who, type: string, enhance: boolean) => ({
		...(who === 'anonymous' ? {} : { cookie: `groeibord_session=${w.cookies[who]}` }),
		origin: w.url,
		'content-type': type,
		accept: enhance ? 'application/json' : 'text/html',
		...(enhance ? { 'x-sveltekit-action': 'true' } : {})
	});

	it('every form action answers NUL and impossible dates with 4xx and a message, never 500', async () => {
		const problems: string[] = [];
		for (const [who, pathname, fields] of formActions(w)) {
			for (const bad of [NUL, IMPOSSIBLE]) {
				for (const enhance of [false, true]) {
					// NUL goes into every field; the impossible date only into date fields.
					const form = Object.fromEntries(
						Object.entries(fields).map(([k, v]) => [
							k,
							bad === NUL ? `${v}${NUL}` : k.toLowerCase().includes('date') ? IMPOSSIBLE : v
						])
					);
					if (bad === IMPOSSIBLE && !Object.keys(fields).some((k) => /date/i.test(k))) continue;
					const res = await fetch(w.url + pathname, {
						method: 'POST',
						redirect: 'manual',
						headers: headers(who, 'application/x-www-form-urlencoded', enhance),
						body: new URLSearchParams(form).toString()
					});
					const body = await res.text();
					const label = `${pathname} ${bad === NUL ? 'NUL' : 'date'}${enhance ? ' (enhance)' : ''}`;
					let status = res.status;
					// use:enhance gets 200 with an ActionResult: failure/error carry the real status.
					if (enhance && res.status === 200) {
						const result = JSON.parse(body) as { type: string; status?: number };
						status =
							result.type === 'failure' || result.type === 'error' ? (result.status ?? 500) : 200;
					}
					if (status < 400 || status >= 500) problems.push(`${label}: ${status}`);
					else if (!/ongeldig|bestaat niet|date_required|invalid/i.test(body))
						problems.push(`${label}: no message in ${body.slice(0, 120)}`);
				}
			}
		}
		expect(problems).toEqual([]);
	}, 120_000);

	it('both JSON endpoints answer NUL and broken JSON with 400, never 500', async () => {
		const problems: string[] = [];
		for (const [who, pathname, fields] of jsonEndpoints(w)) {
			const bodies = [
				JSON.stringify(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v + NUL]))),
				JSON.stringify({ ...fields, nested: [{ deep: NUL }] }),
				'{"not json'
			];
			for (const body of bodies) {
				const res = await fetch(w.url + pathname, {
					method: 'POST',
					headers: { ...headers(who, 'application/json', false), accept: 'application/json' },
					body
				});
				const text = await res.text();
				if (res.status !== 400) problems.push(`${pathname} ${body.slice(0, 30)}: ${res.status}`);
				else if (!/message/.test(text)) problems.push(`${pathname}: no message`);
			}
		}
		expect(problems).toEqual([]);
	});

	it('a failed join leaves a single-use link usable, and nothing was written', async () => {
		const sessionsBefore = await count(
			`select count(*)::int as n from session where kind = 'guest'`
		);
		const failed = await fetch(`${w.url}/join/${w.inviteToken}`, {
			method: 'POST',
			redirect: 'manual',
			headers: headers('anonymous', 'application/x-www-form-urlencoded', false),
			body: new URLSearchParams({ displayName: `Gast${NUL}` }).toString()
		});
		expect(failed.status).toBe(400);
		expect(await count(`select count(*)::int as n from board_invite where used_count > 0`)).toBe(0);
		const ok = await fetch(`${w.url}/join/${w.inviteToken}`, {
			method: 'POST',
			redirect: 'manual',
			headers: headers('anonymous', 'application/x-www-form-urlencoded', false),
			body: new URLSearchParams({ displayName: 'Gast' }).toString()
		});
		expect(ok.status).toBe(303);
		expect(ok.headers.get('location')).toBe(`/boards/${w.boardId}`);
		expect(await count(`select count(*)::int as n from session where kind = 'guest'`)).toBe(
			sessionsBefore + 1
		);
	});

	it('/locale redirects only to same-site paths', async () => {
		const cases: Array<[string, string]> = [
			['/boards', '/boards'],
			['/\\evil.example', '/'],
			['//evil.example', '/'],
			['/\t/evil.example', '/'],
			['https://evil.example/', '/']
		];
		for (const [back, expected] of cases) {
			const res = await fetch(`${w.url}/locale`, {
				method: 'POST',
				redirect: 'manual',
				headers: headers('anonymous', 'application/x-www-form-urlencoded', false),
				body: new URLSearchParams({ locale: 'en', back }).toString()
			});
			expect(res.status, JSON.stringify(back)).toBe(303);
			expect(res.headers.get('location'), JSON.stringify(back)).toBe(expected);
		}
	});
});
