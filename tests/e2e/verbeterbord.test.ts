/**
 * The verbeterbord end to end: a touch wall and a phone edit the same board live, a full
 * weekly bordsessie ends in a record on the history and summary pages, bad input is refused
 * with a clear message, and the wall layout keeps every target at 44 px or more.
 */
import { devices, type Browser, type Page } from '@playwright/test';
import { demo, expect, expectAccessible, loginAs, smallTargets, test } from './fixtures';
import { area, card, sheet } from './board-page';

const BOARD = '/boards/demoboardverb22a';
const LIVE = { timeout: 1_000 };

async function openWall(browser: Browser, board?: (page: Page) => Promise<string>) {
	const context = await browser.newContext({
		viewport: { width: 1920, height: 1080 },
		hasTouch: true,
		locale: 'nl-NL'
	});
	const page = await context.newPage();
	await loginAs(page, demo.mentor);
	await page.goto(`${board ? await board(page) : BOARD}?layout=wall`);
	await expect(page.locator('.vb')).toHaveAttribute('data-synced', 'true');
	return page;
}

async function openPhone(browser: Browser, board = BOARD) {
	const { defaultBrowserType: _unused, ...pixel } = devices['Pixel 7'];
	const context = await browser.newContext({ ...pixel, locale: 'nl-NL' });
	const page = await context.newPage();
	await loginAs(page, demo.docent);
	await page.goto(board);
	await expect(page.locator('.vb')).toHaveAttribute('data-synced', 'true');
	return page;
}

/** A board of its own (an empty copy of the demo board), so no other test's cards leak in. */
async function freshCopy(page: Page): Promise<string> {
	await page.goto(`${BOARD}/copy`);
	await expectAccessible(page);
	await page.getByLabel('Naam van het nieuwe bord').fill(`Sessiebord ${Date.now()}`);
	await page.getByRole('button', { name: 'Kopie maken' }).click();
	await expect(page).toHaveURL(/\/boards\/[a-z2-9]{16}$/);
	return new URL(page.url()).pathname;
}

async function addCard(page: Page, areaName: string, areaLabel: string, title: string) {
	const section = area(page, areaName);
	const details = section.locator('details.add');
	if (!(await details.evaluate((d: HTMLDetailsElement) => d.open))) {
		await section.getByText(`+ Kaart bij ${areaLabel}`).click();
	}
	await section.getByLabel('Titel', { exact: true }).fill(title);
	return section;
}

