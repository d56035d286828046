/**
 * The e2e suite on PostgreSQL as well as on the embedded database: when E2E_DATABASE_URL (or
 * TEST_DATABASE_URL) names a PostgreSQL server, the Playwright project `postgres` runs every
 * spec against a second demo server on its own fresh database, `<that database>_e2e_<port>`,
 * made before the server starts (dropped first if a crashed run left it) and dropped after the run.
 *
 * As a script (the web server's first step): `tsx tests/e2e/postgres.ts create`.
 */
import postgres from 'postgres';

export interface E2eDatabase {
	/** The server's own database: where the fresh one is created from. */
	base: string;
	name: string;
	url: string;
}

/** The PostgreSQL demo server's port: E2E_PG_PORT, else E2E_PORT + 1000 (clear of the others'). */
export function postgresPort(): number {
	return Number(process.env.E2E_PG_PORT ?? Number(process.env.E2E_PORT ?? 4173) + 1000);
}

/** The fresh database for the PostgreSQL demo server, or null when none is configured. */
export function e2eDatabase(port = postgresPort()): E2eDatabase | null {
	const base = process.env.E2E_DATABASE_URL || process.env.TEST_DATABASE_URL;
	if (!base) return null;
	const url = new URL(base);
	const name = `${url.pathname.slice(1) || 'postgres'}_e2e_${port}`.replace(/[^a-z0-9_]/gi, '_');
	url.pathname = `/${name}`;
	return { base, name, url: url.toString() };
}

async function onServer(base: string, statements: string[]): Promise<void> {
	const admin = postgres(base, { max: 1, onnotice: () => {} });
	try {
		for (const statement of statements) await admin.unsafe(statement);
	} finally {
		await admin.end();
	}
}

export async function createFresh(db: E2eDatabase): Promise<void> {
	await onServer(db.base, [
		`drop database if exists ${db.name} with (force)`,
		`create database ${db.name}`
	]);
}

export async function dropDatabase(db: E2eDatabase): Promise<void> {
	await onServer(db.base, [`drop database if exists ${db.name} with (force)`]);
}

if (process.argv[2] === 'create') {
	const db = e2eDatabase();
	if (!db) throw new Error('E2E_DATABASE_URL or TEST_DATABASE_URL is not set');
	await createFresh(db);
}
