/**
 * A verbeterbord on a 1920×1080 touch wall: a team checks in by tapping faces (nobody types a
 * name), a card reads from across the room, one tap opens its sheet which moves it without
 * dragging, a full column scrolls inside itself, and every target is at least 44 px. Each test
 * works on a board of its own (an empty copy of the demo board), so no other test's cards leak in.
 */
import type { Browser, Page } from '@playwright/test';
import { demo, expect, expectAccessible, loginAs, smallTargets, test } from './fixtures';
import { addCard, area, card, copyBoard, DEMO_VERBETERBORD, sheet } from './board-page';

const BOARD = DEMO_VERBETERBORD;

async function openWallCopy(browser: Browser, name: string): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width: 1920, height: 1080 },
		hasTouch: true,
		locale: 'nl-NL'
	});
	const page = await context.newPage();
	await loginAs(page, demo.mentor);
	await page.goto(`${await copyBoard(page, name)}?layout=wall`);
	await expect(page.locator('.vb')).toHaveAttribute('data-synced', 'true');
	return page;
}

test('a team of three checks in by tapping faces, without typing a name', async ({ browser }) => {
	const page = await openWallCopy(browser, 'Check-in wand');
	const checkin = page.getByTestId('checkin');
	// Nothing to type on the wall: the team's faces are there.
	await expect(checkin.getByRole('textbox')).toHaveCount(0);
	const face = (name: string) => checkin.getByRole('button', { name: new RegExp(`^${name}`) });
	const mood = (name: string) => checkin.getByRole('button', { name: new RegExp(`^${name}`) });

	for (const [person, smiley] of [
		['Mehmet Yilmaz', 'Blij'],
		['Daan de Vries', 'Gaat wel'],
		['Ilse Bakker', 'Blij']
	] as const) {
		await face(person).tap();
		await expect(face(person)).toHaveAttribute('aria-pressed', 'true');
		await mood(smiley).tap();
	}
	await expect(page.getByTestId('tally-3')).toHaveText('2');
	await expect(page.getByTestId('tally-2')).toHaveText('1');
	await expect(face('Daan de Vries')).toHaveAccessibleName('Daan de Vries (ingecheckt: Gaat wel)');

	// Tapping one's smiley again takes the check-in back.
	await face('Daan de Vries').tap();
	await mood('Gaat wel').tap();
	await expect(page.getByTestId('tally-2')).toHaveText('0');
	await expect(face('Daan de Vries')).toHaveAccessibleName('Daan de Vries (nog niet ingecheckt)');

	// A smiley without a face first says what to do.
	await mood('Blij').tap();
	await expect(checkin.getByRole('alert')).toHaveText('Tik eerst op je gezicht.');

	// A guest gives a name once, then checks in like the team.
	await checkin.getByRole('button', { name: 'Gast toevoegen' }).tap();
	await checkin.getByLabel('Naam van de gast').fill('Sanne (stagiair)');
	await checkin.getByRole('button', { name: 'Toevoegen', exact: true }).tap();
	await expect(face('Sanne')).toHaveAttribute('aria-pressed', 'true');
	await mood('Gaat wel').tap();
	await expect(page.getByTestId('tally-2')).toHaveText('1');
	await expect(checkin.getByRole('textbox')).toHaveCount(0);

	expect(await smallTargets(page, 44)).toEqual([]);
	await expectAccessible(page);
	await page.context().close();
});

