/**
 * Bench: how fast does a progress wall with 40 students and photos open on a local server?
 *
 *   npm run build && npx tsx tests/bench/progress-wall.ts
 *
 * Seeds the demo school plus 15 extra students (40 in the team, each with a photo, consent
 * and 8 weeks of history) into a fresh PGlite directory, starts the built server, and in
 * Chromium measures, from navigation start, the time until all 40 cards are rendered with
 * their photos decoded and the live connection is up ("usable"). Prints median and worst of
 * several runs, plus the server time of the page request alone.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import sharp from 'sharp';
import { openDatabase } from '../../src/lib/server/db';
import { media, photoConsent, student, studentEvent } from '../../src/lib/server/db/schema';
import { avatarSvg, DEMO_TEAM_ID, seedDemo } from '../../src/lib/server/demo';
import { WEEK_MS } from '../../src/lib/board/dates';

const PORT = Number(process.env.BENCH_PORT ?? 4420);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TOTAL = 40;
const WALL = '/boards/demoboardvoor22a';

async function seed(dataDir: string) {
	const handle = await openDatabase({ dataDir });
	const db = handle.db;
	await seedDemo(db);
	const now = Date.now();
	for (let i = 25; i < TOTAL; i++) {
		const letter = 'abcdefghijkmnpqrstuvwxyz'[i - 25]!;
		const id = `benchstudent${letter}222`;
		const photoId = `benchphoto${letter}22222`;
		const svg = Buffer.from(avatarSvg(i + 3));
		await db.insert(student).values({
			id,
			schoolId: 'demoschool22222a',
			teamId: DEMO_TEAM_ID,
			firstName: `Leerling${i}`,
			lastName: 'Bench',
			groupName: 'groep 8',
			mentorId: 'demouserm2222222',
			photoId
		});
		await db.insert(media).values({
			id: photoId,
			schoolId: 'demoschool22222a',
			studentId: id,
			purpose: 'student_photo',
			mime: 'image/webp',
			width: 512,
			height: 512,
			data: await sharp(svg).resize(512, 512).webp({ quality: 82 }).toBuffer(),
			thumbMime: 'image/webp',
			thumb: await sharp(svg).resize(160, 160).webp({ quality: 75 }).toBuffer()
		});
		await db.insert(photoConsent).values({ studentId: id, status: 'given', givenBy: 'parent' });
		for (let w = 7; w >= 0; w--) {
			await db.insert(studentEvent).values({
				studentId: id,
				kind: 'update',
				data: { stoplight: w % 3 ? 'green' : 'orange', flags: [], note: `Week ${w}` },
				actorName: 'Bench',
				createdAt: new Date(now - w * WEEK_MS - 3_600_000)
			});
		}
	}
	// Give every demo student consent too, so all 40 cards carry a photo.
	for (const s of await db.select({ id: student.id }).from(student)) {
		await db.insert(photoConsent).values({ studentId: s.id, status: 'given', givenBy: 'parent' });
	}
	await handle.close();
}

async function waitForHealth(url: string) {
	for (let i = 0; i < 200; i++) {
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 150));
	}
	throw new Error('server did not start');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
	if (!existsSync('build/server.js')) throw new Error('run `npm run build` first');
	const dataDir = mkdtempSync(path.join(tmpdir(), 'groeibord-bench-'));
	await seed(dataDir);
	const server = spawn('node', ['build/server.js'], {
		env: {
			...process.env,
			PORT: String(PORT),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			DATABASE_URL: ''
		},
		stdio: 'ignore'
	});
	const base = `http://localhost:${PORT}`;
	try {
		await waitForHealth(`${base}/healthz`);
		const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
		const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
		const page = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
		await page.goto(`${base}/login`);
		await page.getByLabel(/e-mailadres/i).fill('mentor@demo.groeibord.nl');
		await page.getByLabel(/^wachtwoord$/i).fill('groeibord-demo');
		await page.getByRole('button', { name: /inloggen/i }).click();
		await page.waitForURL(/\/boards/);
		const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');

		const usable: number[] = [];
		const server_ms: number[] = [];
		const domReady: number[] = [];
		const photosDone: number[] = [];
		for (let run = 0; run < RUNS; run++) {
			const t0 = performance.now();
			const res = await fetch(`${base}${WALL}`, { headers: { cookie } });
			await res.text();
			server_ms.push(performance.now() - t0);

			await page.goto('about:blank');
			await page.goto(`${base}${WALL}`, { waitUntil: 'commit' });
			await page.waitForFunction(
				(total) => {
					const cards = document.querySelectorAll('article[data-student]');
					const imgs = [
						...document.querySelectorAll<HTMLImageElement>('article[data-student] img')
					];
					return (
						cards.length === total &&
						imgs.length === total &&
						imgs.every((i) => i.complete && i.naturalWidth > 0) &&
						document.querySelector('[data-live="connected"]') !== null
					);
				},
				TOTAL,
				{ polling: 'raf', timeout: 30_000 }
			);
			const ms = await page.evaluate(() => performance.now());
			usable.push(ms);
			const marks = await page.evaluate(() => {
				const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
				const imgs = performance
					.getEntriesByType('resource')
					.map((e) => e as PerformanceResourceTiming)
					.filter((e) => e.name.includes('/media/'))
					.map((e) => e.responseEnd);
				return { dcl: nav.domContentLoadedEventEnd, photos: Math.max(...imgs) };
			});
			domReady.push(marks.dcl);
			photosDone.push(marks.photos);
		}
		await browser.close();
		const fmt = (xs: number[]) =>
			`median ${median(xs).toFixed(0)} ms, worst ${Math.max(...xs).toFixed(0)} ms`;
		console.log(`Progress wall, ${TOTAL} students with photos, ${RUNS} runs`);
		console.log(`  page request (server render + data): ${fmt(server_ms)}`);
		console.log(`  DOMContentLoaded (cards rendered, usable offline-first): ${fmt(domReady)}`);
		console.log(`  last photo received: ${fmt(photosDone)}`);
		console.log(`  open to fully live (cards + photos + live sync connected): ${fmt(usable)}`);
	} finally {
		server.kill('SIGTERM');
		await new Promise((r) => setTimeout(r, 500));
		rmSync(dataDir, { recursive: true, force: true });
	}
}

await main();
