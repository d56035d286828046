// `npm run screenshots`: every demo board at wall size (1920×1080, touch) and phone size
// (390×844), taken from the built server on a fresh demo (as the e2e tests run it), written as
// compact WebP images to docs/screenshots/ for the README. Run `npm run build` first.
//
// Env: SCREENSHOT_PORT (default 4690), CHROMIUM (default Debian's /usr/bin/chromium).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import sharp from 'sharp';

const port = Number(process.env.SCREENSHOT_PORT ?? 4690);
const base = `http://127.0.0.1:${port}`;
const dataDir = `tests/.tmp/screenshots-${port}`;
const outDir = 'docs/screenshots';
const executablePath =
	process.env.CHROMIUM ??
	['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const QUALITY = 70;

const sizes = {
	wall: { viewport: { width: 1920, height: 1080 }, hasTouch: true, isMobile: false, scale: 1 },
	phone: { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, scale: 2 }
} as const;

/** The demo's boards, by file name: one of each kind there is, and the first screen. */
const pages = [
	{ name: 'vandaag', path: '/today', as: 'mentor' },
	{ name: 'verbeterbord', path: '/boards/demoboardverb22a', as: 'mentor' },
	{ name: 'verbeterbord-geschiedenis', path: '/boards/demoboardverb22a/history', as: 'mentor' },
	{ name: 'zorgbord', path: '/boards/demoboardzorg22a', as: 'ib' },
	{ name: 'voortgangsbord', path: '/boards/demoboardvoor22a', as: 'mentor' },
	{ name: 'zorgoverleg', path: '/boards/demoboardzoov22b', as: 'mentor' },
	{ name: 'driehoeksgesprek', path: '/boards/demoboarddrie22a', as: 'mentor' }
] as const;
const accounts = { mentor: 'mentor@demo.groeibord.nl', ib: 'ib@demo.groeibord.nl' };

function startServer(): ChildProcess {
	const env = {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		DATA_DIR: dataDir,
		DATABASE_URL: '',
		REDIS_URL: ''
	};
	return spawn('sh', ['-c', 'npx tsx scripts/seed-demo.ts && exec node build/server.js'], {
		env,
		stdio: ['ignore', 'inherit', 'inherit']
	});
}

async function waitForHealth(timeoutMs = 120_000) {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		try {
			if ((await fetch(`${base}/healthz`)).ok) return;
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`the server did not answer on ${base}/healthz`);
}

async function login(page: Page, email: string) {
	await page.goto(`${base}/login`);
	await page.getByLabel(/e-mailadres/i).fill(email);
	await page.getByLabel(/^wachtwoord$/i).fill('groeibord-demo');
	await page.getByRole('button', { name: /inloggen/i }).click();
	await page.waitForURL(/\/today/);
}

async function shoot(browser: Browser, size: keyof typeof sizes) {
	const s = sizes[size];
	const written: string[] = [];
	for (const who of ['mentor', 'ib'] as const) {
		const context = await browser.newContext({
			viewport: s.viewport,
			hasTouch: s.hasTouch,
			isMobile: s.isMobile,
			deviceScaleFactor: s.scale,
			locale: 'nl-NL',
			reducedMotion: 'reduce'
		});
		const page = await context.newPage();
		await login(page, accounts[who]);
		for (const p of pages.filter((p) => p.as === who)) {
			const wall = size === 'wall' && p.path.startsWith('/boards/') && !p.path.endsWith('/history');
			await page.goto(`${base}${p.path}${wall ? '?layout=wall' : ''}`);
			// A live board draws its cards once its document is synced.
			await page
				.locator('[data-synced="true"]')
				.first()
				.waitFor({ timeout: 5_000 })
				.catch(() => undefined);
			await page.waitForLoadState('networkidle');
			// The self-hosted fonts, or a shot now and then shows the fallback font.
			await page.evaluate(() => document.fonts.ready.then(() => undefined));
			const png = await page.screenshot({ type: 'png' });
			const file = join(outDir, `${p.name}-${size}.webp`);
			// Phone shots are taken sharp (2×) and stored at their CSS size: small and readable.
			await writeFile(
				file,
				await sharp(png).resize({ width: s.viewport.width }).webp({ quality: QUALITY }).toBuffer()
			);
			written.push(file);
		}
		await context.close();
	}
	return written;
}

await rm(dataDir, { recursive: true, force: true });
const server = startServer();
let failed = false;
try {
	await waitForHealth();
	await mkdir(outDir, { recursive: true });
	const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
	try {
		const files = [...(await shoot(browser, 'wall')), ...(await shoot(browser, 'phone'))];
		let total = 0;
		for (const f of files) total += (await stat(f)).size;
		console.log(`${files.length} screenshots in ${outDir}, ${(total / 1024).toFixed(0)} KiB`);
	} finally {
		await browser.close();
	}
} catch (error) {
	failed = true;
	console.error(error);
} finally {
	server.kill('SIGTERM');
	await rm(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
