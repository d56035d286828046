/**
 * "Wis definitief" on a card (AVG art. 17): an admin erases a card from a verbeterbord's card
 * sheet, after a confirmation that says what goes and that it cannot be undone. The card leaves
 * a colleague's open board live, and a reload does not bring it back (its history went too).
 * A colleague who may only delete sees no such button. Works on its own copy of the demo board.
 */
import type { Page } from '@playwright/test';
import { demo, expect, expectAccessible, loginAs, test } from './fixtures';
import { addCard, card, copyBoard, sheet } from './board-page';

const TITLE = 'Wis-mij: Noor huilde bij de overblijf';

/** Whether this browser's offline copy of the board (y-indexeddb's updates) holds `text`. */
function offlineCopyHolds(page: Page, boardId: string, text: string): Promise<boolean> {
	return page.evaluate(
		async ({ name, text }) => {
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const request = indexedDB.open(name);
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
			try {
				if (!db.objectStoreNames.contains('updates')) return false;
				const rows = await new Promise<unknown[]>((resolve, reject) => {
					const request = db.transaction('updates').objectStore('updates').getAll();
					request.onsuccess = () => resolve(request.result);
					request.onerror = () => reject(request.error);
				});
				const needle = new TextEncoder().encode(text);
				const holds = (bytes: Uint8Array) =>
					bytes.some((_, i) => needle.every((b, j) => bytes[i + j] === b));
				return rows.some((row) => row instanceof Uint8Array && holds(row));
			} finally {
				db.close();
			}
		},
		{ name: `groeibord-board-${boardId}`, text }
	);
}

test('an admin erases a card for good from its sheet; it goes live for a colleague and stays gone', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const mentor = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
	await loginAs(mentor, demo.mentor);
	const board = await copyBoard(mentor, 'Wisbord');
	await expect(mentor.locator('.vb')).toHaveAttribute('data-synced', 'true');
	await addCard(mentor, 'ideas', 'Ideeën', TITLE);

	// The board's own team member deletes (history kept), but does not erase.
	await card(mentor, TITLE).click();
	await expect(sheet(mentor).getByRole('button', { name: 'Verwijderen' })).toBeVisible();
	await expect(sheet(mentor).getByRole('button', { name: 'Wis definitief' })).toHaveCount(0);
	await sheet(mentor).getByRole('button', { name: 'Sluiten' }).click();
	await expect(sheet(mentor)).toBeHidden();

	const admin = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
	await loginAs(admin, demo.ib);
	await admin.goto(board);
	await expect(admin.locator('.vb')).toHaveAttribute('data-synced', 'true');
	const boardId = board.split('/').pop()!;
	// The admin's browser keeps the board offline, the card's words included.
	await expect.poll(() => offlineCopyHolds(admin, boardId, TITLE)).toBe(true);
	await card(admin, TITLE).click();
	await sheet(admin).getByRole('button', { name: 'Wis definitief' }).click();
	const warning = sheet(admin).getByRole('alert');
	await expect(warning).toContainText('deze kaart');
	await expect(warning).toContainText('geschiedenis');
	await expect(warning).toContainText('elke kopie');
	await expect(warning).toContainText('niet ongedaan');
	await expectAccessible(admin);
	const yes = sheet(admin).getByRole('button', { name: 'Ja, wis definitief' });
	expect((await yes.boundingBox())!.height).toBeGreaterThanOrEqual(44);
	// Every open copy of the board is told to drop its offline copy; the app deletes it and
	// opens the board again by itself. Wait for that reload (a reload of the test's own would
	// race it: reloaded before the message, a page keeps the copy it loaded from).
	const reloaded = [mentor, admin].map((page) => page.waitForEvent('load', { timeout: 30_000 }));
	await yes.click();

	await expect(card(admin, TITLE)).toHaveCount(0);
	// Live in the colleague's open board.
	await expect(card(mentor, TITLE)).toHaveCount(0);
	await Promise.all(reloaded);
	for (const page of [mentor, admin]) {
		await expect(page.locator('.vb')).toHaveAttribute('data-synced', 'true');
		await expect(page.getByText(TITLE)).toHaveCount(0);
		// Told to drop its offline copy, the browser did: the words are not on the device either.
		expect(await offlineCopyHolds(page, boardId, TITLE)).toBe(false);
	}
	// Not in the board's history page either.
	await admin.goto(`${board}/history`);
	await expect(admin.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(admin.getByText(TITLE)).toHaveCount(0);
});
