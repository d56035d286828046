/**
 * The progress wall in real browsers against the built server with live sync: two mentors at
 * the same time, the orange/red filter, and a consent withdrawal reaching an open screen.
 */
import type { Browser, Page } from '@playwright/test';
import { demo, expect, expectAccessible, loginAs, test } from './fixtures';

const WALL = '/boards/demoboardvoor22a';
const NOOR = 'demostudenta2222'; // mentor: Mehmet (mentor@)
const MILA = 'demostudente2222'; // mentor: Daan (docent@)

async function openWall(browser: Browser, email: string, live = true): Promise<Page> {
	const context = await browser.newContext({ locale: 'nl-NL' });
	const page = await context.newPage();
	await loginAs(page, email);
	await page.goto(WALL);
	await expect(page.locator('article[data-student]').first()).toBeVisible();
	if (live) await expect(page.locator('[data-live="connected"]')).toBeVisible();
	return page;
}

const card = (page: Page, id: string) => page.locator(`article[data-student="${id}"]`);

async function updateStudent(page: Page, id: string, key: '1' | '2' | '3', note: string) {
	await card(page, id).getByRole('button', { name: 'Bijwerken' }).click();
	const panel = page.getByRole('region', { name: 'Wekelijkse update' });
	await expect(panel).toBeVisible();
	await page.keyboard.press(key);
	await panel.getByLabel('Eén regel bijzonderheden').fill(note);
	await panel.getByRole('button', { name: /Opslaan en volgende/ }).click();
}

test('two mentors update different students at the same time and see each other live', async ({
	browser
}) => {
	const [mehmet, daan] = await Promise.all([
		openWall(browser, demo.mentor),
		openWall(browser, demo.docent)
	]);
	await expectAccessible(mehmet);

	await Promise.all([
		updateStudent(mehmet, NOOR, '3', 'Gesprek met ouders gepland'),
		updateStudent(daan, MILA, '2', 'Stageplek nog zoeken')
	]);

	for (const page of [mehmet, daan]) {
		await expect(card(page, NOOR)).toHaveAttribute('data-stoplight', 'red');
		await expect(card(page, NOOR)).toContainText('Gesprek met ouders gepland');
		await expect(card(page, MILA)).toHaveAttribute('data-stoplight', 'orange');
		await expect(card(page, MILA)).toContainText('Stageplek nog zoeken');
	}

	// The filter "orange/red" shows exactly the orange and red students.
	const all = mehmet.locator('article[data-student]');
	const expected = await all.evaluateAll((els) =>
		els
			.filter((e) => ['orange', 'red'].includes(e.getAttribute('data-stoplight') ?? ''))
			.map((e) => e.getAttribute('data-student'))
			.sort()
	);
	expect(expected.length).toBeGreaterThan(1);
	await mehmet.getByRole('button', { name: 'Oranje en rood' }).click();
	await expect(all).toHaveCount(expected.length);
	const shown = await all.evaluateAll((els) =>
		els.map((e) => e.getAttribute('data-student')).sort()
	);
	expect(shown).toEqual(expected);
	await expect(mehmet.locator('article[data-stoplight="green"]')).toHaveCount(0);

	// The server derived the history from the board (after a quiet moment, so one pass is one
	// event): the student page timeline shows it once it is written.
	await expect(async () => {
		await mehmet.goto(`/students/${NOOR}`);
		await expect(mehmet.getByRole('heading', { name: 'Tijdlijn' })).toBeVisible();
		await expect(mehmet.locator('.timeline li').first()).toContainText(
			'Gesprek met ouders gepland',
			{ timeout: 1_000 }
		);
	}).toPass({ timeout: 15_000 });
	await expectAccessible(mehmet);
	await Promise.all([mehmet.context().close(), daan.context().close()]);
});

test('withdrawing consent hides the photo in an open second browser within seconds', async ({
	browser
}) => {
	// Photos follow consent over plain HTTP (a short poll), so this needs no live connection.
	const viewer = await openWall(browser, demo.docent, false);
	const photo = card(viewer, NOOR).locator('img');
	await expect(photo).toBeVisible();
	const photoUrl = await photo.getAttribute('src');

	const admin = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
	await loginAs(admin, demo.ib);
	await admin.goto(`/students/${NOOR}`);
	await admin.getByRole('button', { name: 'Toestemming intrekken' }).click();
	await expect(admin.getByRole('button', { name: 'Toestemming vastleggen' })).toBeVisible();

	await expect(card(viewer, NOOR).locator('img')).toHaveCount(0, { timeout: 8_000 });
	await expect(card(viewer, NOOR).locator('.initials')).toBeVisible();
	// And the URL itself now answers 404, for the admin too.
	expect((await admin.request.get(photoUrl!)).status()).toBe(404);
});

test('the weekly pass over 20 students works from the keyboard alone', async ({ browser }) => {
	const page = await openWall(browser, demo.mentor);
	await page.getByRole('button', { name: /Wekelijkse update \(20\)/ }).click();
	const panel = page.getByRole('region', { name: 'Wekelijkse update' });
	await expect(panel).toContainText('Leerling 1 van 20');
	const started = Date.now();
	for (let i = 1; i <= 20; i++) {
		await expect(panel).toContainText(`Leerling ${i} van 20`);
		await page.keyboard.press(i % 4 === 0 ? '2' : '1');
		await page.keyboard.press('Enter');
	}
	await expect(panel).toBeHidden();
	const seconds = (Date.now() - started) / 1000;
	console.log(`weekly pass, 20 students by keyboard: ${seconds.toFixed(1)} s`);
	await expect(page.locator('article[data-stoplight="orange"]')).not.toHaveCount(0);
	// Every update reached the history: the filter "changed this week" shows all 20.
	await page
		.getByRole('combobox', { name: 'Mentor', exact: true })
		.selectOption({ label: 'Mehmet Yilmaz' });
	await page.getByLabel('Deze week bijgewerkt').check();
	await expect(page.locator('article[data-student]')).toHaveCount(20);
});
