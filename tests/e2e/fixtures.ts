/** Shared e2e fixtures: log in as a demo account, check a page with axe (WCAG 2.2 AA). */
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'groeibord-demo';
export const demo = {
	ib: 'ib@demo.groeibord.nl',
	mentor: 'mentor@demo.groeibord.nl',
	docent: 'docent@demo.groeibord.nl'
} as const;

export async function loginAs(page: Page, email: string, password = DEMO_PASSWORD) {
	await page.goto('/login');
	await page.getByLabel(/e-mailadres|email address/i).fill(email);
	await page.getByLabel(/^wachtwoord$|^password$/i).fill(password);
	await page.getByRole('button', { name: /inloggen|log in/i }).click();
	await expect(page).toHaveURL(/\/boards/);
}

export async function expectAccessible(page: Page) {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	expect(
		results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
	).toEqual([]);
}

export const test = base;
export { expect };
