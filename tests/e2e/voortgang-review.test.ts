/** The leerlingbespreking on a laptop: a stoplight without advice is refused, clearly. */
import { demo, expect, expectAccessible, loginAs, test } from './fixtures';

test('a subject teacher cannot save a stoplight without advice, and sees why', async ({ page }) => {
	await loginAs(page, demo.docent);
	await page.goto('/reviews');
	await page.getByLabel(/Naam, bijvoorbeeld/).fill('Periode 1');
	await page.getByRole('button', { name: 'Starten' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Periode 1');
	await page.getByLabel('Jouw vak').fill('Wiskunde');
	await page.getByRole('button', { name: 'Vak kiezen' }).click();
	await expectAccessible(page);

	const row = page.locator('li.row').first();
	await row.locator('input[value="orange"]').check();
	await row.getByRole('button', { name: 'Opslaan' }).click();
	await expect(row.getByRole('alert')).toContainText(
		'Een stoplicht zonder advies wordt niet opgeslagen'
	);

	await row.getByRole('textbox').fill('Maak elke week één oefentoets');
	await row.getByRole('button', { name: 'Opslaan' }).click();
	await expect(row.getByRole('status')).toHaveText('Opgeslagen.');
	await expect(row.getByRole('alert')).toHaveCount(0);
});
