/**
 * The student's personal link, end to end: the mentor makes it on the student's page; the
 * student opens it on a phone (390 × 844), lands on their own page, opens their care meeting as
 * the child (child mode) and their review preparation, and reaches nothing else. After the
 * mentor revokes it, the phone is signed out and the link gives the friendly page.
 */
import type { Browser } from '@playwright/test';
import { demo, expect, expectAccessible, loginAs, test } from './fixtures';

const NOOR = '/students/demostudenta2222';
const NOOR_MEETING = '/boards/demoboardzoov22a';
const SEM_MEETING = '/boards/demoboardzoov22b';

async function phone(browser: Browser) {
	const context = await browser.newContext({
		locale: 'nl-NL',
		viewport: { width: 390, height: 844 },
		hasTouch: true,
		isMobile: true
	});
	return context.newPage();
}

test('a student opens their own pages through their personal link, until the mentor revokes it', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const mentor = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
	await loginAs(mentor, demo.mentor);
	// A review round of the team, for Noor to prepare her mentor talk in.
	await mentor.goto('/reviews');
	await mentor.getByLabel(/Naam, bijvoorbeeld/).fill('Periode 2');
	await mentor.getByRole('button', { name: 'Starten' }).click();
	await expect(mentor.getByRole('heading', { level: 1 })).toHaveText('Periode 2');

	await mentor.goto(NOOR);
	const card = mentor.getByRole('region', { name: 'Persoonlijke link' });
	await expect(card.getByTestId('student-link-state')).toContainText('geen werkende link');
	await card.getByRole('button', { name: 'Link maken' }).click();
	const field = mentor.locator('#student-link');
	await expect(field).toHaveValue(/\/s\/[a-z2-9]{24}\.[a-z2-9]{24}$/);
	const link = await field.inputValue();
	await expect(card.getByRole('img', { name: 'QR-code van de persoonlijke link' })).toBeVisible();
	await expect(card.getByTestId('student-link-state')).toContainText('Nog niet gebruikt');
	await expectAccessible(mentor);

	const noor = await phone(browser);
	await noor.goto(link);
	await expect(noor.getByText('Dit is de link van Noor.')).toBeVisible();
	await expectAccessible(noor);
	await noor.getByRole('button', { name: 'Open mijn pagina' }).click();
	await expect(noor).toHaveURL(/\/me$/);
	await expect(noor.getByRole('heading', { level: 1 })).toHaveText('Hoi Noor de Jong');
	await expectAccessible(noor);

	// Her care meeting, as the child: child mode on her own phone, live.
	// By its address: other tests may start more conversations for Noor on the same server.
	await noor.locator(`a[href="${NOOR_MEETING}"]`).click();
	await expect(noor).toHaveURL(NOOR_MEETING);
	const meeting = noor.getByTestId('care-meeting');
	await expect(meeting).toHaveAttribute('data-synced', 'true');
	await expect(meeting).toHaveAttribute('data-child-mode', 'on');

	// Her own preparation page of the round.
	await noor.goto('/me');
	await noor.getByRole('link', { name: /Bereid je mentorgesprek voor/ }).click();
	await expect(noor).toHaveURL(/\/reviews\/[a-z2-9]{16}\/prepare\/demostudenta2222$/);
	await expect(noor.getByRole('heading', { level: 1 })).toContainText('Noor');
	await expectAccessible(noor);

	// Nothing of anyone else, and no staff page: the same 404 as a missing page.
	for (const path of [SEM_MEETING, NOOR, '/students', '/reviews']) {
		const response = await noor.goto(path);
		expect(response?.status(), path).toBe(404);
	}

	// The mentor sees it was used, and revokes it.
	await mentor.reload();
	await expect(card.getByTestId('student-link-state')).toContainText('Laatst gebruikt');
	await card.getByRole('button', { name: 'Link intrekken' }).click();
	await expect(card.getByRole('status')).toContainText('ingetrokken');
	await expect(card.getByTestId('student-link-state')).toContainText('geen werkende link');

	// The phone is signed out, and the link now gives the friendly page.
	await noor.goto('/me');
	await expect(noor).toHaveURL(/\/login/);
	await noor.goto(link);
	await expect(noor.getByRole('heading', { level: 1 })).toHaveText('Deze link werkt niet');
	await expect(noor.getByRole('button', { name: 'Open mijn pagina' })).toHaveCount(0);
});
