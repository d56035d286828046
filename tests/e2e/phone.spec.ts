/**
 * A 390×844 phone: one compact bar with a menu for the rest, the back arrow full size, and on
 * every kind of board the first card or student above the fold.
 */
import type { Browser, Page } from '@playwright/test';
import { demo, expect, expectAccessible, loginAs, test } from './fixtures';
import { DEMO_VERBETERBORD, area, copyBoard } from './board-page';

const FOLD = 844;

async function openPhone(browser: Browser): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width: 390, height: FOLD },
		hasTouch: true,
		isMobile: true,
		locale: 'nl-NL'
	});
	const page = await context.newPage();
	await loginAs(page, demo.mentor);
	return page;
}

/** The top of an element, as laid out at the top of the page. */
const topOf = (page: Page, selector: string) =>
	page
		.locator(selector)
		.first()
		.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);

test('one compact bar, a menu for the rest, a back arrow at full size', async ({ browser }) => {
	const page = await openPhone(browser);
	const bar = page.locator('header.topbar');
	expect((await bar.boundingBox())!.height).toBeLessThanOrEqual(64);
	await expect(bar).toContainText('Borden');
	await expect(page.getByRole('link', { name: 'Mijn leerlingen' })).toBeHidden();

	const menu = page.getByRole('button', { name: 'Menu' });
	await menu.tap();
	await expect(menu).toHaveAttribute('aria-expanded', 'true');
	await expect(page.getByRole('link', { name: 'Mijn leerlingen' })).toBeVisible();
	// Every target in the bar and its menu (the page below has its own tests).
	const targets = await bar.locator('a[href], button, summary').evaluateAll((els) =>
		els
			.map((el) => el.getBoundingClientRect())
			.filter((r) => r.width > 0 && r.height > 0)
			.map((r) => Math.min(r.width, r.height))
	);
	expect(targets.length).toBeGreaterThan(5);
	expect(Math.min(...targets)).toBeGreaterThanOrEqual(44);
	await expectAccessible(page);
	await page.keyboard.press('Escape');
	await expect(page.getByRole('link', { name: 'Mijn leerlingen' })).toBeHidden();

	await page.goto('/boards/demoboardvoor22a');
	const back = page.getByRole('link', { name: /Terug/ });
	const box = (await back.boundingBox())!;
	expect(box.width).toBeGreaterThanOrEqual(44);
	expect(box.height).toBeGreaterThanOrEqual(44);
	await page.context().close();
});

test('the first student or card is above the fold on every board', async ({ browser }) => {
	const page = await openPhone(browser);

	await page.goto('/boards/demoboardvoor22a');
	await expect(page.locator('article.student').first()).toBeVisible();
	expect(await topOf(page, 'article.student')).toBeLessThan(FOLD - 60);

	// A verbeterbord and a zorgbord with a card each (copies, so no other test's board changes).
	for (const [source, column, label] of [
		['demoboardverb22a', 'successes', 'Successen'],
		['demoboardzorg22a', 'successes', 'Successen']
	] as const) {
		await copyBoard(page, 'Telefoon', `/boards/${source}`);
		await expect(page.locator('.vb')).toHaveAttribute('data-synced', 'true');
		const section = area(page, column);
		await section.getByText(`+ Kaart bij ${label}`).click();
		await section.getByLabel('Titel', { exact: true }).fill('Rustig begin van de dag');
		await section.getByRole('button', { name: 'Toevoegen' }).click();
		await expect(page.getByTestId('card')).toHaveCount(1);
		await page.reload();
		await expect(page.getByTestId('card')).toBeVisible();
		expect(await topOf(page, '[data-testid="card"]')).toBeLessThan(FOLD - 60);
	}
	await page.context().close();
});

test('everyone on the board in one line: the viewer, then "+N" for the others', async ({
	browser
}) => {
	const page = await openPhone(browser);
	await page.goto(DEMO_VERBETERBORD);
	await expect(page.locator('.vb')).toHaveAttribute('data-synced', 'true');
	const list = page.getByRole('list', { name: 'Nu op het bord' });
	await expect(list).toBeVisible();
	const lineHeight = (await list.boundingBox())!.height;
	const boardTop = await topOf(page, 'section[data-area]');

	// Three colleagues open the same board on their laptops.
	const others: Page[] = [];
	for (const who of [demo.ib, demo.docent, demo.mentor]) {
		const context = await browser.newContext({ locale: 'nl-NL' });
		const other = await context.newPage();
		await loginAs(other, who);
		await other.goto(DEMO_VERBETERBORD);
		await expect(other.locator('.vb')).toHaveAttribute('data-synced', 'true');
		others.push(other);
	}

	const more = list.locator('li.more:visible');
	await expect(more).toHaveText(/\+3 anderen/);
	await expect(more.locator('.visually-hidden')).toHaveText(/^en nog 3 anderen: .+, .+, .+$/);
	// The viewer and the "+N": nobody clipped out of sight, nothing wrapped, nothing moved.
	await expect(list.locator('li:visible')).toHaveCount(2);
	await expect(list.locator('li:visible').first()).toContainText('(jij)');
	expect((await list.boundingBox())!.height).toBe(lineHeight);
	expect(await topOf(page, 'section[data-area]')).toBe(boardTop);
	const listBox = (await list.boundingBox())!;
	const moreBox = (await more.boundingBox())!;
	expect(moreBox.x + moreBox.width).toBeLessThanOrEqual(listBox.x + listBox.width + 0.5);

	for (const other of others) await other.context().close();
	await page.context().close();
});
