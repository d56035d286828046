/**
 * A board without a network: "Offline" within 5 s, a reload still opens the board (the service
 * worker's page, the board's offline copy), and an edit made meanwhile arrives after reconnecting.
 */
import type { Browser } from '@playwright/test';
import { area, card, copyBoard } from './board-page';
import { demo, expect, loginAs, test } from './fixtures';

async function staffPage(browser: Browser, email: string) {
	const context = await browser.newContext({ locale: 'nl-NL' });
	const page = await context.newPage();
	await loginAs(page, email);
	return page;
}

test('offline within 5 s, a reload opens the board from cache, the edit arrives on reconnect', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const wall = await staffPage(browser, demo.mentor);
	const board = await copyBoard(wall, 'Offline');
	await expect(wall.locator('.vb')).toHaveAttribute('data-synced', 'true');
	// The service worker took control (it claims the page once installed); one more load so the
	// board page itself passed through it and was kept.
	await wall.waitForFunction(async () => {
		const registration = await navigator.serviceWorker?.ready;
		return !!registration?.active && !!navigator.serviceWorker.controller;
	});
	await wall.reload();
	await expect(wall.locator('.vb')).toHaveAttribute('data-synced', 'true');
	const ideas = area(wall, 'ideas');
	await ideas.getByText('+ Kaart bij Ideeën').click();
	await ideas.getByLabel('Titel', { exact: true }).fill('Van voor de storing');
	await ideas.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(card(wall, 'Van voor de storing')).toBeVisible();
	await expect(wall.locator('.sync-status')).toHaveAttribute('data-state', 'ok');

	const other = await staffPage(browser, demo.docent);
	await other.goto(board);
	await expect(other.locator('.vb')).toHaveAttribute('data-synced', 'true');

	await wall.context().setOffline(true);
	const started = Date.now();
	const status = wall.locator('.sync-status');
	await expect(status).toHaveAttribute('data-state', 'offline', { timeout: 5_000 });
	await expect(status).toContainText('Offline');
	console.log(`offline shown after ${Date.now() - started} ms`);

	await wall.reload();
	// The page from the service worker, the cards from the board's offline copy.
	await expect(wall.getByRole('heading', { level: 1 })).toContainText('Offline');
	await expect(wall.locator('.sync-status')).toHaveAttribute('data-state', 'offline');
	await expect(card(wall, 'Van voor de storing')).toBeVisible();
	const section = area(wall, 'ideas');
	if (!(await section.locator('details.add').evaluate((d: HTMLDetailsElement) => d.open))) {
		await section.getByText('+ Kaart bij Ideeën').click();
	}
	await section.getByLabel('Titel', { exact: true }).fill('Bedacht zonder netwerk');
	await section.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(card(wall, 'Bedacht zonder netwerk')).toBeVisible();
	await expect(card(other, 'Bedacht zonder netwerk')).toHaveCount(0);

	await wall.context().setOffline(false);
	await expect(card(other, 'Bedacht zonder netwerk')).toBeVisible({ timeout: 15_000 });
	await wall.context().close();
	await other.context().close();
});
