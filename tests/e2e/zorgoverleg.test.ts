/**
 * The care meeting led by the child, end to end: the mentor invites the child, a parent and a
 * youth-care worker from the share page; the child runs the meeting in child mode on a tablet
 * (taps the parent's face and a smiley, which lands live on the parent's phone; the youth-care
 * worker passes on their own phone), adds a success and its own words with who may see them,
 * gives an action an owner; the mentor writes along on a laptop without taking over the
 * child's screen and ends the meeting; the summary lists it, and the family's copy leaves out
 * the words not meant for home. Child mode passes axe with every target at 64 px or more.
 */
import type { Browser, Page } from '@playwright/test';
import { demo, expect, expectAccessible, loginAs, smallTargets, test } from './fixtures';

const BOARD = '/boards/demoboardzoov22a';

async function expectChildFriendly(page: Page) {
	const meeting = page.getByTestId('care-meeting');
	await expect(meeting).toHaveAttribute('data-child-mode', 'on');
	await expectAccessible(page);
	expect(await smallTargets(page, 64)).toEqual([]);
	// Pictures are drawn, not emoji: the same on every device, whatever its fonts.
	expect(await meeting.innerText()).not.toMatch(/\p{Extended_Pictographic}/u);
	await expect(meeting.locator('ol.steps svg')).toHaveCount(5);
}

async function newPage(browser: Browser, options: Parameters<Browser['newContext']>[0]) {
	const context = await browser.newContext({ locale: 'nl-NL', ...options });
	return context.newPage();
}

