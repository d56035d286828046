import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { e2eDatabase, postgresPort } from './tests/e2e/postgres';

// e2e runs against the built production server (`npm run build` first), on a fresh embedded
// database seeded with the demo school, and, when E2E_DATABASE_URL or TEST_DATABASE_URL is set,
// every spec once more (project `postgres`) against a second demo server on a fresh PostgreSQL
// database (tests/e2e/postgres.ts). Never downloads a browser: Debian's Chromium is used when
// present.
const port = Number(process.env.E2E_PORT ?? 4173);
const dataDir = process.env.E2E_DATA_DIR ?? `tests/.tmp/e2e-${port}`;
const pgPort = postgresPort();
const pg = e2eDatabase(pgPort);
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

const server = (serverPort: number, command: string, env: Record<string, string>) => ({
	command,
	url: `http://localhost:${serverPort}/healthz`,
	reuseExistingServer: false,
	timeout: 120_000,
	stdout: 'pipe' as const,
	stderr: 'pipe' as const,
	env: {
		PORT: String(serverPort),
		HOST: '127.0.0.1',
		REDIS_URL: process.env.E2E_REDIS_URL ?? '',
		...env
	}
});

export default defineConfig({
	testDir: 'tests/e2e',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	fullyParallel: false,
	workers: 2,
	retries: process.env.CI ? 1 : 0,
	reporter: [['list']],
	globalTeardown: pg ? './tests/e2e/global-teardown.ts' : undefined,
	use: {
		locale: 'nl-NL',
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: chromium,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	projects: [
		{
			name: 'chromium',
			use: { ...devices['Desktop Chrome'], baseURL: `http://localhost:${port}` }
		},
		...(pg
			? [
					{
						name: 'postgres',
						use: { ...devices['Desktop Chrome'], baseURL: `http://localhost:${pgPort}` }
					}
				]
			: [])
	],
	webServer: [
		server(port, `rm -rf ${dataDir} && npx tsx scripts/seed-demo.ts && node build/server.js`, {
			DATA_DIR: dataDir,
			DATABASE_URL: ''
		}),
		...(pg
			? [
					server(
						pgPort,
						`rm -rf ${dataDir}-pg && npx tsx tests/e2e/postgres.ts create && npx tsx scripts/seed-demo.ts && node build/server.js`,
						{ DATA_DIR: `${dataDir}-pg`, DATABASE_URL: pg.url }
					)
				]
			: [])
	]
});
