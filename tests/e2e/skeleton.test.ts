import { demo, expect, expectAccessible, loginAs, test } from './fixtures';

test('welcome page is Dutch, switches to English and back, and is accessible', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welkom bij Groeibord');
	await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
	await expectAccessible(page);

	await page.getByRole('button', { name: 'Switch to English' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome to Groeibord');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expectAccessible(page);

	await page.getByRole('button', { name: 'Wissel naar Nederlands' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welkom bij Groeibord');
});

test('healthz reports the database', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	expect(await response.json()).toMatchObject({ status: 'ok', db: 'ok' });
});

test('a mentor logs in, sees the demo boards and opens one', async ({ page }) => {
	await loginAs(page, demo.mentor);
	await page.getByRole('navigation').getByRole('link', { name: 'Borden' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Borden');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Verbeterbord team bovenbouw' }).click();
	await expect(page).toHaveURL(/\/boards\/demoboardverb22a/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verbeterbord team bovenbouw');
});

test('a wrong password gets one clear message that does not reveal the account', async ({
	page
}) => {
	await page.goto('/login');
	await expectAccessible(page);
	await page.getByLabel('E-mailadres', { exact: true }).fill('nobody@demo.groeibord.nl');
	await page.getByLabel('Wachtwoord', { exact: true }).fill('definitely-wrong');
	await page.getByRole('button', { name: 'Inloggen' }).click();
	await expect(page.getByRole('alert')).toContainText('horen niet bij elkaar');
});

test('pages make no request to any other host', async ({ page }) => {
	const foreign: string[] = [];
	page.on('request', (request) => {
		const url = new URL(request.url());
		if (!['localhost', '127.0.0.1'].includes(url.hostname) && url.protocol !== 'data:') {
			foreign.push(request.url());
		}
	});
	await page.goto('/');
	await loginAs(page, demo.ib);
	await page.goto('/boards/demoboardvoor22a');
	await page.waitForLoadState('networkidle');
	expect(foreign).toEqual([]);
});

test('boards require a login and an unknown board is a 404', async ({ page }) => {
	await page.goto('/boards');
	await expect(page).toHaveURL(/\/login/);
	await loginAs(page, demo.docent);
	const response = await page.goto('/boards/zzzzzzzzzzzzzzzz');
	expect(response?.status()).toBe(404);
});
