/**
 * No grades (seed 000: "ontwikkeling niet reduceren tot vinkjes of cijfers"): the pages the
 * demo student Noor opens through her link, rendered as the server renders them from her
 * seeded school year, hold no grade, no level as a bare number and no percentage. A parent
 * guest, who sees only their child's conversation boards, gets no growth page at all.
 */
import { render } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/actor';
import { DEMO_SCHOOL_ID, seedDemo } from '../../src/lib/server/demo';
import GrowthPage from '../../src/routes/students/[studentId=id]/growth/+page.svelte';
import { load as growthLoad } from '../../src/routes/students/[studentId=id]/growth/+page.server';
import EvidencePage from '../../src/routes/students/[studentId=id]/evidence/+page.svelte';
import { load as evidenceLoad } from '../../src/routes/students/[studentId=id]/evidence/+page.server';
import MePage from '../../src/routes/me/+page.svelte';
import { load as meLoad } from '../../src/routes/me/+page.server';
import { drivers } from '../helpers/db';
import { fakeSession } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const NOOR = 'demostudenta2222';
const noor: Actor = {
	kind: 'student',
	session: fakeSession,
	schoolId: DEMO_SCHOOL_ID,
	studentId: NOOR,
	displayName: 'Noor de Jong'
};

/** The visible text of rendered HTML: tags, styles and attribute values (ids, URLs) left out. */
function visibleText(html: string): string {
	return html
		.replace(/<style[\s\S]*?<\/style>/g, ' ')
		.replace(/<!--[\s\S]*?-->/g, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&nbsp;/g, ' ')
		.replace(/\s+/g, ' ');
}

/**
 * What a grade looks like in Dutch schools: a percentage, a mark out of ten ("7,5", "6/10"),
 * the words for marks and pass/fail, or a level that is only a number ("niveau 3", "3 van 4").
 */
const gradeLike = [
	/\d\s*%/,
	/\bprocent\b/i,
	/\b\d{1,2}[,.]\d\b/,
	/\b\d{1,2}\s*\/\s*10\b/,
	/\b(cijfer|cijfers|score|punten|voldoende|onvoldoende|geslaagd|gezakt)\b/i,
	/\bniveau\s*\d/i,
	/\b\d\s*(van|uit)\s*\d\b/
];

describe.each(drivers)('no grades in what a student or parent sees (%s)', (driver) => {
	let rt: TestRuntime;
	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		await seedDemo(rt.database.db);
	});
	afterAll(async () => {
		await rt?.close();
	});

	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const event = (actor: Actor, path: string): any => ({
		locals: { actor },
		params: { studentId: NOOR },
		url: new URL(`http://localhost${path}`)
	});

	it.each([
		['/students/<id>/growth', GrowthPage, growthLoad, `/students/${NOOR}/growth`],
		['/students/<id>/evidence', EvidencePage, evidenceLoad, `/students/${NOOR}/evidence`],
		['/me', MePage, meLoad, '/me']
	] as const)(
		'Noor’s %s shows levels in words and nothing grade-like',
		async (_, Page, load, path) => {
			const data = await (load as (e: unknown) => Promise<Record<string, unknown>>)(
				event(noor, path)
			);
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			const { body } = render(Page as any, { props: { data, form: null } });
			const text = visibleText(body);
			for (const pattern of gradeLike) expect(text).not.toMatch(pattern);
			if (path.endsWith('/growth')) {
				// It is the real page with her year on it: levels in words, her stagnation question.
				expect(text).toContain('Ik vraag op tijd om hulp');
				expect(text).toContain('een stap verder');
				expect(text).toMatch(/geen stap op ‘Ik doe iets met feedback’ volgens jou en je mentor/);
			}
		}
	);

	it('the check catches a grade, a bare-number level and a percentage', () => {
		const hits = (s: string) => gradeLike.some((p) => p.test(visibleText(s)));
		expect(hits('<p>Plannen: 7,5</p>')).toBe(true);
		expect(hits('<p>Niveau 3</p>')).toBe(true);
		expect(hits('<p>80% gehaald</p>')).toBe(true);
		expect(hits('<p>2 van 4</p>')).toBe(true);
		expect(hits('<p>Ik plan mijn werk zelf</p>')).toBe(false);
	});

	it('a parent guest gets no growth page of the child', async () => {
		const parent: Actor = {
			kind: 'guest',
			session: fakeSession,
			schoolId: DEMO_SCHOOL_ID,
			boardId: 'nosuchboard22222',
			role: 'parent',
			displayName: 'Ouder'
		};
		await expect(growthLoad(event(parent, `/students/${NOOR}/growth`))).rejects.toMatchObject({
			status: 404
		});
	});
});