test('a wall card reads from across the room; its sheet moves it without dragging', async ({
	browser
}) => {
	const page = await openWallCopy(browser, 'Kaarten wand');
	await addCard(page, 'actions', 'Acties', 'Rooster pauzes aanpassen');
	await addCard(page, 'actions', 'Acties', 'Leesplan delen');
	await addCard(page, 'ideas', 'Ideeën', 'Leesmaatjes in groep 5');

	const title = card(page, 'Rooster pauzes aanpassen').getByText('Rooster pauzes aanpassen');
	const size = await title.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
	expect(size).toBeGreaterThanOrEqual(24);
	// The card carries no controls of its own: one button, the card.
	await expect(card(page, 'Leesplan delen').getByRole('button')).toHaveCount(1);

	// Keyboard: Enter opens the sheet, Escape closes it, focus returns to the card.
	const opener = card(page, 'Leesplan delen').getByRole('button');
	await opener.focus();
	await page.keyboard.press('Enter');
	await expect(sheet(page)).toBeVisible();
	await expect(sheet(page).getByRole('heading', { name: 'Leesplan delen' })).toBeVisible();
	await expectAccessible(page);
	expect(await smallTargets(page, 44)).toEqual([]);
	// An action stays an action: no way into Doelen, and it says why.
	await expect(sheet(page).getByRole('button', { name: /Doelen/ })).toHaveCount(0);
	await expect(sheet(page)).toContainText('een andere kolom is voor een ander soort kaart');
	// Status in one tap, and up one place in its column.
	await sheet(page).getByRole('button', { name: 'Bezig' }).tap();
	await expect(sheet(page).getByRole('button', { name: 'Bezig' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await sheet(page).getByRole('button', { name: 'Leesplan delen omhoog' }).tap();
	await expect(area(page, 'actions').getByTestId('card').first()).toContainText('Leesplan delen');
	await page.keyboard.press('Escape');
	await expect(sheet(page)).toBeHidden();
	await expect(opener).toBeFocused();
	await expect(card(page, 'Leesplan delen')).toContainText('Bezig');

	// One tap opens an idea's sheet; it is taken up as an action without dragging.
	await card(page, 'Leesmaatjes in groep 5').tap();
	await sheet(page).getByRole('button', { name: 'Maak er een actie van' }).tap();
	await expect(sheet(page)).toBeHidden();
	await expect(area(page, 'actions').getByText('Leesmaatjes in groep 5')).toBeVisible();
	await expect(area(page, 'ideas').getByTestId('card')).toHaveCount(0);

	// Delete asks once, in the sheet.
	await card(page, 'Rooster pauzes aanpassen').tap();
	await sheet(page).getByRole('button', { name: 'Verwijderen' }).tap();
	await sheet(page).getByRole('button', { name: 'Ja, verwijderen' }).tap();
	await expect(card(page, 'Rooster pauzes aanpassen')).toHaveCount(0);

	expect(await smallTargets(page, 44)).toEqual([]);
	await expectAccessible(page);
	await page.context().close();
});

test('a full column scrolls inside itself, never the page', async ({ browser }) => {
	const page = await openWallCopy(browser, 'Volle kolom');
	for (let i = 1; i <= 14; i++) await addCard(page, 'ideas', 'Ideeën', `Idee nummer ${i}`);
	// As the team finds it next week: no first-time intro above the board any more.
	await page.reload();
	await expect(page.locator('.vb')).toHaveAttribute('data-synced', 'true');
	await expect(area(page, 'ideas').getByTestId('card')).toHaveCount(14);
	const list = area(page, 'ideas').locator('ol');
	const { scrolls, areaBottom } = await list.evaluate((el) => ({
		scrolls: el.scrollHeight > el.clientHeight,
		areaBottom: el.closest('section')!.getBoundingClientRect().bottom
	}));
	expect(scrolls).toBe(true);
	expect(areaBottom).toBeLessThanOrEqual(1080);
	const pageScrolls = await page.evaluate(
		() => document.documentElement.scrollHeight > window.innerHeight
	);
	expect(pageScrolls).toBe(false);
	await page.context().close();
});

test('a wall shows it is offline within 5 s, and saved again once back', async ({ browser }) => {
	const context = await browser.newContext({
		viewport: { width: 1920, height: 1080 },
		hasTouch: true,
		locale: 'nl-NL'
	});
	const page = await context.newPage();
	await loginAs(page, demo.mentor);
	await page.goto(`${BOARD}?layout=wall`);
	await expect(page.locator('.vb')).toHaveAttribute('data-synced', 'true');
	const status = page.getByRole('status', { name: 'Opslagstatus' });
	await expect(status).toContainText('Opgeslagen');
	await context.setOffline(true);
	await expect(status).toContainText('Offline', { timeout: 5_000 });
	await context.setOffline(false);
	await expect(status).toContainText('Opgeslagen', { timeout: 15_000 });
	await context.close();
});