test('a touch wall and a phone edit the same board live', async ({ browser }) => {
	// Two logins, a copy and two live pages: more than the default minute on a busy machine.
	test.setTimeout(120_000);
	// A copy: the demo board holds eight weeks of actions, and the order below starts from none.
	const wall = await openWall(browser, freshCopy);
	const phone = await openPhone(browser, new URL(wall.url()).pathname);
	// The wall sizes (tokens.css) hold: 56 px targets.
	expect(
		await wall.evaluate(() =>
			getComputedStyle(document.documentElement).getPropertyValue('--target').trim()
		)
	).toBe('3.5rem');

	// Added on the wall -> on the phone within a second.
	await addCard(wall, 'ideas', 'Ideeën', 'Leesmaatjes in groep 5');
	await area(wall, 'ideas').getByRole('button', { name: 'Toevoegen' }).click();
	await expect(card(phone, 'Leesmaatjes in groep 5')).toBeVisible(LIVE);

	// Moved on the phone with the tap alternative (the card's sheet) -> moved on the wall. An idea
	// is taken up as an action; it never slips into another kind unasked.
	await card(phone, 'Leesmaatjes in groep 5').click();
	await sheet(phone).getByRole('button', { name: 'Maak er een actie van' }).click();
	await expect(sheet(phone)).toBeHidden();
	await expect(
		area(wall, 'actions').getByText('Leesmaatjes in groep 5', { exact: true })
	).toBeVisible(LIVE);
	await expect(
		area(wall, 'ideas').getByText('Leesmaatjes in groep 5', { exact: true })
	).toHaveCount(0);

	// Edited on the wall -> edited on the phone.
	await card(wall, 'Leesmaatjes in groep 5').click();
	await sheet(wall).getByRole('button', { name: 'Bewerken' }).click();
	await sheet(wall).locator('form').getByLabel('Titel').fill('Leesmaatjes groep 5 en 8');
	await sheet(wall).locator('form').getByRole('button', { name: 'Opslaan' }).click();
	await expect(sheet(wall).locator('form')).toHaveCount(0);
	await wall.keyboard.press('Escape');
	await expect(sheet(wall)).toBeHidden();
	await expect(card(phone, 'Leesmaatjes groep 5 en 8')).toBeVisible(LIVE);

	// Reorder with the up button on the phone; the wall follows.
	await addCard(phone, 'actions', 'Acties', 'Tweede actie');
	await area(phone, 'actions').getByRole('button', { name: 'Toevoegen' }).click();
	await expect(card(wall, 'Tweede actie')).toBeVisible(LIVE);
	await card(phone, 'Tweede actie').click();
	await phone.getByRole('button', { name: 'Tweede actie omhoog' }).click();
	await sheet(phone).getByRole('button', { name: 'Sluiten' }).click();
	await expect(area(wall, 'actions').getByTestId('card').first()).toContainText(
		'Tweede actie',
		LIVE
	);

	// Both check in (on the wall by tapping one's face); both markers count on both screens.
	await wall
		.getByTestId('checkin')
		.getByRole('button', { name: /^Mehmet Yilmaz/ })
		.click();
	await wall.getByTestId('checkin').getByRole('button', { name: /^Blij/ }).click();
	await phone
		.getByTestId('checkin')
		.getByRole('button', { name: /^Gaat wel/ })
		.click();
	for (const page of [wall, phone]) {
		await expect(page.getByTestId('tally-3')).toHaveText('1', LIVE);
		await expect(page.getByTestId('tally-2')).toHaveText('1', LIVE);
	}
	await expect(
		wall.getByRole('list', { name: 'Wie koos Gaat wel' }).getByText('Daan de Vries')
	).toBeAttached();
	await expect(phone.getByTestId('checkin').getByText('Mehmet')).toBeAttached();

	await expectAccessible(wall);
	await expectAccessible(phone);
	expect(await smallTargets(wall, 44)).toEqual([]);

	await wall.context().close();
	await phone.context().close();
});

test('bad input gets a clear message and nothing on the board is lost', async ({ browser }) => {
	const wall = await openWall(browser);
	const ideas = await addCard(wall, 'ideas', 'Ideeën', 'Blijft staan');
	await ideas.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(card(wall, 'Blijft staan')).toBeVisible();

	// Empty title.
	await ideas.getByLabel('Titel', { exact: true }).fill('   ');
	await ideas.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(ideas.getByRole('alert')).toContainText('een kaart zonder titel kan niet');

	// 10,000 characters: refused, and the text is still in the field.
	const long = 'x'.repeat(10_000);
	await ideas.getByLabel('Titel', { exact: true }).fill(long);
	await ideas.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(ideas.getByRole('alert')).toContainText('Dit is te lang');
	await expect(ideas.getByLabel('Titel', { exact: true })).toHaveValue(long);

	// A new goal dated in the past.
	const goals = await addCard(wall, 'goals', 'Doelen', 'Doel met oude datum');
	await goals.getByLabel('Streefdatum').fill('2020-01-01');
	await goals.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(goals.getByRole('alert')).toContainText('vandaag of later');
	await expect(card(wall, 'Doel met oude datum')).toHaveCount(0);

	await expect(card(wall, 'Blijft staan')).toBeVisible();
	await expectAccessible(wall);
	await wall.context().close();
});

