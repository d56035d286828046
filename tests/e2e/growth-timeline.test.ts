/**
 * Growth over time in a real browser, on a phone-sized screen: the mentor opens Noor's growth
 * page from her student page, reads her seeded year (a step on asking for help, a question on
 * feedback), plans a step for this week and ticks it, and records a level on feedback; the
 * question on feedback goes away once a step is seen. Noor's views on planning and asking for
 * help, which growth.test.ts reads, are left alone: this test writes only on feedback and on
 * this week's plan, which no other test reads.
 */
import { demo, expect, expectAccessible, loginAs, smallTargets, test } from './fixtures';

const NOOR = 'demostudenta2222';

test.use({ viewport: { width: 390, height: 844 } });

test('a mentor reads Noor’s year, plans a step for this week and records a level on feedback', async ({
	page
}) => {
	await loginAs(page, demo.mentor);
	await page.goto(`/students/${NOOR}`);
	const growth = page.locator('#groei');
	await expect(growth.getByTestId('criterion-signals')).toContainText(
		/geen stap op ‘Ik doe iets met feedback’ volgens Noor de Jong en de mentor\. Wat zou helpen\?/
	);
	await growth.getByRole('link', { name: 'Groei in de tijd bekijken' }).click();
	await expect(page).toHaveURL(`/students/${NOOR}/growth`);
	await expect(
		page.getByRole('heading', { level: 1, name: 'Groei van Noor de Jong in de tijd' })
	).toBeVisible();

	// Her year: asking for help, four views from her, the last one a step further.
	const hulp = page.locator('section.criterion[data-criterion="hulp-vragen"]');
	const own = hulp.locator('li.point', { has: page.locator('[data-perspective="student"]') });
	await expect(own).toHaveCount(4);
	await expect(own.last()).toContainText('Zelf: Ik vraag op tijd om hulp');
	await expect(own.last()).toContainText('een stap verder');
	await expect(page.locator('section.general')).toContainText(
		'Doel gelukt: Ik schrijf mijn huiswerk elke dag in mijn agenda'
	);
	await expectAccessible(page);
	expect(await smallTargets(page, 44)).toEqual([]);

	// This week's plan: a step on the open goal, ticked off.
	const plan = page.getByTestId('week-plan');
	await plan
		.getByLabel('Nieuwe stap voor ‘Ik plan elke maandag mijn weektaak’')
		.fill('Maandag mijn weektaak indelen');
	await plan.getByRole('button', { name: 'Stap toevoegen' }).click();
	const tick = plan.getByRole('button', { name: 'Stap gelukt: Maandag mijn weektaak indelen' });
	await expect(tick).toBeVisible();
	await tick.click();
	await expect(
		plan.getByRole('button', { name: 'Stap nog niet gelukt: Maandag mijn weektaak indelen' })
	).toHaveAttribute('aria-pressed', 'true');

	// A level on feedback, in words: a step on, so the question goes.
	const form = page.locator('form.level-form[data-criterion="feedback"]');
	await form.getByText('Ik gebruik feedback in mijn werk').click();
	await form.getByLabel('Waarom? (één zin, mag leeg)').fill('Verbetert haar verslag na de les');
	await form.getByRole('button', { name: 'Opslaan' }).click();
	await expect(form.getByText('Opgeslagen. Het staat nu in de tijdlijn.')).toBeVisible();
	await expect(
		page.locator('section.criterion[data-criterion="feedback"] li.point').last()
	).toContainText('Mentor: Ik gebruik feedback in mijn werk');
	await expect(page.getByTestId('criterion-signals')).not.toContainText('Ik doe iets met feedback');
	await expectAccessible(page);
});
