/**
 * Dates are read, never ISO: every main page a staff member opens in the demo (and a
 * student's own page through their link) shows "24 november 2026" or "vr 8 jan", not
 * "2026-11-24". Date inputs (type=date) keep their machine value, which is not visible text.
 */
import type { Page } from '@playwright/test';
import { demo, expect, loginAs, test } from './fixtures';

const ISO_DAY = /\b\d{4}-\d{2}-\d{2}\b/;

/** The text a person reads on the page, and its title; date inputs' values are not in it. */
async function readable(page: Page) {
	return page.evaluate(() => `${document.title}\n${document.body.innerText}`);
}

async function expectNoIsoDates(page: Page, path: string) {
	const response = await page.goto(path);
	expect(response?.status(), path).toBeLessThan(400);
	// Live boards fill in from sync after the page loads; let them settle.
	await page.waitForLoadState('networkidle');
	const text = await readable(page);
	const hits = text.split('\n').filter((line) => ISO_DAY.test(line));
	expect(hits, `${path} shows an ISO date`).toEqual([]);
}

/** Every link on the page whose address matches, without duplicates. */
async function linksTo(page: Page, pattern: RegExp) {
	const hrefs = await page
		.locator('a[href]')
		.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
	return [...new Set(hrefs.filter((h) => pattern.test(h)))];
}

test('no page a staff member opens in the demo shows an ISO date', async ({ page }) => {
	test.setTimeout(240_000);
	await loginAs(page, demo.ib);
	const pages = [
		'/today',
		'/boards',
		'/students',
		'/reviews',
		'/account',
		'/privacy',
		'/admin/staff',
		'/admin/students',
		'/admin/teams',
		'/admin/audit',
		'/admin/retention',
		'/wall/pair'
	];
	await page.goto('/boards');
	pages.push(...(await linksTo(page, /^\/boards\/[a-z0-9]+$/)));
	for (const board of ['demoboardverb22a', 'demoboardzorg22a']) {
		pages.push(`/boards/${board}/history`, `/boards/${board}/share`);
		await page.goto(`/boards/${board}/history`);
		pages.push(...(await linksTo(page, /\/summary\//)).slice(0, 2));
	}
	await page.goto('/students');
	const students = (await linksTo(page, /^\/students\/[a-z0-9]+$/)).slice(0, 3);
	for (const s of students) pages.push(s, `${s}/growth`);
	await page.goto('/today');
	pages.push(...(await linksTo(page, /^\/teams\/[^/]+\/successes$/)));
	pages.push('/teams/demoteam2222222a/successes');

	expect(pages.length).toBeGreaterThan(25);
	for (const path of new Set(pages)) await expectNoIsoDates(page, path);
});

test('a student’s own page through their link shows no ISO date', async ({ page, browser }) => {
	await loginAs(page, demo.mentor);
	// Not Noor: the student-link spec expects her to have no link yet.
	await page.goto('/students/demostudentb2222');
	const card = page.getByRole('region', { name: 'Persoonlijke link' });
	await card.getByRole('button', { name: 'Link maken' }).click();
	const field = page.locator('#student-link');
	await expect(field).toHaveValue(/\/s\//);
	const link = await field.inputValue();
	await expectNoIsoDates(page, '/students/demostudentb2222');

	const student = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
	await student.goto(link);
	await student.getByRole('button', { name: 'Open mijn pagina' }).click();
	await expect(student).toHaveURL(/\/me$/);
	await expectNoIsoDates(student, '/me');
	for (const board of await linksTo(student, /^\/boards\/[a-z0-9]+$/)) {
		await expectNoIsoDates(student, board);
	}
	await student.context().close();
});
