/**
 * Who may do what, table-driven, through the real SvelteKit handler (build/handler.js, so run
 * `npm run build` first; the suite is skipped with a note when the build is missing).
 *
 * Rows are actions (page loads and form actions), columns are roles; each cell is what the
 * role must get: 'ok' (200), 'login' (303 to /login), 'nf' (404, the same for "missing" and
 * "forbidden"), 'bad' (400: the action ran its own checks, so the role got through),
 * or a path it is redirected to.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatrixMessage } from './access-matrix-server';

const built = existsSync(path.resolve('build/handler.js'));
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const roles = [
	'admin',
	'teamStaff',
	'outsider',
	'owner',
	'editor',
	'viewer',
	'guestEditor',
	'guestViewer',
	'guestChild',
	'wall',
	'anonymous'
] as const;
type Role = (typeof roles)[number];
type Expect = 'ok' | 'login' | 'nf' | 'bad' | `/${string}`;

/** One expectation for everyone, then the exceptions. */
function row(base: Expect, except: Partial<Record<Role, Expect>> = {}): Record<Role, Expect> {
	return Object.fromEntries(roles.map((r) => [r, except[r] ?? base])) as Record<Role, Expect>;
}
const staffOnly = (ok: Expect) =>
	row('nf', {
		admin: ok,
		teamStaff: ok,
		outsider: ok,
		owner: ok,
		editor: ok,
		viewer: ok,
		anonymous: 'login'
	});
const adminOnly = row('nf', { admin: 'ok', anonymous: 'login' });

interface World {
	url: string;
	cookies: Record<Exclude<Role, 'anonymous'>, string>;
	boardId: string;
	otherBoardId: string;
	personalBoardId: string;
	studentId: string;
	photoId: string;
	photoWithoutConsentId: string;
	inviteId: string;
}

function pages(w: World): Array<[string, Record<Role, Expect>]> {
	const guestHome = `/boards/${w.boardId}` as const;
	return [
		[
			'/boards',
			row('ok', {
				guestEditor: guestHome,
				guestViewer: guestHome,
				guestChild: guestHome,
				anonymous: 'login'
			})
		],
		[`/boards/${w.boardId}`, row('ok', { outsider: 'nf', anonymous: 'login' })],
		[
			`/boards/${w.otherBoardId}`,
			row('nf', { admin: 'ok', teamStaff: 'ok', wall: 'ok', anonymous: 'login' })
		],
		// A care meeting about one child: team membership alone does not open it, nor the wall.
		[`/boards/${w.personalBoardId}`, row('nf', { admin: 'ok', anonymous: 'login' })],
		[`/boards/${w.boardId}/share`, row('nf', { admin: 'ok', owner: 'ok', anonymous: 'login' })],
		[`/boards/${w.otherBoardId}/share`, row('nf', { admin: 'ok', anonymous: 'login' })],
		// A student's photo: admin, the student's team and the team's wall; nobody without consent.
		[`/media/${w.photoId}`, row('nf', { admin: 'ok', teamStaff: 'ok', wall: 'ok' })],
		[`/media/${w.photoId}?size=thumb`, row('nf', { admin: 'ok', teamStaff: 'ok', wall: 'ok' })],
		[`/media/${w.photoWithoutConsentId}`, row('nf')],
		['/admin/staff', adminOnly],
		['/admin/teams', adminOnly],
		['/admin/students', adminOnly],
		[`/admin/students/${w.studentId}/export`, adminOnly],
		['/admin/students/doesnotexist2222/export', row('nf', { anonymous: 'login' })],
		['/account', staffOnly('ok')],
		['/wall/pair', staffOnly('ok')],
		[
			'/wall',
			row('/wall/pair', {
				guestEditor: 'nf',
				guestViewer: 'nf',
				guestChild: 'nf',
				wall: 'ok',
				anonymous: 'ok'
			})
		]
	];
}

