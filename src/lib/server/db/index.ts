/**
 * Opens the database: PostgreSQL through `postgres` when DATABASE_URL is set, otherwise an
 * embedded, file-backed PGlite under DATA_DIR. Same schema, same migrations, same drizzle API.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { BYTEA_OID, parseBytea, serializeBytea } from './bytea';
import { acquireDataDirLock, DataDirInUseError, type DataDirLock } from './lock';
import * as schema from './schema';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A transaction handle has the same query API as the database. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Queryable = Database | Tx;

export interface DatabaseHandle {
	db: Database;
	driver: 'pglite' | 'postgres';
	/** Resolves when the database answers a trivial query. */
	ping(): Promise<void>;
	/** Applies pending migrations from drizzle/. */
	migrate(): Promise<void>;
	close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {}

/** Another live process holds the embedded database; the message is the whole story. */
export class DatabaseInUseError extends DatabaseUnavailableError {}

export interface OpenOptions {
	/** postgres:// URL; when absent, PGlite is used. */
	databaseUrl?: string;
	/** Directory for PGlite's files, or 'memory://' for a throw-away database (tests). */
	dataDir: string;
	/** Apply pending migrations before returning (default true). */
	migrate?: boolean;
	/** Pool size for PostgreSQL. */
	maxConnections?: number;
}

/** The folder with package.json, found from this file so bundles and tests agree. */
export function appRoot(): string {
	let dir = path.dirname(fileURLToPath(import.meta.url));
	for (;;) {
		if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'drizzle'))) {
			return dir;
		}
		const parent = path.dirname(dir);
		if (parent === dir) return process.cwd();
		dir = parent;
	}
}

export const migrationsFolder = () => path.join(appRoot(), 'drizzle');

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
	const handle = options.databaseUrl
		? await openPostgres(options.databaseUrl, options.maxConnections ?? 10)
		: await openPglite(options.dataDir);
	if (options.migrate !== false) {
		try {
			await handle.migrate();
		} catch (error) {
			await handle.close().catch(() => {});
			throw error;
		}
	}
	return handle;
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
	const { PGlite } = await import('@electric-sql/pglite');
	const { drizzle } = await import('drizzle-orm/pglite');
	let location = dataDir;
	let lock: DataDirLock | undefined;
	if (!dataDir.startsWith('memory://')) {
		location = path.join(dataDir, 'pgdata');
		mkdirSync(location, { recursive: true });
		// Before PGlite touches a file: a second opener corrupts the data (see lock.ts).
		try {
			lock = acquireDataDirLock(dataDir);
		} catch (error) {
			if (error instanceof DataDirInUseError) throw new DatabaseInUseError(error.message);
			throw error;
		}
	}
	let client: InstanceType<typeof PGlite>;
	try {
		client = await PGlite.create(location, {
			parsers: { [BYTEA_OID]: parseBytea },
			serializers: { [BYTEA_OID]: serializeBytea }
		});
	} catch (error) {
		lock?.release();
		throw new DatabaseUnavailableError(
			`DATA_DIR: cannot open the embedded database at ${location} (${describe(error)})`
		);
	}
	const db = drizzle({ client, schema, casing: 'snake_case' }) as unknown as Database;
	let closed = false;
	return {
		db,
		driver: 'pglite',
		ping: async () => {
			await client.query('select 1');
		},
		migrate: async () => {
			const { migrate } = await import('drizzle-orm/pglite/migrator');
			await migrate(db as never, { migrationsFolder: migrationsFolder() });
		},
		close: async () => {
			if (closed) return;
			closed = true;
			try {
				await client.close();
			} finally {
				lock?.release();
			}
		}
	};
}

async function openPostgres(url: string, max: number): Promise<DatabaseHandle> {
	const { default: postgres } = await import('postgres');
	const { drizzle } = await import('drizzle-orm/postgres-js');
	const client = postgres(url, {
		max,
		connect_timeout: 5,
		onnotice: () => {},
		// bigint ids stay numbers in JS; our ids stay far below 2^53.
		types: { bigint: postgres.BigInt }
	});
	try {
		await client`select 1`;
	} catch (error) {
		await client.end({ timeout: 1 }).catch(() => {});
		throw new DatabaseUnavailableError(
			`DATABASE_URL: cannot reach PostgreSQL at ${safeTarget(url)} (${describe(error)})`
		);
	}
	const db = drizzle({ client, schema, casing: 'snake_case' }) as unknown as Database;
	let closed = false;
	return {
		db,
		driver: 'postgres',
		ping: async () => {
			await client`select 1`;
		},
		migrate: () => migratePostgres(url),
		close: async () => {
			if (closed) return;
			closed = true;
			await client.end({ timeout: 5 });
		}
	};
}

async function migratePostgres(url: string): Promise<void> {
	const { default: postgres } = await import('postgres');
	const { drizzle } = await import('drizzle-orm/postgres-js');
	const { migrate } = await import('drizzle-orm/postgres-js/migrator');
	// One dedicated connection, so the advisory lock and the migration share a session:
	// several instances may start at once (scale-out); one migrates, the others wait.
	const client = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
	try {
		await client`select pg_advisory_lock(7267001)`;
		await migrate(drizzle({ client, casing: 'snake_case' }), {
			migrationsFolder: migrationsFolder()
		});
		await client`select pg_advisory_unlock(7267001)`;
	} finally {
		await client.end({ timeout: 5 });
	}
}

function safeTarget(url: string): string {
	try {
		const u = new URL(url);
		return `${u.hostname}:${u.port || 5432}${u.pathname}`;
	} catch {
		return 'the configured address';
	}
}

function describe(error: unknown): string {
	if (error && typeof error === 'object') {
		const e = error as { code?: string; message?: string };
		if (e.code && e.message && !e.message.includes(e.code)) return `${e.code}: ${e.message}`;
		if (e.message) return e.message;
	}
	return String(error);
}
