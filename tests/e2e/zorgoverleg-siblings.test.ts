/**
 * One care meeting for two children of one family, end to end: the mentor starts a zorgoverleg
 * on Finn's page and puts his sister Yara on it; each child opens it through their own link on
 * their own phone and writes their own words in their own column (and not in the other's); the
 * parent's phone shows both children's words marked for home and never the one kept for school.
 * Then the mentor takes the sister off again: her words leave the mentor's and the parent's screen.
 */
import type { Browser, Page } from '@playwright/test';
import { demo, expect, expectAccessible, loginAs, test } from './fixtures';

// Two demo pupils of the mentor that no other spec uses: a fresh meeting of their own.
const FINN = { id: 'demostudenth2222', name: 'Finn' };
const YARA = { id: 'demostudenti2222', name: 'Yara' };

async function phone(browser: Browser) {
	const context = await browser.newContext({
		locale: 'nl-NL',
		viewport: { width: 390, height: 844 },
		hasTouch: true,
		isMobile: true
	});
	return context.newPage();
}

async function studentLink(mentor: Page, studentId: string): Promise<string> {
	await mentor.goto(`/students/${studentId}`);
	const card = mentor.getByRole('region', { name: 'Persoonlijke link' });
	await card.getByRole('button', { name: 'Link maken' }).click();
	const field = mentor.locator('#student-link');
	await expect(field).toHaveValue(/\/s\//);
	return field.inputValue();
}

async function openAsChild(page: Page, link: string, board: string) {
	await page.goto(link);
	await page.getByRole('button', { name: 'Open mijn pagina' }).click();
	await expect(page).toHaveURL(/\/me$/);
	// Their page lists the shared meeting.
	await page.locator(`section[aria-labelledby="conversations-h"] a[href="${board}"]`).click();
	await expect(page).toHaveURL(board);
	await expect(page.getByTestId('care-meeting')).toHaveAttribute('data-synced', 'true');
}

const column = (page: Page, child: { id: string }) =>
	page.locator(`[data-step="wishes"] [data-child="${child.id}"]`);

test('two children of one family each write in their own column; the parent sees both children’s words for home; taking one off leaves the other’s', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const mentor = await (
		await browser.newContext({ locale: 'nl-NL', viewport: { width: 1366, height: 900 } })
	).newPage();
	await loginAs(mentor, demo.mentor);
	await mentor.goto(`/students/${FINN.id}`);
	await mentor.getByRole('button', { name: 'Nieuw zorgoverleg' }).click();
	await expect(mentor).toHaveURL(/\/boards\/[a-z0-9]+$/);
	const board = new URL(mentor.url()).pathname;

	// Yara joins her brother's meeting: her own face, her own column.
	const siblings = mentor.getByTestId('sibling-form');
	await siblings.getByText('Broer of zus erbij').click();
	await siblings.getByLabel('Leerling').selectOption(YARA.id);
	await siblings.getByRole('button', { name: 'Erbij zetten' }).click();
	await expect(siblings.getByRole('status')).toHaveText('Staat nu op dit zorgoverleg.');
	await expectAccessible(mentor);
	await mentor.goto(board);
	await expect(
		mentor.locator('[data-step="checkin"] .face-name', { hasText: YARA.name })
	).toHaveCount(1);
	await expect(column(mentor, FINN)).toBeVisible();
	await expect(column(mentor, YARA)).toBeVisible();

	const finnLink = await studentLink(mentor, FINN.id);
	const yaraLink = await studentLink(mentor, YARA.id);
	await mentor.goto(`${board}/share`);
	await mentor.getByRole('radio', { name: /^Ouder\/verzorger/ }).check();
	await mentor.getByRole('button', { name: 'Uitnodiging maken' }).click();
	const parentLink = await mentor.locator('#guest-link').inputValue();
	// The mentor's laptop, open beside the children's phones.
	await mentor.goto(board);
	await expect(mentor.getByTestId('care-meeting')).toHaveAttribute('data-synced', 'true');

	const finn = await phone(browser);
	await openAsChild(finn, finnLink, board);
	const yara = await phone(browser);
	await openAsChild(yara, yaraLink, board);
	const parent = await phone(browser);
	await parent.goto(parentLink);
	await parent.getByLabel('Hoe heet je?').fill('Sanne');
	await parent.getByRole('radio', { name: 'ouder', exact: true }).check();
	await parent.getByRole('button', { name: 'Naar het bord' }).click();
	await expect(parent).toHaveURL(board);
	await expect(parent.getByTestId('care-meeting')).toHaveAttribute('data-synced', 'true');

	// Finn leads to "waar wil ik aan werken"; each child writes in their own column only.
	await finn.getByRole('button', { name: 'Beginnen' }).click();
	await finn.getByRole('button', { name: 'Volgende' }).click();
	await finn.getByRole('button', { name: 'Volgende' }).click();
	await expect(finn.getByRole('heading', { name: 'Waar wil ik aan werken?' })).toBeVisible();
	await expect(column(finn, YARA).locator('form')).toHaveCount(0);
	const finnForm = column(finn, FINN).locator('form');
	await finnForm
		.getByRole('textbox', { name: 'Wat wil Finn zeggen?' })
		.fill('Ik wil rustig blijven');
	await finnForm.getByRole('button', { name: 'Ook thuis' }).click();
	await finnForm.getByRole('button', { name: 'Erbij zetten' }).click();

	await expect(yara.getByRole('heading', { name: 'Waar wil ik aan werken?' })).toBeVisible();
	await expect(column(yara, FINN).locator('form')).toHaveCount(0);
	const yaraForm = column(yara, YARA).locator('form');
	await yaraForm
		.getByRole('textbox', { name: 'Wat wil Yara zeggen?' })
		.fill('Ik wil beter rekenen');
	await yaraForm.getByRole('button', { name: 'Ook thuis' }).click();
	await yaraForm.getByRole('button', { name: 'Erbij zetten' }).click();
	await yaraForm.getByRole('textbox', { name: 'Wat wil Yara zeggen?' }).fill('Ik mis opa');
	await yaraForm.getByRole('button', { name: 'Juf/meester en zorg' }).click();
	await yaraForm.getByRole('button', { name: 'Erbij zetten' }).click();

	// Each column holds its own child's words, on every screen.
	await expect(column(mentor, FINN)).toContainText('Ik wil rustig blijven');
	await expect(column(mentor, YARA)).toContainText('Ik wil beter rekenen');
	await expect(column(mentor, YARA)).toContainText('Ik mis opa');
	await expect(column(finn, FINN)).not.toContainText('Ik wil beter rekenen');
	// The parent's phone: both children's words for home, never the one kept for school.
	await expect(column(parent, FINN)).toContainText('Ik wil rustig blijven');
	await expect(column(parent, YARA)).toContainText('Ik wil beter rekenen');
	await expect(parent.getByTestId('care-meeting')).not.toContainText('Ik mis opa');
	await expectAccessible(parent);

	// The mentor takes Yara off again, after reading what goes: her words leave every screen,
	// Finn's stay.
	const leave = mentor.getByTestId('sibling-remove');
	await leave.getByText('Een kind van dit overleg halen').click();
	await leave.getByText(/^Yara .*van dit overleg halen$/).click();
	await expect(leave).toContainText('Dit kan niet ongedaan worden.');
	await expectAccessible(mentor);
	await leave.getByRole('button', { name: /^Ja, haal Yara/ }).click();
	// Her words left the board's history too: open devices reload it from the server.
	await expect(column(mentor, YARA)).toHaveCount(0, { timeout: 15_000 });
	await expect(mentor.getByTestId('care-meeting')).toHaveAttribute('data-synced', 'true');
	// Finn alone again: the meeting's words are his, without columns.
	const words = (page: Page) => page.locator('[data-step="wishes"]');
	await expect(words(mentor)).toContainText('Ik wil rustig blijven');
	await expect(words(mentor)).not.toContainText('Ik mis opa');
	await expect(parent.getByTestId('care-meeting')).not.toContainText('Ik wil beter rekenen', {
		timeout: 15_000
	});
	await expect(words(parent)).toContainText('Ik wil rustig blijven');
});