function actions(w: World): Array<[string, Record<string, string>, Record<Role, Expect>]> {
	return [
		[
			`/boards/${w.boardId}/share?/createInvite`,
			{ role: 'viewer', expiresHours: '2', label: 'matrix' },
			row('nf', { admin: 'ok', owner: 'ok', anonymous: 'login' })
		],
		[
			`/boards/${w.boardId}/share?/addMember`,
			{ userId: 'nobody2222222222', role: 'editor' },
			row('nf', { admin: 'bad', owner: 'bad', anonymous: 'login' })
		],
		[
			// Another board's invite through this board's page: nobody, not even an admin.
			`/boards/${w.boardId}/share?/revokeInvite`,
			{ inviteId: w.inviteId },
			row('nf', { anonymous: 'login' })
		],
		[
			'/admin/staff?/invite',
			{ name: 'Matrix', email: 'matrix@school.test', role: 'staff' },
			row('nf', { admin: 'ok', anonymous: 'login' })
		],
		[
			'/admin/teams?/create',
			{ name: 'Matrixteam' },
			row('nf', { admin: 'ok', anonymous: 'login' })
		],
		[
			'/admin/students?/import',
			{ list: '; zonder naam' },
			row('nf', { admin: 'bad', anonymous: 'login' })
		],
		[
			`/boards/${w.boardId}/share?/removeMember`,
			{ userId: 'nobody2222222222' },
			row('nf', { admin: 'ok', owner: 'ok', anonymous: 'login' })
		],
		[
			'/admin/staff?/deactivate',
			{ userId: 'nobody2222222222' },
			row('nf', { admin: 'bad', anonymous: 'login' })
		],
		['/admin/staff?/role', { userId: '' }, row('nf', { admin: 'bad', anonymous: 'login' })],
		[
			'/admin/teams?/rename',
			{ teamId: 'x', name: '' },
			row('nf', { admin: 'bad', anonymous: 'login' })
		],
		[
			'/admin/students?/update',
			{ studentId: '', groupName: '' },
			row('nf', { admin: 'bad', anonymous: 'login' })
		],
		['/wall/pair?/pair', { code: 'ZZZZZZ', teamId: 'x' }, staffOnly('bad')],
		['/account?/password', { current: 'fout', next: 'nieuw wachtwoord 99' }, staffOnly('bad')]
	];
}

function outcome(res: Response): Expect | string {
	if (res.status === 200) return 'ok';
	if (res.status === 404) return 'nf';
	if (res.status === 400) return 'bad';
	if (res.status === 303 || res.status === 302 || res.status === 307) {
		const to = new URL(res.headers.get('location') ?? '', 'http://x').pathname;
		return to === '/login' ? 'login' : to;
	}
	return `status ${res.status}`;
}

