/**
 * Erasing a student (AVG art. 17) from the admin's student list: a confirmation page names what
 * will go, asks for the first name, and afterwards the student is gone from every page for
 * every role. Uses Ryan (demo student 19, mentor Daan), whom no other e2e test uses: the e2e
 * tests share one demo server.
 */
import { demo, expect, expectAccessible, loginAs, test } from './fixtures';

const RYAN = 'demostudentv2222';
const WALL = '/boards/demoboardvoor22a';

test('an admin erases a student after a confirmation that names what goes; the student is gone everywhere', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const admin = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
	await loginAs(admin, demo.ib);
	await admin.goto('/admin/students');
	await expect(admin.getByText('Ryan Dijkstra', { exact: true })).toBeVisible();
	await admin.getByRole('link', { name: 'Ryan Dijkstra verwijderen (AVG)' }).click();

	await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Ryan Dijkstra verwijderen');
	const goes = admin.getByRole('table');
	await expect(goes.getByRole('row', { name: /Foto's/ })).toContainText('1');
	// Eight weeks of demo history on the progress wall.
	await expect(goes.getByRole('row', { name: /Regels in de geschiedenis/ })).toContainText(/[1-9]/);
	await expect(admin.getByText(/Blijft bewaard: \d+ regels in het toegangslogboek/)).toBeVisible();
	await expectAccessible(admin);
	for (const target of [
		admin.getByRole('button', { name: 'Definitief verwijderen' }),
		admin.getByRole('textbox')
	]) {
		const box = await target.boundingBox();
		expect(box!.height).toBeGreaterThanOrEqual(44);
	}

	// A wrong name erases nothing and says why.
	const confirm = admin.getByLabel('Typ de voornaam (Ryan) om te bevestigen');
	await confirm.fill('Bram');
	await admin.getByRole('button', { name: 'Definitief verwijderen' }).click();
	await expect(admin.getByText('Dat is niet de voornaam van deze leerling.')).toBeVisible();

	await confirm.fill('Ryan');
	await admin.getByRole('button', { name: 'Definitief verwijderen' }).click();
	await expect(admin).toHaveURL(/\/admin\/students\?erased=Ryan/);
	await expect(admin.getByRole('status')).toContainText('Ryan is verwijderd');
	await expect(admin.getByText('Ryan Dijkstra')).toHaveCount(0);
	const gone = await admin.goto(`/admin/students/${RYAN}/erase`);
	expect(gone?.status()).toBe(404);
	expect((await admin.goto(`/admin/students/${RYAN}/export`))?.status()).toBe(404);

	// His mentor: not in the list, not on the wall, his page is not found.
	const mentor = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
	await loginAs(mentor, demo.docent);
	await mentor.goto('/students');
	await expect(mentor.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(mentor.getByText('Ryan')).toHaveCount(0);
	expect((await mentor.goto(`/students/${RYAN}`))?.status()).toBe(404);
	await mentor.goto(WALL);
	await expect(mentor.locator('article[data-student]').first()).toBeVisible();
	await expect(mentor.locator(`article[data-student="${RYAN}"]`)).toHaveCount(0);
	await expect(mentor.getByText('Ryan Dijkstra')).toHaveCount(0);

	// Another staff member and the admin's own pages: nowhere either.
	const other = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
	await loginAs(other, demo.mentor);
	for (const path of ['/students', WALL, '/reviews']) {
		await other.goto(path);
		await expect(other.getByText('Ryan Dijkstra')).toHaveCount(0);
	}
	expect((await other.goto(`/students/${RYAN}/evidence`))?.status()).toBe(404);
	await admin.goto('/students');
	await expect(admin.getByText('Ryan Dijkstra')).toHaveCount(0);
});
