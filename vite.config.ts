import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { groeibordDevServer } from './server/vite-plugin.ts';

export default defineConfig({
	plugins: [
		// Under vitest the messages are compiled once up front (see the test scripts); the plugin's
		// file watcher would otherwise keep vitest from exiting.
		!process.env.VITEST &&
			paraglideVitePlugin({
				project: './project.inlang',
				outdir: './src/lib/paraglide',
				// Dutch unless the visitor chose English (a teacher's English-language browser still gets Dutch).
				strategy: ['cookie', 'baseLocale']
			}),
		sveltekit(),
		groeibordDevServer()
	],
	server: { port: 5173, strictPort: false },
	test: {
		include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Integration suites start real servers and databases; two cores, so keep it modest.
		maxWorkers: 2,
		fileParallelism: true
	}
});