describe.skipIf(!built)('access matrix through the SvelteKit handler', () => {
	let child: ChildProcess;
	let w: World;
	const pending = new Map<number, (result: unknown) => void>();
	let nextId = 1;
	function ask(message: DistributiveOmit<MatrixMessage, 'id'>): Promise<unknown> {
		const id = nextId++;
		return new Promise((resolve) => {
			pending.set(id, resolve);
			child.send({ ...message, id });
		});
	}
	const countRows = async (text: string) =>
		((await ask({ op: 'sql', text })) as Array<{ n: number }>)[0]!.n;

	beforeAll(async () => {
		child = fork(path.resolve('tests/integration/access-matrix-server.ts'), [], {
			execArgv: ['--import', 'tsx'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc']
		});
		child.on('message', (msg: { id: number; result: unknown }) => {
			pending.get(msg.id)?.(msg.result);
			pending.delete(msg.id);
		});
		w = (await new Promise<unknown>((resolve) => pending.set(0, resolve))) as World;
	}, 120_000);

	afterAll(async () => {
		if (child?.connected) await ask({ op: 'close' });
	});

	const request = (role: Role, pathname: string, form?: Record<string, string>) =>
		fetch(w.url + pathname, {
			method: form ? 'POST' : 'GET',
			redirect: 'manual',
			headers: {
				...(role === 'anonymous' ? {} : { cookie: `groeibord_session=${w.cookies[role]}` }),
				// A browser's plain form post: HTML back, not the JSON that use:enhance asks for.
				accept: 'text/html',
				...(form ? { origin: w.url, 'content-type': 'application/x-www-form-urlencoded' } : {})
			},
			body: form ? new URLSearchParams(form).toString() : undefined
		});

	it('pages: each role gets exactly what the table says', async () => {
		const problems: string[] = [];
		for (const [pathname, expected] of pages(w)) {
			for (const role of roles) {
				const res = await request(role, pathname);
				await res.arrayBuffer();
				const got = outcome(res);
				if (got !== expected[role]) {
					problems.push(`GET ${pathname} as ${role}: expected ${expected[role]}, got ${got}`);
				}
				if (res.status === 200) expect(res.headers.get('cache-control')).toContain('no-store');
				if (res.status === 200 && pathname.startsWith('/media/')) {
					expect(res.headers.get('content-type')).toBe('image/webp');
				}
			}
		}
		expect(problems).toEqual([]);
	});

	it('form actions: each role gets exactly what the table says, and refused ones change nothing', async () => {
		const problems: string[] = [];
		const invites = `select count(*)::int as n from board_invite`;
		const before = await countRows(invites);
		for (const [pathname, form, expected] of actions(w)) {
			for (const role of roles) {
				const res = await request(role, pathname, form);
				await res.arrayBuffer();
				const got = outcome(res);
				if (got !== expected[role]) {
					problems.push(`POST ${pathname} as ${role}: expected ${expected[role]}, got ${got}`);
				}
			}
		}
		expect(problems).toEqual([]);
		// Only the two allowed roles (admin, owner) created an invite; the foreign revoke did nothing.
		expect((await countRows(invites)) - before).toBe(2);
		expect(
			await countRows(
				`select count(*)::int as n from board_invite where id = '${w.inviteId}' and revoked_at is null`
			)
		).toBe(1);
		expect(await countRows(`select count(*)::int as n from staff_invite`)).toBe(1);
		expect(await countRows(`select count(*)::int as n from team where name = 'Matrixteam'`)).toBe(
			1
		);
		expect(await countRows(`select count(*)::int as n from board_member`)).toBe(3);
	});

	it('a POST from a foreign origin is refused', async () => {
		const res = await fetch(`${w.url}/admin/teams?/create`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				cookie: `groeibord_session=${w.cookies.admin}`,
				origin: 'https://evil.example',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: 'name=Evil'
		});
		expect(res.status).toBe(403);
		expect(await countRows(`select count(*)::int as n from team where name = 'Evil'`)).toBe(0);
	});

	it('the student export is an audited, uncached JSON download', async () => {
		const res = await request('admin', `/admin/students/${w.studentId}/export`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
		expect(res.headers.get('cache-control')).toBe('no-store');
		const body = (await res.json()) as { student: { id: string }; media: unknown[] };
		expect(body.student.id).toBe(w.studentId);
		const audits = await countRows(
			`select count(*)::int as n from audit_log where student_id = '${w.studentId}' and action = 'student.export'`
		);
		expect(audits).toBeGreaterThanOrEqual(2); // the matrix run and this one
	});

	it('guest join: no-referrer, a name, a session for that board only; dead links explain', async () => {
		const token = (await ask({
			op: 'invite',
			boardId: w.boardId,
			singleUse: true,
			hours: 1
		})) as string;
		const page = await fetch(`${w.url}/join/${token}`);
		expect(page.headers.get('referrer-policy')).toBe('no-referrer');
		expect(await page.text()).toContain('Testbord');

		const post = (name: string) =>
			fetch(`${w.url}/join/${token}`, {
				method: 'POST',
				redirect: 'manual',
				headers: {
					accept: 'text/html',
					origin: w.url,
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: new URLSearchParams({ displayName: name }).toString()
			});
		expect((await post('   ')).status).toBe(400);
		expect((await post('x'.repeat(61))).status).toBe(400);
		const joined = await post('Moeder van Kim');
		expect(joined.status).toBe(303);
		expect(joined.headers.get('location')).toBe(`/boards/${w.boardId}`);
		expect(joined.headers.get('set-cookie')).toMatch(/groeibord_session=.*HttpOnly/i);

		// Single use: the second visitor gets a clear page, in Dutch by default.
		const again = await fetch(`${w.url}/join/${token}`);
		expect(await again.text()).toContain('al gebruikt');
		const bogus = await fetch(`${w.url}/join/${token.slice(0, -2)}zz`, {
			headers: { cookie: 'PARAGLIDE_LOCALE=en' }
		});
		expect(bogus.status).toBe(200);
		expect(await bogus.text()).toMatch(/does not work|werkt niet/);
	});
});
