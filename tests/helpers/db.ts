/**
 * Test databases: a throw-away in-memory PGlite, and, when TEST_DATABASE_URL is set, a fresh
 * PostgreSQL database per call (created from that URL, dropped afterwards), so parallel runs
 * never collide. Both get the real migrations.
 */
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db';
import { randomString } from '../../src/lib/server/auth/tokens';

export type Driver = 'pglite' | 'postgres';

/** The drivers to run integration suites against: PGlite always, PostgreSQL when configured. */
export const drivers: Driver[] = process.env.TEST_DATABASE_URL
	? ['pglite', 'postgres']
	: ['pglite'];

export interface TestDatabase extends DatabaseHandle {
	/** postgres URL of the fresh database, for child processes (undefined for PGlite). */
	url?: string;
	/** Close and remove the database. */
	destroy(): Promise<void>;
}

export async function createTestDatabase(
	driver: Driver,
	options: { dataDir?: string } = {}
): Promise<TestDatabase> {
	if (driver === 'pglite') {
		const handle = await openDatabase({ dataDir: options.dataDir ?? 'memory://' });
		return { ...handle, destroy: () => handle.close() };
	}
	const base = process.env.TEST_DATABASE_URL;
	if (!base) throw new Error('TEST_DATABASE_URL is not set');
	const name = `groeibord_test_${randomString(10)}`;
	const admin = postgres(base, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	const url = new URL(base);
	url.pathname = `/${name}`;
	const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
	return {
		...handle,
		url: url.toString(),
		destroy: async () => {
			await handle.close();
			const cleanup = postgres(base, { max: 1, onnotice: () => {} });
			await cleanup.unsafe(`drop database if exists ${name} with (force)`);
			await cleanup.end();
		}
	};
}
