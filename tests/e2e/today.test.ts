/** A staff account lands on its first screen ("Vandaag"): what is on this week, how to start. */
import { demo, expect, expectAccessible, loginAs, test } from './fixtures';

test('a mentor lands on Vandaag: the session due, students without an update, a way to start', async ({
	page
}) => {
	await loginAs(page, demo.mentor);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vandaag');

	// The demo team held its last bordsessie last week: this week's is still to be held.
	const sessions = page.getByRole('region', { name: 'Bordsessies deze week' });
	const verb = sessions
		.getByTestId('today-session')
		.filter({ hasText: 'Verbeterbord team bovenbouw' });
	await expect(verb).toContainText('Nog te houden');
	await expect(verb).toContainText('Vorige sessie:');

	// Mehmet mentors most of the demo class; Daan's students are not his to update.
	const waiting = page.getByTestId('today-no-update');
	await expect(waiting.getByRole('link').first()).toBeVisible();
	await expect(waiting).not.toContainText('Mila Bakker');

	await expect(page.getByRole('link', { name: /Nieuw bord voor je team/ })).toHaveAttribute(
		'href',
		'/boards#new-board'
	);
	await expectAccessible(page);

	await verb.click();
	await expect(page).toHaveURL(/\/boards\/demoboardverb22a$/);
	await page.goto('/boards/demoboardverb22a/history');
	await expect(page.getByTestId('history-item')).toHaveCount(8);
	await expect(page.getByRole('img', { name: /Gemiddelde stemming/ })).toBeVisible();
});
