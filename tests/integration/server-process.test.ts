/**
 * The production entry as a newcomer runs it: `node build/server.js` (what `npm start` runs
 * after building). Needs `npm run build` first; `npm test` builds before it runs vitest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = path.resolve('build/server.js');
const tsx = path.resolve('node_modules/.bin/tsx');

function run(env: Record<string, string>) {
	const child = spawn(process.execPath, [entry], {
		env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', ORIGIN: '', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (d) => (stdout += d));
	child.stderr!.on('data', (d) => (stderr += d));
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => resolve(code))
	);
	return { child, exited, output: () => ({ stdout, stderr }) };
}

async function waitForHealth(url: string, child: ChildProcess, ms = 60_000) {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error('server exited early');
		try {
			const response = await fetch(`${url}/healthz`);
			if (response.ok) return response;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error('server did not become healthy');
}

describe('production server process', () => {
	let dataDir: string;
	beforeAll(() => {
		if (!existsSync(entry))
			throw new Error('build/server.js is missing: run `npm run build` first');
		dataDir = mkdtempSync(path.join(tmpdir(), 'groeibord-'));
	});
	afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

	it('refuses PORT=abc with one human line and a non-zero exit', async () => {
		const server = run({ PORT: 'abc', DATA_DIR: dataDir });
		expect(await server.exited).not.toBe(0);
		const { stderr } = server.output();
		expect(stderr.trim()).toBe('Groeibord cannot start: PORT must be a number (got "abc")');
	});

	it('refuses an unreachable DATABASE_URL with one line, no stack trace', async () => {
		const server = run({
			DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing',
			DATA_DIR: dataDir
		});
		expect(await server.exited).not.toBe(0);
		const lines = server.output().stderr.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(
			/^Groeibord cannot start: DATABASE_URL: cannot reach PostgreSQL at 127\.0\.0\.1:1/
		);
		expect(lines[0]).not.toContain('    at ');
	});

	it('serves, stops on SIGTERM within 5 s with code 0, and keeps data across restarts', async () => {
		const port = 4900 + Math.floor(Math.random() * 90);
		const url = `http://127.0.0.1:${port}`;
		const env = { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir };

		const first = run(env);
		const health = await waitForHealth(url, first.child);
		expect(await health.json()).toEqual({ status: 'ok', db: 'ok' });
		expect(first.output().stdout).toContain(`http://127.0.0.1:${port}`);

		// Create the school through the real first-run form.
		const form = new URLSearchParams({
			schoolName: 'Basisschool De Linde',
			name: 'Ada Admin',
			email: 'ada@linde.test',
			password: 'een heel goed wachtwoord'
		});
		const setup = await fetch(`${url}/setup`, {
			method: 'POST',
			body: form,
			headers: { origin: url, accept: 'text/html' },
			redirect: 'manual'
		});
		expect(setup.status).toBe(303);

		const stopStarted = Date.now();
		first.child.kill('SIGTERM');
		expect(await first.exited).toBe(0);
		expect(Date.now() - stopStarted).toBeLessThan(5_000);

		const second = run(env);
		await waitForHealth(url, second.child);
		const login = await fetch(`${url}/login`, {
			method: 'POST',
			body: new URLSearchParams({ email: 'ada@linde.test', password: 'een heel goed wachtwoord' }),
			headers: { origin: url, accept: 'text/html' },
			redirect: 'manual'
		});
		expect(login.status).toBe(303);
		expect(login.headers.get('location')).toBe('/today');
		second.child.kill('SIGTERM');
		expect(await second.exited).toBe(0);
	}, 120_000);
});

describe('one process per embedded database', () => {
	let dataDir: string;
	const children: ChildProcess[] = [];
	beforeAll(() => {
		if (!existsSync(entry))
			throw new Error('build/server.js is missing: run `npm run build` first');
		dataDir = mkdtempSync(path.join(tmpdir(), 'groeibord-lock-'));
	});
	afterAll(() => {
		for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('refuses a second server and the seed script while one runs, and survives its SIGKILL', async () => {
		const port = 4800 + Math.floor(Math.random() * 90);
		const url = `http://127.0.0.1:${port}`;
		const env = { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir };
		const expected = `Groeibord cannot start: the database in ${dataDir} is in use by process`;

		const first = run(env);
		children.push(first.child);
		await waitForHealth(url, first.child);
		const setup = await fetch(`${url}/setup`, {
			method: 'POST',
			body: new URLSearchParams({
				schoolName: 'Basisschool De Linde',
				name: 'Ada Admin',
				email: 'ada@linde.test',
				password: 'een heel goed wachtwoord'
			}),
			headers: { origin: url, accept: 'text/html' },
			redirect: 'manual'
		});
		expect(setup.status).toBe(303);

		// Another port, so only the lock can stop it (before today it opened and migrated).
		const second = run({ ...env, PORT: String(port + 100) });
		children.push(second.child);
		expect(await second.exited).toBe(1);
		expect(second.output().stderr.trim()).toBe(`${expected} ${first.child.pid}`);

		const seed = spawn(tsx, ['scripts/seed-demo.ts'], {
			env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		children.push(seed);
		let seedErr = '';
		seed.stderr!.on('data', (d) => (seedErr += d));
		const seedCode = await new Promise<number | null>((r) => seed.once('exit', (c) => r(c)));
		expect(seedErr.trim()).toBe(`${expected} ${first.child.pid}`);
		expect(seedCode).toBe(1);

		// The first one still serves.
		expect((await fetch(`${url}/healthz`)).status).toBe(200);

		// A crash leaves the lock behind; the next start sees its owner is gone and takes over.
		first.child.kill('SIGKILL');
		await first.exited;
		expect(existsSync(path.join(dataDir, 'groeibord.lock'))).toBe(true);
		const third = run(env);
		children.push(third.child);
		await waitForHealth(url, third.child);
		const login = await fetch(`${url}/login`, {
			method: 'POST',
			body: new URLSearchParams({ email: 'ada@linde.test', password: 'een heel goed wachtwoord' }),
			headers: { origin: url, accept: 'text/html' },
			redirect: 'manual'
		});
		expect(login.status).toBe(303);
		expect(login.headers.get('location')).toBe('/today');
		third.child.kill('SIGTERM');
		expect(await third.exited).toBe(0);
		// A clean stop removes the lock.
		expect(existsSync(path.join(dataDir, 'groeibord.lock'))).toBe(false);
	}, 180_000);
});

describe.runIf(process.env.TEST_REDIS_URL)('production server with Redis', () => {
	it('reports redis in /healthz when REDIS_URL is set', async () => {
		const dataDir = mkdtempSync(path.join(tmpdir(), 'groeibord-'));
		const port = 4990 + Math.floor(Math.random() * 9);
		const server = run({
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			REDIS_URL: process.env.TEST_REDIS_URL!
		});
		try {
			const health = await waitForHealth(`http://127.0.0.1:${port}`, server.child);
			expect(await health.json()).toEqual({ status: 'ok', db: 'ok', redis: 'ok' });
		} finally {
			server.child.kill('SIGTERM');
			expect(await server.exited).toBe(0);
			rmSync(dataDir, { recursive: true, force: true });
		}
	}, 90_000);

	it('refuses an unreachable REDIS_URL with one line', async () => {
		const server = run({
			REDIS_URL: 'redis://127.0.0.1:1',
			DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gb-'))
		});
		expect(await server.exited).not.toBe(0);
		const lines = server.output().stderr.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(
			/^Groeibord cannot start: REDIS_URL: cannot reach Redis at 127\.0\.0\.1:1/
		);
	}, 60_000);
});
