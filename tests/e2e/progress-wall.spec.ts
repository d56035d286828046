/**
 * A progress wall of 30 students on a 1920×1080 touch wall: every tile on the one screen (the
 * page does not scroll), the name on one line, every target at least 44 px, axe clean, and a
 * tap opens the student's card. The class is the test's own: an admin makes a team, imports
 * 30 students into it and starts a voortgangsbord for it, so the demo class stays as it is.
 */
import type { Page } from '@playwright/test';
import { demo, expect, expectAccessible, loginAs, smallTargets, test } from './fixtures';

const LONG_NAME = 'Maximiliaan-Alexander van Oldenbarnevelt tot Hoogstraten';

async function wallOfThirty(page: Page): Promise<string> {
	const teamName = `Groep 8b wand ${Date.now()}`;
	await page.goto('/admin/teams');
	await page.getByLabel('Naam van het nieuwe team').fill(teamName);
	await page.getByRole('button', { name: 'Team maken' }).click();
	await expect(page.getByRole('heading', { name: teamName })).toBeVisible();

	await page.goto('/admin/students');
	const names = [LONG_NAME, ...Array.from({ length: 29 }, (_, i) => `Wandleerling ${i + 2} Test`)];
	const bulk = page.getByRole('region', { name: 'Leerlingen toevoegen' });
	await bulk.getByLabel('Lijst met leerlingen').fill(names.map((n) => `${n}; groep 8b`).join('\n'));
	await bulk.getByLabel('Team', { exact: true }).selectOption({ label: teamName });
	await bulk.getByRole('button', { name: 'Toevoegen', exact: true }).click();
	await expect(page.getByText('30 leerlingen toegevoegd.')).toBeVisible();

	await page.goto('/boards');
	const form = page.getByRole('region', { name: 'Nieuw bord' });
	await form.getByRole('radio', { name: /^Voortgangsbord/ }).check();
	await form.getByLabel('Team', { exact: true }).selectOption({ label: teamName });
	await form.getByRole('button', { name: 'Bord maken' }).click();
	await expect(page).toHaveURL(/\/boards\/[a-z2-9]{16}$/);
	return new URL(page.url()).pathname;
}

test('a wall of 30 students shows all 30 on one screen, readable and touchable', async ({
	browser,
	page
}) => {
	// Making a team, importing 30 students and a board through the UI takes a while on a busy CI.
	test.setTimeout(150_000);
	await loginAs(page, demo.ib);
	const boardPath = await wallOfThirty(page);

	const context = await browser.newContext({
		viewport: { width: 1920, height: 1080 },
		hasTouch: true,
		locale: 'nl-NL'
	});
	const wall = await context.newPage();
	await loginAs(wall, demo.ib);
	await wall.goto(`${boardPath}?layout=wall`);
	const tiles = wall.locator('[data-tile-open]');
	await expect(tiles).toHaveCount(30);
	await expect(wall.locator('[data-live="connected"]')).toBeVisible();

	// All 30 inside the viewport, and nothing to scroll: not the page, not the grid.
	for (const box of await tiles.evaluateAll((els) =>
		els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect)
	)) {
		expect(box.top).toBeGreaterThanOrEqual(0);
		expect(box.bottom).toBeLessThanOrEqual(1080);
		expect(box.height).toBeGreaterThanOrEqual(44);
	}
	expect(
		await wall.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)
	).toBe(true);
	const grid = wall.getByRole('list', { name: 'Leerlingen' });
	expect(await grid.evaluate((el) => el.scrollHeight <= el.clientHeight)).toBe(true);

	// The name on one line, cut off on screen but whole in the accessible name.
	const long = tiles.filter({ hasText: 'Maximiliaan' });
	await expect(long).toHaveAccessibleName(new RegExp(`^${LONG_NAME}`));
	const name = long.locator('.name');
	const lines = await name.evaluate(
		(el) => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)
	);
	expect(lines).toBeLessThan(1.5);
	expect((await name.boundingBox())!.width).toBeGreaterThan(150);
	expect(await name.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThan(
		18
	);
	// The stoplight says itself in words, not in colour alone.
	await expect(long).toContainText('Nog geen');

	expect(await smallTargets(wall, 44)).toEqual([]);
	await expectAccessible(wall);
	await wall.screenshot({ path: '/tmp/progress-wall-30.png' });

	// One tap opens the student's card; closing returns to the tile.
	await long.tap();
	const sheet = wall.getByTestId('student-sheet');
	await expect(sheet.getByRole('heading', { name: LONG_NAME })).toBeVisible();
	await expectAccessible(wall);
	expect(await smallTargets(wall, 44)).toEqual([]);
	await sheet.getByRole('button', { name: 'Sluiten' }).tap();
	await expect(sheet).toBeHidden();
	await expect(long).toBeFocused();
	await context.close();
});

test('the demo class on a wall: photos, stoplights and flags, masked particulars, no scroll', async ({
	browser
}) => {
	const context = await browser.newContext({
		viewport: { width: 1920, height: 1080 },
		hasTouch: true,
		locale: 'nl-NL'
	});
	const wall = await context.newPage();
	await loginAs(wall, demo.docent);
	await wall.goto('/boards/demoboardvoor22a?layout=wall');
	const tiles = wall.locator('[data-tile-open]');
	await expect(tiles.first()).toBeVisible();
	const count = await tiles.count();
	expect(count).toBeGreaterThanOrEqual(20);
	await expect(tiles.locator('img[data-photo]').first()).toBeVisible();
	await wall.screenshot({ path: '/tmp/progress-wall-demo.png' });
	// Particulars are not on a shared screen until someone opens the card.
	await expect(wall.getByText('Bijzonderheden: tik om te tonen').first()).toBeVisible();
	await expect(wall.getByText('Vaak te laat in het eerste uur')).toHaveCount(0);
	expect(
		await wall.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)
	).toBe(true);

	// A phone keeps the full cards, one under the other.
	const phone = await (
		await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true })
	).newPage();
	await loginAs(phone, demo.docent);
	await phone.goto('/boards/demoboardvoor22a');
	await expect(phone.locator('article[data-student]').first()).toBeInViewport();
	await phone.screenshot({ path: '/tmp/progress-wall-phone.png' });
	await Promise.all([context.close(), phone.context().close()]);
});
