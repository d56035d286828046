/** Finding one's way on a live verbeterbord in e2e: columns, cards, the card sheet, a copy. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export const DEMO_VERBETERBORD = '/boards/demoboardverb22a';

export const area = (page: Page, name: string) => page.locator(`section[data-area="${name}"]`);
export const card = (page: Page, title: string) =>
	page.getByTestId('card').filter({ has: page.getByText(title, { exact: true }) });
export const sheet = (page: Page) => page.getByTestId('card-sheet');

/** A board of its own (an empty copy of a demo board), so no other test's cards leak in. */
export async function copyBoard(page: Page, name: string, from = DEMO_VERBETERBORD) {
	await page.goto(`${from}/copy`);
	await page.getByLabel('Naam van het nieuwe bord').fill(`${name} ${Date.now()}`);
	await page.getByRole('button', { name: 'Kopie maken' }).click();
	await expect(page).toHaveURL(/\/boards\/[a-z2-9]{16}$/);
	return new URL(page.url()).pathname;
}

/** Add a card to a column through its add form, and wait for it on the board. */
export async function addCard(page: Page, areaName: string, areaLabel: string, title: string) {
	const section = area(page, areaName);
	const details = section.locator('details.add');
	if (!(await details.evaluate((d: HTMLDetailsElement) => d.open))) {
		await section.getByText(`+ Kaart bij ${areaLabel}`).click();
	}
	await section.getByLabel('Titel', { exact: true }).fill(title);
	await section.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(card(page, title)).toBeVisible();
}
