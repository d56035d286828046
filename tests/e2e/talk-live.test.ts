/**
 * Issue 11's "done when": a student on a phone-sized context adds a self-evaluation and a photo
 * as evidence through their personal link; the mentor sees both live, without reloading, on the
 * student's page and in the student's open three-way talk.
 *
 * Saar (demostudentg2222, mentor Mehmet, photo consent given) is held by no other e2e test. The
 * criterion is "Ik reflecteer op feedback": growth.test.ts rewrites the first criterion of the
 * team's set, possibly while this test runs.
 */
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { demo, expect, loginAs, test } from './fixtures';

const SAAR = 'demostudentg2222';
const FEEDBACK = 'feedback';
const LEVEL = 'Ik gebruik feedback in mijn werk';
const NOTE = 'Ik verbeter mijn verslag met de tips (talk-live)';
const EVIDENCE = 'Mijn verslag, tweede versie met de tips erin (talk-live)';

const phone = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

/** A mark on the window that a reload would wipe: "live" means it is still there. */
const markNoReload = (page: Page) =>
	page.evaluate(() => ((window as unknown as { liveMark: string }).liveMark = 'still here'));
const stillNoReload = (page: Page) =>
	page.evaluate(() => (window as unknown as { liveMark?: string }).liveMark);

test('a student’s self-evaluation and photo from their phone appear live on the mentor’s student page and in the open talk', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const laptop = await browser.newContext({
		locale: 'nl-NL',
		viewport: { width: 1366, height: 900 }
	});
	const studentPage = await laptop.newPage();
	await loginAs(studentPage, demo.mentor);
	await studentPage.goto(`/students/${SAAR}`);
	await expect(studentPage.getByRole('heading', { level: 1 })).toContainText('Saar');

	// Saar's personal link, and a talk for her, open on the mentor's laptop in a second tab.
	await studentPage
		.getByRole('region', { name: 'Persoonlijke link' })
		.getByRole('button', { name: 'Link maken' })
		.click();
	const linkField = studentPage.locator('#student-link');
	await expect(linkField).toHaveValue(/\/s\/[a-z2-9]{24}\.[a-z2-9]{24}$/);
	const personalLink = await linkField.inputValue();
	await studentPage
		.getByRole('region', { name: 'Gesprekken' })
		.getByRole('button', { name: 'Nieuw driehoeksgesprek' })
		.click();
	await expect(studentPage).toHaveURL(/\/boards\/[a-z2-9]{16}$/);
	const board = new URL(studentPage.url()).pathname;
	const talk = await laptop.newPage();
	await talk.goto(board);
	const wall = talk.getByTestId('talk-wall');
	await expect(wall).toHaveAttribute('data-synced', 'true');
	await studentPage.goto(`/students/${SAAR}`);
	const growth = studentPage.locator('#groei');
	const studentView = growth.locator(
		`li[data-criterion="${FEEDBACK}"] [data-perspective="student"]`
	);
	await expect(studentView).not.toContainText(NOTE);
	await expect(growth.locator('li[data-evidence]', { hasText: EVIDENCE })).toHaveCount(0);
	await markNoReload(studentPage);
	await markNoReload(talk);

	// Saar on her phone, through her own link: her growth page, one criterion in her words.
	const saar = await (await browser.newContext({ locale: 'nl-NL', ...phone })).newPage();
	await saar.goto(personalLink);
	await saar.getByRole('button', { name: 'Open mijn pagina' }).click();
	await expect(saar).toHaveURL(/\/me$/);
	await saar.getByRole('link', { name: 'Groei in de tijd bekijken' }).click();
	await expect(saar).toHaveURL(`/students/${SAAR}/growth`);
	const form = saar.locator(`form.level-form[data-criterion="${FEEDBACK}"]`);
	await form.getByText(LEVEL, { exact: true }).click();
	await form.getByLabel('Waarom?').fill(NOTE);
	await form.getByRole('button', { name: 'Opslaan' }).click();
	await expect(form.getByRole('status')).toHaveText('Opgeslagen. Het staat nu in de tijdlijn.');

	// The mentor's student page and the open talk show it without a reload.
	await expect(studentView).toContainText(LEVEL);
	await expect(studentView).toContainText(NOTE);
	const talkCell = talk.locator(
		`section[data-criterion="${FEEDBACK}"] [data-perspective="student"]`
	);
	await expect(talkCell).toContainText(LEVEL);
	await expect(talkCell).toContainText(NOTE);
	await expect(talkCell).toContainText('Saar');

	// Then a photo of her work, from "Mijn bewijs".
	await saar.goto('/me');
	await saar.getByRole('link', { name: 'Bewijs bekijken en toevoegen' }).click();
	await expect(saar).toHaveURL(`/students/${SAAR}/evidence`);
	const photo = await sharp({
		create: { width: 400, height: 300, channels: 3, background: '#d56a3a' }
	})
		.png()
		.toBuffer();
	await saar.getByLabel('Wat laat het zien?').fill(EVIDENCE);
	await saar.getByLabel(/Foto van werk/).setInputFiles({
		name: 'verslag.png',
		mimeType: 'image/png',
		buffer: photo
	});
	await saar.getByRole('button', { name: 'Bewijs toevoegen' }).click();
	await expect(saar.getByText('Bewijs toegevoegd.')).toBeVisible();

	const listed = growth.locator('li[data-evidence]', { hasText: EVIDENCE });
	await expect(listed).toContainText('Saar');
	await expect(listed.locator('img')).toBeVisible();
	const inTalk = wall.getByTestId('talk-student-goals').locator('li.card', { hasText: EVIDENCE });
	await expect(inTalk.locator('img')).toBeVisible();
	await expect
		.poll(() => inTalk.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
		.toBeGreaterThan(0);

	// Neither mentor tab was reloaded to get there.
	expect(await stillNoReload(studentPage)).toBe('still here');
	expect(await stillNoReload(talk)).toBe('still here');
});
