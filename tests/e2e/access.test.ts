import { demo, expect, expectAccessible, loginAs, test } from './fixtures';

// A zorgbord (a whole class's concerns) never gets a guest link: a care partner joins the team's
// verbeterbord; families join their own child's conversation boards (boards-create.test.ts).
const sharedBoard = '/boards/demoboardverb22a';

test('an owner invites a care partner; the guest sees only that board until the link is revoked', async ({
	browser
}) => {
	const ownerContext = await browser.newContext();
	const owner = await ownerContext.newPage();
	await loginAs(owner, demo.ib);
	await owner.goto(sharedBoard);
	await owner.getByRole('link', { name: 'Delen' }).click();
	await expect(owner).toHaveURL(`${sharedBoard}/share`);
	await expectAccessible(owner);

	await owner.getByLabel('Omschrijving (optioneel)').fill('jeugdzorg');
	await owner.getByRole('button', { name: 'Uitnodiging maken' }).click();
	const linkField = owner.locator('#guest-link');
	await expect(linkField).toHaveValue(/\/join\/[a-z2-9]{24}\.[a-z2-9]{24}$/);
	await expect(owner.getByRole('img', { name: 'QR-code met de uitnodigingslink' })).toBeVisible();
	await expectAccessible(owner);
	const link = await linkField.inputValue();

	const guestContext = await browser.newContext();
	const guest = await guestContext.newPage();
	const joinResponse = await guest.goto(link);
	expect(joinResponse?.headers()['referrer-policy']).toBe('no-referrer');
	await expectAccessible(guest);
	await guest.getByLabel('Hoe heet je?').fill('Jeugdconsulent Sam');
	await guest.getByRole('button', { name: 'Naar het bord' }).click();
	await expect(guest).toHaveURL(sharedBoard);
	await expect(guest.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(guest.getByRole('link', { name: 'Delen' })).toHaveCount(0);

	// Nothing else of the school opens for a guest.
	await guest.goto('/boards');
	await expect(guest).toHaveURL(sharedBoard);
	for (const url of ['/admin/staff', '/admin/students', '/boards/demoboardzorg22a', '/account']) {
		const response = await guest.goto(url);
		expect(response?.status(), url).toBe(404);
	}

	// Revoked: the guest's session is gone.
	await owner.goto(`${sharedBoard}/share`);
	await owner.getByRole('button', { name: /^Intrekken.*jeugdzorg/ }).click();
	await expect(owner.getByText('Er zijn geen actieve uitnodigingen.')).toBeVisible();
	await guest.goto(sharedBoard);
	await expect(guest).toHaveURL(/\/login/);
	const again = await guest.goto(link);
	expect(again?.status()).toBe(200);
	await expect(guest.getByText('Deze uitnodigingslink is ingetrokken.')).toBeVisible();
	await expectAccessible(guest);

	await ownerContext.close();
	await guestContext.close();
});

test('a wall pairs with a code typed on a phone and shows the team boards', async ({ browser }) => {
	const wallContext = await browser.newContext();
	const wall = await wallContext.newPage();
	await wall.goto('/wall');
	const code = (await wall.getByTestId('pairing-code').innerText()).trim();
	expect(code).toMatch(/^[A-Z0-9]{6}$/);
	// The wall sizes (tokens.css) hold: 56 px targets.
	expect(
		await wall.evaluate(() =>
			getComputedStyle(document.documentElement).getPropertyValue('--target').trim()
		)
	).toBe('3.5rem');
	await expectAccessible(wall);

	const phoneContext = await browser.newContext();
	const phone = await phoneContext.newPage();
	await loginAs(phone, demo.mentor);
	await phone.goto('/wall/pair');
	await expectAccessible(phone);
	await phone.getByLabel('Code van het wandscherm').fill(code.toLowerCase());
	await phone.getByRole('button', { name: 'Koppelen', exact: true }).click();
	await expect(phone.getByText(/^Gekoppeld\./)).toBeVisible();

	await expect(wall.getByRole('link', { name: /Verbeterbord team bovenbouw/ })).toBeVisible({
		timeout: 15_000
	});
	// The wall sizes (tokens.css) hold: 56 px targets.
	expect(
		await wall.evaluate(() =>
			getComputedStyle(document.documentElement).getPropertyValue('--target').trim()
		)
	).toBe('3.5rem');
	await expectAccessible(wall);
	// A wall session is no personal login: admin screens stay closed.
	expect((await wall.goto('/admin/staff'))?.status()).toBe(404);

	await phone.goto('/wall/pair');
	await phone
		.getByRole('button', { name: /^Ontkoppelen/ })
		.first()
		.click();
	await expect(phone.getByText(/De koppeling is ingetrokken/)).toBeVisible();
	await wall.goto('/boards');
	await expect(wall).toHaveURL(/\/login/);

	await wallContext.close();
	await phoneContext.close();
});

test('admin screens are accessible and bulk add keeps a bad list intact', async ({ page }) => {
	await loginAs(page, demo.ib);
	for (const url of ['/admin/staff', '/admin/teams', '/account']) {
		await page.goto(url);
		await expectAccessible(page);
	}
	await page.goto('/admin/students');
	await expectAccessible(page);
	const list = 'Sam de Vries; 6b\n; 6b\nNoor Bakker; 6a';
	await page.getByLabel('Lijst met leerlingen').fill(list);
	await page.getByRole('button', { name: 'Toevoegen', exact: true }).click();
	await expect(page.getByText(/Er is niets toegevoegd/)).toBeVisible();
	await expect(page.getByLabel('Lijst met leerlingen')).toHaveValue(list);
	await expect(page.getByRole('cell', { name: 'Naam ontbreekt' })).toBeVisible();
	await expectAccessible(page);

	await page.getByLabel('Lijst met leerlingen').fill('Sam de Vries; 6b\nNoor Bakker; 6a');
	await page.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
	await expect(page.getByRole('cell', { name: 'de Vries' })).toBeVisible();
	await page.getByRole('button', { name: 'Toevoegen', exact: true }).click();
	await expect(page.getByText('2 leerlingen toegevoegd.')).toBeVisible();

	await page.goto('/admin/staff');
	await page.getByLabel('Naam', { exact: true }).fill('Nieuwe Collega');
	await page.getByLabel('E-mailadres').fill('nieuw@demo.groeibord.nl');
	await page.getByRole('button', { name: 'Uitnodiging maken' }).click();
	await expect(page.locator('#copy-link')).toHaveValue(/\/join\/staff\//);
	await expectAccessible(page);
});
