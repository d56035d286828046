/** Boots the process runtime (config + database) for integration tests. */
import { loadConfig, type Config } from '../../src/lib/server/config';
import { setRuntime, type Runtime } from '../../src/lib/server/runtime';
import { createTestDatabase, type Driver, type TestDatabase } from './db';

export interface TestRuntime {
	runtime: Runtime;
	database: TestDatabase;
	close(): Promise<void>;
}

export async function startTestRuntime(
	driver: Driver,
	env: Record<string, string> = {}
): Promise<TestRuntime> {
	const database = await createTestDatabase(driver);
	const config: Config = loadConfig({ NODE_ENV: 'test', DATA_DIR: 'memory://', ...env });
	const runtime: Runtime = { config, database, services: {}, closers: [] };
	setRuntime(runtime);
	return {
		runtime,
		database,
		close: async () => {
			for (const close of runtime.closers) await close();
			setRuntime(undefined);
			await database.destroy();
		}
	};
}
