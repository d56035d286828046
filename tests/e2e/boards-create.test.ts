/**
 * Creating boards from the UI (issue 10): a mentor starts a zorgoverleg from their student's
 * page and finds it listed there; a team board is created from /boards and opens with its
 * "Zo werkt dit bord". Every page added for this passes axe.
 */
import { demo, expect, expectAccessible, loginAs, test } from './fixtures';

/** The date as the pages show it: Dutch, in school time (src/lib/board/format-date.ts). */
const today = () =>
	new Date().toLocaleString('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'medium' });

test('a mentor opens Mijn leerlingen, starts a zorgoverleg for a student and finds it listed', async ({
	page
}) => {
	await loginAs(page, demo.mentor);
	await page
		.getByRole('navigation', { name: 'Hoofdmenu' })
		.getByRole('link', { name: 'Mijn leerlingen' })
		.click();
	await expect(page).toHaveURL('/students');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn leerlingen');
	const mine = page.getByRole('region', { name: 'Mijn mentorleerlingen' });
	await expect(mine.getByRole('link', { name: /Noor de Jong/ })).toBeVisible();
	await expectAccessible(page);

	await mine.getByRole('link', { name: /Noor de Jong/ }).click();
	await expect(page).toHaveURL(/\/students\/[a-z2-9]{16}$/);
	const studentUrl = page.url();
	const talks = page.getByRole('region', { name: 'Gesprekken' });
	await expect(talks.getByRole('button', { name: 'Nieuw driehoeksgesprek' })).toBeVisible();
	await expectAccessible(page);

	await talks.getByRole('button', { name: 'Nieuw zorgoverleg' }).click();
	await expect(page).toHaveURL(/\/boards\/[a-z2-9]{16}$/);
	const boardPath = new URL(page.url()).pathname;
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zorgoverleg Noor de Jong');

	await page.goto(studentUrl);
	const listed = page
		.getByRole('region', { name: 'Gesprekken' })
		.getByRole('listitem')
		.filter({ has: page.locator(`a[href="${boardPath}"]`) });
	await expect(listed).toHaveCount(1);
	await expect(listed.getByRole('link')).toHaveText('Zorgoverleg Noor de Jong');
	await expect(listed).toContainText(`Gemaakt op ${today()}`);
	await expect(listed).toContainText('Nog geen verslag');
	await expectAccessible(page);
});

test('a team member creates a verbeterbord from /boards; it opens with "Zo werkt dit bord"', async ({
	page
}) => {
	await loginAs(page, demo.mentor);
	// Staff land on Vandaag; boards are made on /boards.
	await page.goto('/boards');
	const form = page.getByRole('region', { name: 'Nieuw bord' });
	await expect(form.getByRole('radio', { name: /^Verbeterbord/ })).toBeChecked();
	await expect(form.getByRole('radio')).toHaveCount(4);
	await expect(form.getByLabel('Team', { exact: true })).toHaveValue('demoteam2222222a');
	await expectAccessible(page);

	const title = `Verbeterbord rekenen ${Date.now()}`;
	await form.getByLabel('Naam van het bord (optioneel)').fill(title);
	await form.getByRole('button', { name: 'Bord maken' }).click();
	await expect(page).toHaveURL(/\/boards\/[a-z2-9]{16}$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);

	const intro = page.getByRole('region', { name: 'Zo werkt dit bord' });
	await expect(intro).toBeVisible();
	await expect(intro.getByRole('listitem')).toHaveCount(4);
	await expect(intro.getByRole('listitem').first()).toHaveAttribute('aria-current', 'step');
	await expect(intro.getByRole('listitem').first()).toContainText('Begin hier');
	await expect(page.locator('.vb')).toHaveAttribute('data-synced', 'true');
	await expectAccessible(page);
	// The creator owns it: they may share it.
	await expect(page.getByRole('link', { name: 'Delen' })).toBeVisible();

	await intro.getByRole('button', { name: 'Uitleg verbergen' }).click();
	await expect(intro).toBeHidden();

	await page.goto('/boards');
	await expect(page.getByRole('link', { name: title })).toBeVisible();
});
