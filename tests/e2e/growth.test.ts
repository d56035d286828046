/**
 * Growth in a real browser: a mentor edits the team's criteria set (a new version, a refused
 * save that keeps the input), adds evidence with a photo on a student's page and sees it
 * listed; the student's progress-wall card shows the agreed goal the demo seeded.
 */
import sharp from 'sharp';
import { demo, expect, expectAccessible, loginAs, test } from './fixtures';

const NOOR = 'demostudenta2222';
const WALL = 'demoboardvoor22a';

test('a mentor saves a new version of the team’s criteria, adds photo evidence and sees the agreed goal on the wall', async ({
	page
}) => {
	await loginAs(page, demo.mentor);
	await page.goto('/boards');

	// From /boards to the team's criteria: the demo team works with Leerhouding, version 1.
	await page.getByRole('link', { name: /Succescriteria van Team bovenbouw/ }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Succescriteria' })).toBeVisible();
	const set = page.locator('section.set', {
		has: page.getByRole('heading', { name: 'Leerhouding' })
	});
	await expect(set.getByText('Versie 1')).toBeVisible();
	await expectAccessible(page);

	await set.getByRole('link', { name: 'Bewerken' }).click();
	const editor = page.getByTestId('criteria-editor');
	const first = editor.getByRole('group', { name: 'Criterium 1', exact: true });
	// A level left empty: refused next to the field, and what was typed is kept.
	await first.getByLabel('Niveau 2', { exact: true }).fill('');
	await first
		.getByLabel('Wat de leerling doet, in de woorden van de leerling')
		.fill('Ik plan mijn week');
	await editor.getByRole('button', { name: 'Opslaan als nieuwe versie' }).click();
	await expect(page.getByText('Niet opgeslagen: verbeter wat bij de velden staat.')).toBeVisible();
	await expect(first.getByLabel('Niveau 2', { exact: true })).toHaveAttribute(
		'aria-invalid',
		'true'
	);
	await expect(first.getByText('Vul dit veld in.')).toBeVisible();
	await expect(first.getByLabel('Wat de leerling doet, in de woorden van de leerling')).toHaveValue(
		'Ik plan mijn week'
	);
	await expectAccessible(page);

	// Fixed, plus a fifth level on the first criterion: saved as version 2.
	await first.getByLabel('Niveau 2', { exact: true }).fill('Ik plan een deel van mijn werk zelf');
	await first.getByRole('button', { name: 'Niveau toevoegen' }).click();
	await first.getByLabel('Niveau 5', { exact: true }).fill('Ik plan zelf en denk vooruit');
	await editor.getByRole('button', { name: 'Opslaan als nieuwe versie' }).click();
	await expect(
		page.getByText('Versie 2 opgeslagen; eerdere beoordelingen blijven zoals ze waren.')
	).toBeVisible();
	await page.goto('/teams/demoteam2222222a/criteria');
	await expect(set.getByText('Versie 2')).toBeVisible();
	await expect(set.getByText('Ik plan zelf en denk vooruit')).toBeVisible();

	// Noor's page: the views side by side, the agreed goal, and evidence with a photo.
	await page.goto(`/students/${NOOR}`);
	const growth = page.locator('#groei');
	await expect(growth.getByRole('heading', { name: 'Groei' })).toBeVisible();
	const hulp = growth.locator('[data-criterion="hulp-vragen"]');
	await expect(hulp.locator('[data-perspective="student"]')).toContainText(
		'Ik vraag op tijd om hulp'
	);
	await expect(hulp.locator('[data-perspective="mentor"]')).toContainText(
		'Ik vraag hulp als het echt niet lukt'
	);
	await expect(hulp.getByText('De blikken verschillen: bespreek het samen.')).toBeVisible();
	// The mentor's view given on version 1 reads in version 1's words.
	await expect(
		growth.locator('[data-criterion="plannen"] [data-perspective="mentor"]')
	).toContainText('Ik plan soms zelf');
	// The agreed goal, by its "Gelukt" button (the week's plan names the goal too).
	await expect(
		growth.getByRole('button', { name: 'Doel gelukt: Ik plan elke maandag mijn weektaak' })
	).toBeVisible();

	const photo = await sharp({
		create: { width: 400, height: 300, channels: 3, background: '#e67e22' }
	})
		.png()
		.toBuffer();
	await growth.getByLabel('Wat laat het zien?').fill('Poster over de planning van ons project');
	await growth.getByLabel(/Foto van werk/).setInputFiles({
		name: 'werk.png',
		mimeType: 'image/png',
		buffer: photo
	});
	await growth
		.getByLabel('Bij criterium (mag leeg)')
		.selectOption({ label: 'Leerhouding: Ik plan mijn week' });
	await growth.getByRole('button', { name: 'Bewijs toevoegen' }).click();
	await expect(growth.getByText('Bewijs toegevoegd.')).toBeVisible();
	const item = growth.locator('li[data-evidence]', {
		hasText: 'Poster over de planning van ons project'
	});
	await expect(item).toContainText('Ik plan mijn week');
	await expect(item).toContainText('Mehmet Yilmaz');
	const img = item.locator('img');
	await expect(img).toBeVisible();
	await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(160);
	await expectAccessible(page);

	// The evidence page on its own (what other pages link to) lists it too.
	await page.goto(`/students/${NOOR}/evidence`);
	await expect(page.getByText('Poster over de planning van ons project')).toBeVisible();
	// Learning outside school is marked as such (the demo's scouting evidence).
	await expect(page.locator('li[data-evidence]', { hasText: 'scouting' })).toContainText(
		'Buiten school'
	);
	await expectAccessible(page);

	// The progress wall: Noor's card carries the newest agreed goal.
	await page.goto(`/boards/${WALL}`);
	const card = page.locator(`article[data-student="${NOOR}"]`);
	await expect(card.getByTestId('agreed-goals')).toContainText(
		'Afgesproken doel: Ik plan elke maandag mijn weektaak'
	);
});

test('on a paired wall the agreed goal is masked until tapped', async ({ browser }) => {
	const wallContext = await browser.newContext();
	const wall = await wallContext.newPage();
	await wall.goto('/wall');
	const code = (await wall.getByTestId('pairing-code').innerText()).trim();
	const phoneContext = await browser.newContext();
	const phone = await phoneContext.newPage();
	await loginAs(phone, demo.mentor);
	await phone.goto('/wall/pair');
	await phone.getByLabel('Code van het wandscherm').fill(code);
	await phone.getByRole('button', { name: 'Koppelen', exact: true }).click();
	await expect(phone.getByText(/^Gekoppeld\./)).toBeVisible();
	await expect(wall.getByRole('link', { name: /Verbeterbord team bovenbouw/ })).toBeVisible({
		timeout: 15_000
	});

	await wall.goto(`/boards/${WALL}`);
	// A wall shows tiles; one tap opens the student's card in a sheet, masked as on the wall.
	await wall.locator(`[data-tile-open="${NOOR}"]`).click();
	const card = wall.getByTestId('student-sheet').locator(`article[data-student="${NOOR}"]`);
	await expect(card.getByRole('button', { name: 'Toon afgesproken doel' })).toBeVisible();
	await expect(card).not.toContainText('Ik plan elke maandag mijn weektaak');
	await card.getByRole('button', { name: 'Toon afgesproken doel' }).click();
	await expect(card.getByTestId('agreed-goals')).toContainText(
		'Afgesproken doel: Ik plan elke maandag mijn weektaak'
	);
	// One goal: nothing more to show.
	await expect(card.getByRole('button', { name: /^\+/ })).toHaveCount(0);

	await wallContext.close();
	await phoneContext.close();
});
