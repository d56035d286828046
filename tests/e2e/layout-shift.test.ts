/**
 * Pages must not jump while they load (Lighthouse CLS ≤ 0.1). The layout shifts are observed
 * from before the first paint (an init script), over the load and 2 s after it, the way
 * Lighthouse counts them: every `layout-shift` entry not caused by recent input. The tests only
 * read the demo boards, so they change nothing other tests see.
 */
import type { Browser, Page } from '@playwright/test';
import { demo, expect, loginAs, test } from './fixtures';
import { DEMO_VERBETERBORD } from './board-page';

const PROGRESS_WALL = '/boards/demoboardvoor22a';
const MAX_CLS = 0.1;

declare global {
	interface Window {
		__cls: number;
	}
}

async function observeShifts(page: Page) {
	await page.addInitScript(() => {
		window.__cls = 0;
		new PerformanceObserver((list) => {
			for (const entry of list.getEntries() as (PerformanceEntry & {
				value: number;
				hadRecentInput: boolean;
			})[]) {
				if (!entry.hadRecentInput) window.__cls += entry.value;
			}
		}).observe({ type: 'layout-shift', buffered: true });
	});
}

/** The page's CLS over its load and 2 s after. */
async function clsOf(page: Page, path: string) {
	await page.goto(path, { waitUntil: 'load' });
	await page.waitForTimeout(2_000);
	return page.evaluate(() => window.__cls);
}

/** A 390×844 phone at 4× CPU throttling, logged in as `who`, recording shifts. */
async function slowPhone(browser: Browser, who: Parameters<typeof loginAs>[1]) {
	const context = await browser.newContext({
		viewport: { width: 390, height: 844 },
		isMobile: true,
		hasTouch: true,
		deviceScaleFactor: 3
	});
	const page = await context.newPage();
	await loginAs(page, who);
	const cdp = await context.newCDPSession(page);
	await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
	await observeShifts(page);
	return { context, page };
}

test.describe('no layout shift while a page loads', () => {
	test('the verbeterbord on a desktop', async ({ page }) => {
		await loginAs(page, demo.mentor);
		await observeShifts(page);
		const cls = await clsOf(page, DEMO_VERBETERBORD);
		await expect(page.locator('section[data-area]').first()).toBeVisible();
		expect(cls).toBeLessThanOrEqual(MAX_CLS);
	});

	test('the verbeterbord on a slow phone', async ({ browser }) => {
		const { context, page } = await slowPhone(browser, demo.mentor);
		const cls = await clsOf(page, DEMO_VERBETERBORD);
		await expect(page.locator('section[data-area]').first()).toBeVisible();
		expect(cls).toBeLessThanOrEqual(MAX_CLS);
		await context.close();
	});

	for (const who of ['ib', 'mentor'] as const) {
		test(`the wall layout for the ${who}`, async ({ page }) => {
			await loginAs(page, demo[who]);
			await observeShifts(page);
			const cls = await clsOf(page, `${DEMO_VERBETERBORD}?layout=wall`);
			await expect(page.locator('section[data-area]').first()).toBeVisible();
			expect(cls).toBeLessThanOrEqual(MAX_CLS);
		});
	}

	test('the wall layout on a slow phone', async ({ browser }) => {
		const { context, page } = await slowPhone(browser, demo.ib);
		const cls = await clsOf(page, `${DEMO_VERBETERBORD}?layout=wall`);
		await expect(page.locator('section[data-area]').first()).toBeVisible();
		expect(cls).toBeLessThanOrEqual(MAX_CLS);
		await context.close();
	});

	test('the progress wall', async ({ page }) => {
		await loginAs(page, demo.mentor);
		await observeShifts(page);
		expect(await clsOf(page, PROGRESS_WALL)).toBeLessThanOrEqual(MAX_CLS);
	});
});
