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
	// A staff account lands on its first screen, "Vandaag".
	await expect(page).toHaveURL(/\/today/);
}

export async function expectAccessible(page: Page) {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	expect(
		results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
	).toEqual([]);
}

/**
 * Every visible interactive element on screen smaller than `min` × `min` CSS pixels (a label
 * around an input counts as the input's target).
 */
export async function smallTargets(page: Page, min: number) {
	return page.evaluate((min) => {
		const selector =
			'a[href], button, input:not([type="hidden"]), select, textarea, summary, label:has(input), [role="button"], [tabindex]:not([tabindex="-1"])';
		return [...document.querySelectorAll<HTMLElement>(selector)]
			.filter((el) => {
				const rect = el.getBoundingClientRect();
				return (
					rect.width > 0 &&
					rect.height > 0 &&
					rect.bottom > 0 &&
					getComputedStyle(el).visibility !== 'hidden' &&
					!el.closest('.visually-hidden') &&
					// A checkbox or radio inside its label is hit through the label: the label is
					// the target (and is measured itself), not the small box drawn in it.
					!(el.matches('input[type="checkbox"], input[type="radio"]') && el.closest('label'))
				);
			})
			.map((el) => {
				const rect = el.getBoundingClientRect();
				return {
					what: `${el.tagName.toLowerCase()} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}`,
					width: Math.round(rect.width),
					height: Math.round(rect.height)
				};
			})
			.filter((t) => t.width < min || t.height < min);
	}, min);
}

export const test = base;
export { expect };
