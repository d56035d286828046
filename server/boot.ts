/**
 * Start-up shared by the production entry and the Vite dev plugin: validate configuration,
 * open and migrate the database, register the runtime. Errors become one human line.
 */
import { ConfigError, loadConfig, type Config } from '../src/lib/server/config';
import { DatabaseUnavailableError, openDatabase } from '../src/lib/server/db';
import { startMaintenance } from '../src/lib/server/maintenance';
import { eraseStudentData } from '../src/lib/server/privacy/erase';
import { openRedis, RedisUnavailableError } from '../src/lib/server/redis';
import { setRuntime, type Runtime } from '../src/lib/server/runtime';
import { log, setLogLevel } from './log';

export async function bootRuntime(config: Config = loadConfig()): Promise<Runtime> {
	setLogLevel(config.LOG_LEVEL);
	const database = await openDatabase({
		databaseUrl: config.DATABASE_URL,
		dataDir: config.dataDir
	});
	const runtime: Runtime = { config, database, services: {}, closers: [] };
	if (config.REDIS_URL) {
		try {
			const redis = await openRedis(config.REDIS_URL);
			runtime.services.redis = redis;
			runtime.services.redisPing = async () => void (await redis.ping());
			runtime.closers.push(async () => void (await redis.quit().catch(() => redis.disconnect())));
		} catch (error) {
			await database.close();
			throw error;
		}
	}
	const maintenance = startMaintenance(database.db, {
		// Students past retention are erased as an admin's erasure does: history and open rooms too.
		eraseStudent: (schoolId, studentId) =>
			eraseStudentData(runtime, schoolId, studentId, { kind: 'system' }),
		onError: (error) => log.warn(`Maintenance failed: ${(error as Error).message}`)
	});
	runtime.services.maintenance = maintenance;
	runtime.closers.push(() => maintenance.stop());
	setRuntime(runtime);
	return runtime;
}

/** Errors we expect from bad configuration: print one line, no stack trace. */
export function isUserFacingStartupError(error: unknown): error is Error {
	return (
		error instanceof ConfigError ||
		error instanceof DatabaseUnavailableError ||
		error instanceof RedisUnavailableError
	);
}