test('a full bordsessie ends in a record on the history and summary pages', async ({ browser }) => {
	const page = await openWall(browser, freshCopy);
	const board = new URL(page.url()).pathname;
	// Last week's action, still open.
	const actions = await addCard(page, 'actions', 'Acties', 'Rooster pauzes aanpassen');
	await actions.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(card(page, 'Rooster pauzes aanpassen')).toBeVisible();

	const session = page.getByTestId('session');
	await session.getByLabel('Bordleider deze week').fill('Mehmet Yilmaz');
	await session.getByRole('button', { name: /Start bordsessie/ }).click();
	await expect(session.getByRole('timer')).toContainText(/1[45]:\d\d/);
	await expect(session.locator('[aria-current="step"]')).toHaveText(/Check-in/);

	await page
		.getByTestId('checkin')
		.getByRole('button', { name: /^Mehmet Yilmaz/ })
		.click();
	await page.getByTestId('checkin').getByRole('button', { name: /^Blij/ }).click();
	await session.getByRole('button', { name: 'Verder: Successen' }).click();

	const successes = await addCard(page, 'successes', 'Successen', 'Rustig begin van de dag');
	await successes.getByLabel('Wie').fill('Daan');
	await successes.getByRole('button', { name: 'Toevoegen' }).click();
	await session.getByRole('button', { name: 'Verder: Acties vorige week' }).click();

	const review = session.getByTestId('review-item').filter({ hasText: 'Rooster pauzes aanpassen' });
	await review.getByRole('button', { name: 'Loopt door' }).click();
	await expect(review.getByRole('button', { name: 'Loopt door' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await session.getByRole('button', { name: 'Verder: Doelen' }).click();
	await session.getByRole('button', { name: 'Verder: Nieuwe acties' }).click();

	const fresh = await addCard(page, 'actions', 'Acties', 'Leesplan delen met ouders');
	await fresh.getByLabel('Wie').fill('Ilse');
	await fresh.getByLabel('Wanneer klaar').fill('2099-12-01');
	await fresh.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(card(page, 'Leesplan delen met ouders')).toBeVisible();

	await session.getByLabel('Top van de sessie').fill('Binnen de tijd');
	await session.getByRole('button', { name: 'Sessie afronden' }).click();
	await expect(session.getByRole('status')).toContainText('Sessie afgerond');
	// The check-in resets for next week; the carried-over action stays.
	await expect(page.getByTestId('tally-3')).toHaveText('0');
	await expect(card(page, 'Rooster pauzes aanpassen')).toBeVisible();
	await expectAccessible(page);

	await session.getByRole('link', { name: 'Bekijk het verslag' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Verslag bordsessie');
	const summary = page.locator('article.summary');
	await expect(summary).toContainText('Mehmet Yilmaz');
	await expect(summary).toContainText('Rustig begin van de dag (Daan)');
	await expect(summary).toContainText('Rooster pauzes aanpassen');
	await expect(summary).toContainText('Loopt door');
	await expect(summary).toContainText('Leesplan delen met ouders · Ilse · uiterlijk 1 dec 2099');
	await expect(summary.getByTestId('summary-tally')).toContainText('Blij: 1');
	await expect(summary).toContainText('Binnen de tijd');
	await expectAccessible(page);
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('button', { name: /Afdrukken/ })).toBeHidden();
	await page.emulateMedia({ media: 'screen' });

	await page.goto(`${board}/history`);
	await expect(page.getByTestId('history-item')).toHaveCount(1);
	// One of each, in the singular ("1 succes", not "1 successen").
	await expect(page.getByTestId('history-item')).toContainText(/1 succes\s*·\s*1 nieuwe actie\s*·/);
	await expect(page.getByRole('img', { name: /Gemiddelde stemming/ })).toBeVisible();
	await expectAccessible(page);

	await page.goto('/teams/demoteam2222222a/successes?q=rustig');
	await expect(page.getByTestId('success').first()).toContainText('Rustig begin van de dag');
	await expectAccessible(page);
	await page.context().close();
});
