/**
 * The three-way talk with the student's own personal link, end to end: the mentor makes
 * Julia's link and starts her talk; Julia, on her phone through that link, opens the talk from
 * /me, writes an own goal and evaluates herself on one criterion, shows a piece of evidence on
 * that criterion (listed under it in "Drie blikken" and in the summary), then adds a photo of her work
 * from "Mijn bewijs"; a parent gives the home view on a phone; the mentor sees the three views
 * side by side, live, adds the mentor's view, agrees Julia's goal with an action and ends the
 * talk. The agreed goal then shows on Julia's progress-wall card and her student page, which
 * also lists the photo.
 *
 * Julia (demostudentc2222, mentor Mehmet) is held by no other e2e test: Noor and Sem have goals
 * and talks of their own there. The criterion is "Ik vraag om hulp": growth.test.ts rewrites
 * the first criterion of the team's set, possibly while this test runs.
 */
import type { Browser, Page } from '@playwright/test';
import sharp from 'sharp';
import { demo, expect, expectAccessible, loginAs, test } from './fixtures';

const JULIA = 'demostudentc2222';
const WALL = 'demoboardvoor22a';
const GOAL = 'Ik wil eerder om hulp vragen bij rekenen (talk-student-link)';
const ACTION = 'Bij een vastgelopen som na vijf minuten de juf vragen';
const EVIDENCE = 'Mijn rekenschrift met de sommen die ik samen oploste (talk-student-link)';
const HELP = 'Ik vraag om hulp';
const SHOWN = 'De lijst met wie ik om hulp kan vragen (talk-student-link)';

const phone = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

async function newPage(browser: Browser, options: Parameters<Browser['newContext']>[0]) {
	const context = await browser.newContext({ locale: 'nl-NL', ...options });
	return context.newPage();
}

const cell = (page: Page, criterion: string, perspective: string) =>
	page.locator(`section[data-criterion="${criterion}"] [data-perspective="${perspective}"]`);

