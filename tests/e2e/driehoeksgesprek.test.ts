/**
 * The three-way talk, end to end: the mentor starts a talk for a student and invites the
 * student and a parent; the student prepares on a phone (an own goal, a self-evaluation with a
 * note); the parent gives the home view on a phone; the mentor's laptop shows the three views
 * side by side, live, adds the mentor's view, agrees the student's goal with an action and ends
 * the talk; the summary starts with the student's own words. Every new view passes axe.
 */
import type { Browser, Page } from '@playwright/test';
import { demo, expect, expectAccessible, loginAs, smallTargets, test } from './fixtures';

const phone = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

async function newPage(browser: Browser, options: Parameters<Browser['newContext']>[0]) {
	const context = await browser.newContext({ locale: 'nl-NL', ...options });
	return context.newPage();
}

async function invite(mentor: Page, board: string, role: RegExp): Promise<string> {
	await mentor.goto(`${board}/share`);
	await mentor.getByRole('radio', { name: role }).check();
	await mentor.getByRole('button', { name: 'Uitnodiging maken' }).click();
	const link = mentor.locator('#guest-link');
	await expect(link).toHaveValue(/\/join\//);
	return link.inputValue();
}

async function join(page: Page, link: string, board: string, name: string, label?: string) {
	await page.goto(link);
	await page.getByLabel('Hoe heet je?').fill(name);
	if (label) await page.getByRole('radio', { name: label, exact: true }).check();
	await page.getByRole('button', { name: 'Naar het bord' }).click();
	await expect(page).toHaveURL(board);
	await expect(page.getByTestId('talk-phone')).toHaveAttribute('data-synced', 'true');
}

const cell = (page: Page, criterion: string, perspective: string) =>
	page.locator(`section[data-criterion="${criterion}"] [data-perspective="${perspective}"]`);

test('student, parent and mentor hold a three-way talk; the summary starts with the student’s words', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const mentor = await newPage(browser, { viewport: { width: 1366, height: 900 } });
	mentor.on('dialog', (dialog) => void dialog.accept());
	await loginAs(mentor, demo.mentor);
	await mentor.goto('/students');
	await mentor
		.getByRole('region', { name: 'Mijn mentorleerlingen' })
		.getByRole('link', { name: /Sem Jansen/ })
		.click();
	await mentor
		.getByRole('region', { name: 'Gesprekken' })
		.getByRole('button', { name: 'Nieuw driehoeksgesprek' })
		.click();
	await expect(mentor).toHaveURL(/\/boards\/[a-z2-9]{16}$/);
	const board = new URL(mentor.url()).pathname;
	await expect(mentor.getByRole('heading', { level: 1 })).toHaveText('Driehoeksgesprek Sem Jansen');
	const wall = mentor.getByTestId('talk-wall');
	await expect(wall).toHaveAttribute('data-synced', 'true');
	// Empty states say what will appear and how.
	await expect(wall.getByTestId('talk-student-goals')).toContainText(
		'De leerling schrijft ze voor het gesprek op de eigen telefoon'
	);
	await expect(wall.getByTestId('talk-agreed')).toContainText('Nog geen afspraken');
	// The team's criteria, in words: the Dutch default set.
	await expect(wall.getByRole('heading', { name: 'Ik plan mijn werk' })).toBeVisible();
	await expectAccessible(mentor);

	const childLink = await invite(mentor, board, /^Leerling/);
	const parentLink = await invite(mentor, board, /^Ouder\/verzorger/);
	await mentor.goto(board);
	await expect(wall).toHaveAttribute('data-synced', 'true');

	// Voorbereiden: the student on their phone, in their own words.
	const student = await newPage(browser, phone);
	await join(student, childLink, board, 'Sem');
	await expect(student.getByText('Nog geen doelen. Schrijf hierboven')).toBeVisible();
	await student
		.getByRole('textbox', { name: 'Waar wil jij aan werken?' })
		.fill('Ik wil mijn huiswerk beter plannen');
	await student.getByRole('button', { name: 'Toevoegen' }).first().click();
	await expect(student.getByTestId('talk-my-goals')).toContainText(
		'Ik wil mijn huiswerk beter plannen'
	);
	const plan = student.getByRole('group', { name: 'Ik plan mijn werk' });
	await plan.getByRole('button', { name: 'Ik plan soms zelf' }).click();
	await expect(plan.getByRole('button', { name: 'Ik plan soms zelf' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await student.locator('#talk-note-plannen').fill('Met een lijstje lukt het');
	await student.locator('#talk-note-plannen').press('Enter');
	await expectAccessible(student);
	expect(await smallTargets(student, 44)).toEqual([]);

	// The home view: the parent on their phone.
	const parent = await newPage(browser, phone);
	// A parent link joins as ouder, verzorger or anders: shown with the name in the talk.
	await join(parent, parentLink, board, 'Sanne', 'verzorger');
	await expect(parent.getByRole('heading', { name: 'Zo zien wij het thuis' })).toBeVisible();
	// The student's goal is marked for home by default: the parent reads it.
	await expect(parent.getByTestId('talk-student-goals')).toContainText(
		'Ik wil mijn huiswerk beter plannen'
	);
	await parent
		.getByRole('group', { name: 'Ik plan mijn werk' })
		.getByRole('button', { name: 'Ik plan mijn werk zelf' })
		.click();
	await expectAccessible(parent);
	expect(await smallTargets(parent, 44)).toEqual([]);

	// The student leads: they move the talk on, and every screen follows; a parent follows only.
	await expect(parent.getByRole('button', { name: /^Verder:/ })).toHaveCount(0);
	await student.getByRole('button', { name: 'Verder: Drie blikken' }).click();
	for (const page of [mentor, student, parent]) {
		await expect(
			page.locator('[data-testid="talk-steps"] li[aria-current="step"]')
		).toHaveAttribute('data-step', 'views');
	}

	// Drie blikken: side by side on the mentor's laptop, live, in words.
	await expect(cell(mentor, 'plannen', 'student')).toContainText('Ik plan soms zelf');
	await expect(cell(mentor, 'plannen', 'student')).toContainText('Met een lijstje lukt het');
	await expect(cell(mentor, 'plannen', 'parent')).toContainText('Ik plan mijn werk zelf');
	await expect(cell(mentor, 'plannen', 'parent')).toContainText('Sanne (verzorger)');
	await expect(wall.getByTestId('talk-student-goals')).toContainText(
		'Ik wil mijn huiswerk beter plannen'
	);
	await cell(mentor, 'plannen', 'mentor')
		.getByRole('button', { name: 'Ik plan soms zelf' })
		.click();
	await expect(
		mentor.locator('section[data-criterion="plannen"] [data-testid="compare"]')
	).toHaveText('Jullie zien het verschillend: bespreek het.');
	// Never a number, a position or a percentage.
	await expect(mentor.locator('section[data-criterion="plannen"]')).not.toContainText(/\d|%/);
	await expectAccessible(mentor);

	// Afspreken: the student's own goal becomes an agreed goal, with an action.
	await wall.getByTestId('talk-student-goals').getByRole('button', { name: 'Afspreken' }).click();
	const agreed = wall.getByTestId('talk-agreed');
	await expect(agreed).toContainText('Ik wil mijn huiswerk beter plannen');
	await expect(agreed).toContainText('In de woorden van de leerling');
	await agreed.getByLabel('Wat').fill('Elke maandag mijn week plannen');
	await agreed.getByLabel('Wie').fill('Sem');
	await agreed.getByLabel('Wanneer').fill('2027-01-11');
	await agreed.getByRole('button', { name: 'Actie toevoegen' }).click();
	await expect(agreed).toContainText('Elke maandag mijn week plannen');
	// The student sees it on their phone, live.
	await expect(student.getByTestId('talk-agreed')).toContainText('Elke maandag mijn week plannen');
	await expect(student.getByTestId('talk-my-goals')).toContainText('Afgesproken');
	await expectAccessible(mentor);

	// Einde: the mentor ends the talk; the server keeps the record.
	await mentor.getByRole('button', { name: 'Gesprek afronden' }).click();
	await expect(mentor.getByText('Dit gesprek is afgerond.')).toBeVisible();
	await mentor.getByRole('link', { name: 'Bekijk het verslag' }).click();
	await expect(mentor).toHaveURL(/\/summary\/\d+$/);
	const summaryUrl = new URL(mentor.url()).pathname;
	const summary = mentor.getByTestId('talk-summary');
	// In the student's words first: their goals, then their self-evaluation.
	const headings = await summary.getByRole('heading', { level: 2 }).allTextContents();
	expect(headings).toEqual([
		'Mijn doelen, in mijn woorden',
		'Hoe ik mezelf zie',
		'Wat ik liet zien',
		'Hoe mijn mentor het ziet',
		'Hoe het thuis gaat',
		'Wat we hebben afgesproken'
	]);
	await expect(summary.getByTestId('summary-own-goals')).toContainText(
		'Ik wil mijn huiswerk beter plannen'
	);
	await expect(summary.getByTestId('summary-self')).toContainText(
		'Ik plan mijn werk: Ik plan soms zelf'
	);
	await expect(summary.getByTestId('summary-home')).toContainText('Ik plan mijn werk zelf');
	await expect(summary.getByTestId('summary-agreed')).toContainText(
		'Elke maandag mijn week plannen · Sem · voor 11 jan 2027'
	);
	await expectAccessible(mentor);

	// The student keeps it too, on their phone.
	await student.goto(summaryUrl);
	await expect(student.getByTestId('summary-own-goals')).toContainText(
		'Ik wil mijn huiswerk beter plannen'
	);
	await expectAccessible(student);
});
