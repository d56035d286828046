/**
 * "Wis definitief" on a card (AVG art. 17): an admin erases a card from a verbeterbord's card
 * sheet, after a confirmation that says what goes and that it cannot be undone. The card leaves
 * a colleague's open board live, and a reload does not bring it back (its history went too).
 * A colleague who may only delete sees no such button. A browser that was away during the erasure
 * (never told to drop its copy) holds no erased words in its offline copy after its next sync.
 * Each test works on its own copy of the demo board.
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

test('a browser that was away during an erasure keeps no erased words in its offline copy after its next sync', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const away = 'Wis-mij: Sem sliep slecht deze week';
	const unsent = 'Bedacht in de trein';
	const laptop = await browser.newContext({ locale: 'nl-NL' });
	let mentor = await laptop.newPage();
	await loginAs(mentor, demo.mentor);
	const board = await copyBoard(mentor, 'Wisbord weg');
	const boardId = board.split('/').pop()!;
	await expect(mentor.locator('.vb')).toHaveAttribute('data-synced', 'true');
	await addCard(mentor, 'ideas', 'Ideeën', away);
	await expect(mentor.locator('.sync-status')).toHaveAttribute('data-state', 'ok');
	await expect.poll(() => offlineCopyHolds(mentor, boardId, away)).toBe(true);
	// An edit the server has not seen yet when the laptop closes: it must survive the compaction.
	await laptop.setOffline(true);
	await expect(mentor.locator('.sync-status')).toHaveAttribute('data-state', 'offline');
	await addCard(mentor, 'ideas', 'Ideeën', unsent);
	await expect.poll(() => offlineCopyHolds(mentor, boardId, unsent)).toBe(true);
	// The laptop closes: the page goes, the browser's storage stays. No dropCache can reach it.
	await mentor.close();
	await laptop.setOffline(false);

	const admin = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
	await loginAs(admin, demo.ib);
	await admin.goto(board);
	await expect(admin.locator('.vb')).toHaveAttribute('data-synced', 'true');
	await card(admin, away).click();
	await sheet(admin).getByRole('button', { name: 'Wis definitief' }).click();
	// The admin's own page drops its copy and reloads once the erasure is done.
	const reloaded = admin.waitForEvent('load', { timeout: 30_000 });
	await sheet(admin).getByRole('button', { name: 'Ja, wis definitief' }).click();
	await reloaded;
	await expect(admin.locator('.vb')).toHaveAttribute('data-synced', 'true');
	await expect(admin.getByText(away)).toHaveCount(0);

	// The laptop opens the board again and syncs: the card is gone from the page, and its words
	// from the disk, while the edit made offline is on the board and still in the copy.
	mentor = await laptop.newPage();
	await mentor.goto(board);
	await expect(mentor.locator('.vb')).toHaveAttribute('data-synced', 'true');
	await expect(mentor.getByText(away)).toHaveCount(0);
	await expect(card(mentor, unsent)).toBeVisible();
	await expect(card(admin, unsent)).toBeVisible();
	await expect.poll(() => offlineCopyHolds(mentor, boardId, away)).toBe(false);
	expect(await offlineCopyHolds(mentor, boardId, unsent)).toBe(true);
});