test('a student prepares a three-way talk through their personal link; the agreed goal reaches the wall and their page', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const mentor = await newPage(browser, { viewport: { width: 1366, height: 900 } });
	mentor.on('dialog', (dialog) => void dialog.accept());
	await loginAs(mentor, demo.mentor);
	await mentor.goto('/students');
	await mentor
		.getByRole('region', { name: 'Mijn mentorleerlingen' })
		.getByRole('link', { name: /Julia de Vries/ })
		.click();
	await expect(mentor).toHaveURL(`/students/${JULIA}`);
	const studentPage = mentor.url();

	// Julia's personal link.
	const linkCard = mentor.getByRole('region', { name: 'Persoonlijke link' });
	await linkCard.getByRole('button', { name: 'Link maken' }).click();
	const linkField = mentor.locator('#student-link');
	await expect(linkField).toHaveValue(/\/s\/[a-z2-9]{24}\.[a-z2-9]{24}$/);
	const personalLink = await linkField.inputValue();

	// Her talk, and a parent's invitation to it.
	await mentor
		.getByRole('region', { name: 'Gesprekken' })
		.getByRole('button', { name: 'Nieuw driehoeksgesprek' })
		.click();
	await expect(mentor).toHaveURL(/\/boards\/[a-z2-9]{16}$/);
	const board = new URL(mentor.url()).pathname;
	await expect(mentor.getByRole('heading', { level: 1 })).toHaveText(
		'Driehoeksgesprek Julia de Vries'
	);
	await mentor.goto(`${board}/share`);
	await mentor.getByRole('radio', { name: /^Ouder\/verzorger/ }).check();
	await mentor.getByRole('button', { name: 'Uitnodiging maken' }).click();
	const guestField = mentor.locator('#guest-link');
	await expect(guestField).toHaveValue(/\/join\//);
	const parentLink = await guestField.inputValue();
	await mentor.goto(board);
	const wall = mentor.getByTestId('talk-wall');
	await expect(wall).toHaveAttribute('data-synced', 'true');

	// Julia on her phone, through her own link: /me, then her talk from her conversations.
	const julia = await newPage(browser, phone);
	await julia.goto(personalLink);
	await expect(julia.getByText('Dit is de link van Julia.')).toBeVisible();
	await julia.getByRole('button', { name: 'Open mijn pagina' }).click();
	await expect(julia).toHaveURL(/\/me$/);
	await expect(julia.getByRole('heading', { level: 1 })).toHaveText('Hoi Julia de Vries');
	await expectAccessible(julia);
	await julia.locator(`section[aria-labelledby="conversations-h"] a[href="${board}"]`).click();
	await expect(julia).toHaveURL(board);
	const talk = julia.getByTestId('talk-phone');
	await expect(talk).toHaveAttribute('data-synced', 'true');

	// Voorbereiden: her own goal and how she sees herself on one criterion.
	await julia.getByRole('textbox', { name: 'Waar wil jij aan werken?' }).fill(GOAL);
	await julia.getByRole('button', { name: 'Toevoegen' }).first().click();
	await expect(julia.getByTestId('talk-my-goals')).toContainText(GOAL);
	const help = julia.getByRole('group', { name: HELP });
	await help.getByRole('button', { name: 'Ik vraag hulp als het echt niet lukt' }).click();
	await expect(
		help.getByRole('button', { name: 'Ik vraag hulp als het echt niet lukt' })
	).toHaveAttribute('aria-pressed', 'true');
	// The mentor's laptop has it before she leaves the talk.
	await expect(wall.getByTestId('talk-student-goals')).toContainText(GOAL);
	await expect(cell(mentor, 'hulp-vragen', 'student')).toContainText(
		'Ik vraag hulp als het echt niet lukt'
	);

	// Evidence to show in the talk, on the criterion it shows growth on: "Drie blikken" lists it
	// under that criterion, and the summary keeps the link.
	const shown = julia.getByTestId('talk-evidence');
	await shown.getByLabel('Iets wat je gemaakt of gedaan hebt').fill(SHOWN);
	await shown.getByLabel('Bij welk criterium laat dit groei zien?').selectOption('hulp-vragen');
	await shown.getByRole('button', { name: 'Toevoegen' }).click();
	await expect(shown.getByTestId('evidence-criterion-choice')).toHaveValue('hulp-vragen');
	await expectAccessible(julia);
	await expect(
		mentor.locator('section[data-criterion="hulp-vragen"]').getByTestId('criterion-evidence')
	).toContainText(SHOWN);
	await expect(
		mentor.locator('section[data-criterion="plannen"]').getByTestId('criterion-evidence')
	).toHaveCount(0);

	// Mijn bewijs: a photo of her work, from /me.
	await julia.goto('/me');
	await julia.getByRole('link', { name: 'Bewijs bekijken en toevoegen' }).click();
	await expect(julia).toHaveURL(`/students/${JULIA}/evidence`);
	await expectAccessible(julia);
	const photo = await sharp({
		create: { width: 400, height: 300, channels: 3, background: '#3a7bd5' }
	})
		.png()
		.toBuffer();
	await julia.getByLabel('Wat laat het zien?').fill(EVIDENCE);
	await julia.getByLabel(/Foto van werk/).setInputFiles({
		name: 'rekenschrift.png',
		mimeType: 'image/png',
		buffer: photo
	});
	await julia.getByRole('button', { name: 'Bewijs toevoegen' }).click();
	await expect(julia.getByText('Bewijs toegevoegd.')).toBeVisible();
	const listed = julia.locator('li[data-evidence]', { hasText: EVIDENCE });
	await expect(listed.locator('img')).toBeVisible();
	await expectAccessible(julia);

	// The home view: a parent on their phone, on the same criterion.
	const parent = await newPage(browser, phone);
	await parent.goto(parentLink);
	await parent.getByLabel('Hoe heet je?').fill('Ingrid');
	await parent.getByRole('radio', { name: 'ouder', exact: true }).check();
	await parent.getByRole('button', { name: 'Naar het bord' }).click();
	await expect(parent).toHaveURL(board);
	await expect(parent.getByTestId('talk-phone')).toHaveAttribute('data-synced', 'true');
	await expect(parent.getByTestId('talk-student-goals')).toContainText(GOAL);
	await parent
		.getByRole('group', { name: HELP })
		.getByRole('button', { name: 'Ik vraag op tijd om hulp' })
		.click();

	// Drie blikken, side by side on the mentor's laptop, live; the mentor adds theirs.
	await expect(cell(mentor, 'hulp-vragen', 'parent')).toContainText('Ik vraag op tijd om hulp');
	await expect(cell(mentor, 'hulp-vragen', 'parent')).toContainText('Ingrid (ouder)');
	await cell(mentor, 'hulp-vragen', 'mentor')
		.getByRole('button', { name: 'Ik vraag hulp als het echt niet lukt' })
		.click();
	await expect(cell(mentor, 'hulp-vragen', 'mentor')).toContainText(
		'Ik vraag hulp als het echt niet lukt'
	);
	await expect(cell(mentor, 'hulp-vragen', 'student')).toContainText(
		'Ik vraag hulp als het echt niet lukt'
	);

	// Afspreken: Julia's own goal, with one action; then the talk ends.
	await wall.getByTestId('talk-student-goals').getByRole('button', { name: 'Afspreken' }).click();
	const agreed = wall.getByTestId('talk-agreed');
	await expect(agreed).toContainText(GOAL);
	await agreed.getByLabel('Wat').fill(ACTION);
	await agreed.getByLabel('Wie').fill('Julia');
	await agreed.getByLabel('Wanneer').fill('2027-02-01');
	await agreed.getByRole('button', { name: 'Actie toevoegen' }).click();
	await expect(agreed).toContainText(ACTION);
	await mentor.getByRole('button', { name: 'Gesprek afronden' }).click();
	await expect(mentor.getByText('Dit gesprek is afgerond.')).toBeVisible();
	await mentor.getByRole('link', { name: 'Bekijk het verslag' }).click();
	await expect(
		mentor.getByTestId('summary-evidence').locator('li', { hasText: SHOWN })
	).toContainText('Bij: Ik vraag om hulp');

	// The agreed goal on Julia's progress-wall card.
	await mentor.goto(`/boards/${WALL}`);
	await expect(
		mentor.locator(`article[data-student="${JULIA}"]`).getByTestId('agreed-goals')
	).toContainText(`Afgesproken doel: ${GOAL}`);

	// And on her student page, with its action; the photo is listed there too.
	await mentor.goto(studentPage);
	const growth = mentor.locator('#groei');
	await expect(growth.getByRole('heading', { name: 'Afgesproken doelen' })).toBeVisible();
	const goal = growth.locator('#goals-title ~ ul li[data-goal]', { hasText: GOAL });
	await expect(goal).toBeVisible();
	await expect(goal).toContainText(ACTION);
	const evidence = growth.locator('li[data-evidence]', { hasText: EVIDENCE });
	await expect(evidence).toContainText('Julia');
	await expect(evidence.locator('img')).toBeVisible();

	// Julia signs out on her phone: she has no account, so she is told how to come back, not
	// sent to the staff login. (Submitted directly: the phone navigation may fold the button
	// into a menu.)
	await julia
		.locator('form[action="/logout"]')
		.evaluate((form: HTMLFormElement) => form.requestSubmit());
	await expect(julia.getByRole('heading', { level: 1 })).toHaveText('Je bent uitgelogd');
	await expect(julia.getByText('Open je persoonlijke link opnieuw')).toBeVisible();
	await expect(julia.getByRole('textbox', { name: /e-mail/i })).toHaveCount(0);
});
