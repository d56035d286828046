/**
 * A bare sync server in its own process for the kill test: boots the runtime on DATA_DIR
 * (PGlite) or DATABASE_URL, starts the app server without the SvelteKit handler on PORT and
 * prints `READY <url>`. The kill test bundles it with esbuild and runs it with node.
 */
import { startAppServer } from '../../server/app';
import { bootRuntime } from '../../server/boot';
import { loadConfig } from '../../src/lib/server/config';

const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
const runtime = await bootRuntime(config);
const app = await startAppServer(runtime, undefined, { port: config.PORT, host: '127.0.0.1' });
process.stdout.write(`READY ${app.url}\n`);
process.on('SIGTERM', () => {
	void app.close().then(async () => {
		await runtime.database.close();
		process.exit(0);
	});
});
