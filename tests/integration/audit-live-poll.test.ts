/**
 * A page that shows a student's growth live (the growth page, the student page) polls
 * `growth/live` and reruns its load when the stamp moved. One row per view is the rule: the
 * view writes one audit row, the reruns its poll asks for add none, the next real view adds one,
 * and a rerun mark never drops a view that was not logged (a forged mark, or a tab left open
 * past the read window). Real loads and the real endpoint, on PGlite and PostgreSQL.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/actor';
import { auditLog } from '../../src/lib/server/db/schema';
import { BOARD_READ_WINDOW_MS } from '../../src/lib/server/privacy/audit';
import { load as studentLoad } from '../../src/routes/students/[studentId=id]/+page.server';
import { load as growthLoad } from '../../src/routes/students/[studentId=id]/growth/+page.server';
import { GET as liveGet } from '../../src/routes/students/[studentId=id]/growth/live/+server';
import { drivers } from '../helpers/db';
import { asUser, makeSchool, makeStudent, makeUser } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEvent = any;

/** A browser's cookies for one site, as SvelteKit's `cookies` reads and writes them. */
function cookieJar() {
	const jar = new Map<string, string>();
	return {
		jar,
		get: (name: string) => jar.get(name),
		getAll: () => [...jar].map(([name, value]) => ({ name, value })),
		set: (name: string, value: string, options: { maxAge?: number } = {}) => {
			if (options.maxAge === 0) jar.delete(name);
			else jar.set(name, value);
		},
		delete: (name: string) => void jar.delete(name),
		serialize: () => ''
	};
}

const pages = [
	{ page: 'the growth page', path: 'growth', load: growthLoad, action: 'student.timeline.view' },
	{ page: 'the student page', path: '', load: studentLoad, action: 'student.view' }
] as const;

describe.each(drivers)('a live growth page logs one read per view (%s)', (driver) => {
	let rt: TestRuntime;
	let mentor: Actor;
	let mentorId: string;
	let schoolId: string;

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const school = await makeSchool(rt.database.db);
		schoolId = school.id;
		const u = await makeUser(rt.database.db, school.id);
		mentor = asUser(u);
		mentorId = u.id;
	});
	afterAll(async () => {
		await rt?.close();
	});

	async function setup() {
		const kim = await makeStudent(rt.database.db, schoolId, { mentorId });
		const cookies = cookieJar();
		const at = (path: string) => new URL(`http://school.test/students/${kim.id}/${path}`);
		const view = (page: (typeof pages)[number]) =>
			page.load({
				locals: { actor: mentor },
				params: { studentId: kim.id },
				url: at(page.path),
				cookies
			} as AnyEvent);
		const poll = async (since: string) => {
			const res = await liveGet({
				locals: { actor: mentor },
				params: { studentId: kim.id },
				url: at(`growth/live?since=${encodeURIComponent(since)}`),
				cookies
			} as AnyEvent);
			return ((await res.json()) as { stamp: string }).stamp;
		};
		const rows = async (action: string) =>
			rt.database.db
				.select()
				.from(auditLog)
				.where(and(eq(auditLog.action, action), eq(auditLog.subjectId, kim.id)));
		return { kim, cookies, view, poll, rows };
	}

	it.each(pages)(
		'$page: a view writes one row, three polls that reload it add none, the next view adds one',
		async (page) => {
			const { view, poll, rows, cookies } = await setup();
			await view(page);
			expect(await rows(page.action)).toHaveLength(1);
			for (let i = 0; i < 3; i++) {
				// The stamp the page holds is behind: the poll marks the reload it starts.
				await poll(`older-${i}`);
				await view(page);
				expect(cookies.jar.size, 'the mark is taken by the reload').toBe(0);
			}
			expect(await rows(page.action)).toHaveLength(1);
			await view(page);
			expect(await rows(page.action)).toHaveLength(2);
		}
	);

	it('a poll whose stamp did not move marks nothing; a bad stamp is a 400', async () => {
		const { view, poll, cookies, kim } = await setup();
		const data = (await view(pages[0])) as { live: string };
		expect(await poll(data.live)).toBe(data.live);
		expect(cookies.jar.size).toBe(0);
		await expect(
			liveGet({
				locals: { actor: mentor },
				params: { studentId: kim.id },
				url: new URL(`http://school.test/students/${kim.id}/growth/live?since=${'x'.repeat(201)}`),
				cookies
			} as AnyEvent)
		).rejects.toMatchObject({ status: 400 });
	});

	it('a mark never drops a view that was not logged: a first view, or one past the read window', async () => {
		const { view, poll, rows } = await setup();
		const [page] = pages;
		// A mark before any view (a forged one, or a tab whose first row is long gone).
		await poll('older');
		await view(page);
		expect(await rows(page.action)).toHaveLength(1);
		// The logged read is older than the window: the next reload counts as a view again.
		await rt.database.db
			.update(auditLog)
			.set({ createdAt: new Date(Date.now() - BOARD_READ_WINDOW_MS - 1_000) })
			.where(eq(auditLog.action, page.action));
		await poll('older-again');
		await view(page);
		expect(await rows(page.action)).toHaveLength(2);
	});
});