async function invite(mentor: Page, role: RegExp): Promise<string> {
	await mentor.goto(`${BOARD}/share`);
	await mentor.getByRole('radio', { name: role }).check();
	await mentor.getByRole('button', { name: 'Uitnodiging maken' }).click();
	const link = mentor.locator('#guest-link');
	await expect(link).toHaveValue(/\/join\//);
	return link.inputValue();
}

async function join(page: Page, link: string, name: string, label?: string) {
	await page.goto(link);
	await page.getByLabel('Hoe heet je?').fill(name);
	if (label) await page.getByRole('radio', { name: label, exact: true }).check();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Naar het bord' }).click();
	await expect(page).toHaveURL(BOARD);
	await expect(page.getByTestId('care-meeting')).toHaveAttribute('data-synced', 'true');
}

const face = (page: Page, name: string) =>
	page.locator('[data-step="checkin"] button.face', { hasText: name });

test('the child leads its care meeting; the family takes home only what the child chose', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const mentor = await newPage(browser, { viewport: { width: 1366, height: 900 } });
	await loginAs(mentor, demo.mentor);
	await mentor.goto(BOARD);
	await expect(mentor.getByTestId('care-meeting')).toHaveAttribute('data-synced', 'true');
	// An empty meeting opens with how it works, the first step highlighted.
	await expect(mentor.getByRole('heading', { name: 'Zo werkt dit gesprek' })).toBeVisible();
	await expect(mentor.locator('ol.steps li[aria-current="step"]')).toHaveText(
		/Hoe voelt iedereen zich\?/
	);
	await expectAccessible(mentor);

	const childLink = await invite(mentor, /^Leerling/);
	const parentLink = await invite(mentor, /^Ouder\/verzorger/);
	const partnerLink = await invite(mentor, /^Zorgpartner/);

	// The mentor's laptop: the normal view, open while the others join.
	await mentor.goto(BOARD);
	await expect(mentor.getByTestId('care-meeting')).toHaveAttribute('data-synced', 'true');
	await expect(mentor.getByTestId('care-meeting')).not.toHaveAttribute('data-child-mode');

	const parent = await newPage(browser, {
		viewport: { width: 390, height: 844 },
		hasTouch: true,
		isMobile: true
	});
	await join(parent, parentLink, 'Sanne', 'ouder');
	const partner = await newPage(browser, { viewport: { width: 390, height: 844 }, hasTouch: true });
	await join(partner, partnerLink, 'Joris', 'jeugdzorg');
	const child = await newPage(browser, { viewport: { width: 1024, height: 768 }, hasTouch: true });
	await join(child, childLink, 'Noor');
	// Everyone who joined arrives on the open laptop without a reload, the child once.
	await expect(face(mentor, 'Sanne')).toContainText('ouder');
	await expect(face(mentor, 'Joris')).toContainText('jeugdzorg');
	await expect(face(mentor, 'Noor')).toHaveCount(1);

	// Child mode is on by default for the child: the start screen, then the first step.
	await expect(child.getByRole('heading', { name: 'Zo werkt dit gesprek' })).toBeVisible();
	await expectChildFriendly(child);
	await child.getByRole('button', { name: 'Beginnen' }).click();
	await expect(child.getByRole('heading', { name: 'Hoe voelt iedereen zich?' })).toBeVisible();
	// Participants come from the server, each with their role: nobody types a name here.
	await expect(face(child, 'Sanne')).toContainText('ouder');
	await expect(face(child, 'Joris')).toContainText('jeugdzorg');
	await expect(face(child, 'Mehmet Yilmaz')).toContainText('mentor');
	await expect(child.getByRole('textbox')).toHaveCount(0);

	// The child taps the parent's face, then a smiley: it lands live on the parent's phone.
	await face(child, 'Sanne').click();
	await child.getByRole('button', { name: 'Blij', exact: true }).click();
	await expect(face(parent, 'Sanne')).toHaveAccessibleName('Sanne (ouder): Blij');
	// Its own smiley too.
	await face(child, 'Noor').click();
	await child.getByRole('button', { name: 'Gaat wel', exact: true }).click();
	// The youth-care worker passes, on their own phone; the child's wall shows it.
	await partner.getByRole('button', { name: 'Ik sla over' }).click();
	await expect(face(child, 'Joris')).toHaveAccessibleName('Joris (jeugdzorg): slaat over');
	await expect(
		child
			.locator('[data-step="checkin"] li', {
				has: child.locator('button.face', { hasText: 'Joris' })
			})
			.locator('.mark svg')
	).toHaveAttribute('data-picture', 'pass');
	// The parent may only place their own check-in: other faces are not buttons on that phone.
	await expect(face(parent, 'Noor')).toHaveCount(0);
	await expectChildFriendly(child);

	// From here on, watch everything the parent's phone ever renders: the words the child keeps
	// for the mentor and the care team must never appear on it, not even for a moment.
	const hidden = 'Ik wil minder boos worden';
	await parent.evaluate((text) => {
		const w = window as unknown as { sawHidden: boolean };
		w.sawHidden = false;
		const look = () => {
			if (document.body.textContent?.includes(text)) w.sawHidden = true;
		};
		new MutationObserver(look).observe(document.body, {
			subtree: true,
			childList: true,
			characterData: true
		});
	}, hidden);

	await child.getByRole('button', { name: 'Volgende' }).click();
	await expect(child.getByRole('heading', { name: 'Wat gaat goed?' })).toBeVisible();
	await child
		.getByRole('textbox', { name: 'Schrijf op wat goed gaat' })
		.fill('Ik lees elke dag een boek');
	await child.getByRole('button', { name: 'Erbij zetten' }).click();
	await expect(mentor.getByTestId('successes')).toContainText('Ik lees elke dag een boek');

	await child.getByRole('button', { name: 'Volgende' }).click();
	await expect(child.getByRole('heading', { name: 'Waar wil ik aan werken?' })).toBeVisible();
	await child.getByRole('textbox', { name: 'Wat wil je zeggen?' }).fill(hidden);
	const newWords = child.locator('[data-step="wishes"] form');
	await newWords.getByRole('button', { name: 'Juf/meester en zorg' }).click();
	await child.getByRole('button', { name: 'Erbij zetten' }).click();
	await child.getByRole('textbox', { name: 'Wat wil je zeggen?' }).fill('Ik wil beter lezen');
	await newWords.getByRole('button', { name: 'Ook thuis' }).click();
	await child.getByRole('button', { name: 'Erbij zetten' }).click();
	const words = child.getByTestId('wishes');
	await expect(words.locator('li')).toHaveCount(2);
	await expect(
		words.locator('li', { hasText: hidden }).locator('[aria-pressed="true"]')
	).toHaveText(/Juf\/meester en zorg/);
	await expectChildFriendly(child);
	// The parent's phone has the words the child takes home, and never the ones kept from home.
	await expect(parent.getByTestId('care-meeting')).toContainText('Ik wil beter lezen');
	await expect(mentor.getByTestId('care-meeting')).toContainText(hidden);
	await expect(parent.getByTestId('care-meeting')).not.toContainText(hidden);

	// The mentor writes along on the laptop; the child's screen stays where the child is.
	await mentor
		.getByRole('textbox', { name: 'Schrijf op wat goed gaat' })
		.fill('Noor helpt anderen in de klas');
	await mentor.getByRole('button', { name: 'Erbij zetten' }).first().click();
	await expect(child.getByRole('heading', { name: 'Waar wil ik aan werken?' })).toBeVisible();

	await child.getByRole('button', { name: 'Volgende' }).click();
	await expect(child.getByRole('heading', { name: 'Wie helpt mij daarbij?' })).toBeVisible();
	await child.getByLabel('Wat gaat er gebeuren?').fill('Elke avond samen lezen');
	await child.locator('[data-step="actions"] button.face', { hasText: 'Sanne' }).click();
	await child.getByLabel('Wanneer?').fill('2027-01-15');
	await child.getByRole('button', { name: 'Erbij zetten' }).click();
	await expect(mentor.getByTestId('actions')).toContainText('Sanne (ouder)');
	await expectChildFriendly(child);

	await child.getByRole('button', { name: 'Volgende' }).click();
	await expect(child.getByRole('heading', { name: 'Klaar!' })).toBeVisible();
	// Only the school ends the meeting and writes its record.
	await expect(child.getByRole('button', { name: 'Gesprek afronden' })).toHaveCount(0);
	mentor.on('dialog', (dialog) => void dialog.accept());
	await mentor.getByRole('button', { name: 'Gesprek afronden' }).click();
	await expect(mentor.getByText('Het gesprek is afgerond.')).toBeVisible();
	await mentor.getByRole('link', { name: 'Samenvatting bekijken' }).click();
	await expect(mentor).toHaveURL(/\/summary\/\d+$/);
	const summaryUrl = new URL(mentor.url()).pathname;

	const summary = mentor.getByTestId('meeting-summary');
	await expect(summary.getByRole('heading', { level: 1 })).not.toContainText(/\d{4}-\d{2}-\d{2}/);
	await expect(summary.getByTestId('summary-checkins')).toContainText(
		'Joris (jeugdzorg): slaat over'
	);
	await expect(summary.getByTestId('summary-checkins')).toContainText('Sanne (ouder): Blij');
	await expect(summary.getByTestId('summary-successes')).toContainText('Ik lees elke dag een boek');
	await expect(summary.getByTestId('summary-actions')).toContainText(
		'Elke avond samen lezen · Sanne (ouder) · klaar op 15 jan 2027'
	);
	await expect(summary.getByTestId('summary-words').locator('li')).toHaveCount(2);
	await expectAccessible(mentor);

	expect(await parent.evaluate(() => (window as unknown as { sawHidden: boolean }).sawHidden)).toBe(
		false
	);

	// The family's copy: only the words the child chose to take home.
	await parent.goto(summaryUrl);
	const family = parent.getByTestId('summary-words');
	await expect(family).toContainText('Ik wil beter lezen');
	await expect(family).not.toContainText(hidden);
	await expect(parent.getByTestId('summary-actions')).toContainText('Elke avond samen lezen');
	await expectAccessible(parent);

	// The child's own device meanwhile shows the start screen again, the meeting closed; after a
	// reload it lists the meeting's summary among the earlier ones.
	await expect(child.getByRole('heading', { name: 'Zo werkt dit gesprek' })).toBeVisible();
	await child.reload();
	// Dates in the page's language and school time, never as ISO.
	const today = new Date().toLocaleDateString('nl-NL', {
		timeZone: 'Europe/Amsterdam',
		dateStyle: 'medium'
	});
	await expect(
		child.getByRole('link', { name: `Samenvatting van ${today}`, exact: true })
	).toHaveAttribute('href', summaryUrl);
	await expectChildFriendly(child);

	for (const page of [mentor, parent, partner, child]) await page.context().close();
});
