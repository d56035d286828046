/**
 * Hocuspocus 3 with its database extension storing each document's full state, on PostgreSQL
 * when BENCH_DATABASE_URL is set, else in an in-memory PGlite: what a team would pick instead.
 * Its defaults are kept (store debounced by 2 s, at most 10 s).
 */
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { Server } from '@hocuspocus/server';
import { Database } from '@hocuspocus/extension-database';
import { serve } from './control';

interface Store {
	fetch(name: string): Promise<Uint8Array | null>;
	store(name: string, state: Uint8Array): Promise<void>;
}

/** Bytes stored for a document (B9): its one state row. */
async function storedBytes(store: Store, name: string): Promise<number> {
	return (await store.fetch(name))?.byteLength ?? 0;
}

const table = 'bench_hocuspocus_documents';
const create = `create table if not exists ${table} (name text primary key, data bytea not null)`;
const upsert = `insert into ${table} (name, data) values ($1, $2)
	on conflict (name) do update set data = excluded.data`;

async function openStore(): Promise<Store> {
	const url = process.env.BENCH_DATABASE_URL;
	if (url) {
		const sql = postgres(url, { max: 4, onnotice: () => {} });
		await sql.unsafe(create);
		// B7 restarts it on what the killed one stored (BENCH_STATE_DIR); otherwise start empty.
		if (!process.env.BENCH_STATE_DIR) await sql.unsafe(`truncate ${table}`);
		return {
			fetch: async (name) => {
				const rows = await sql.unsafe(`select data from ${table} where name = $1`, [name]);
				return (rows[0]?.data as Uint8Array | undefined) ?? null;
			},
			store: async (name, state) => {
				await sql.unsafe(upsert, [name, Buffer.from(state)]);
			}
		};
	}
	const db = new PGlite();
	await db.exec(create);
	return {
		fetch: async (name) => {
			const { rows } = await db.query<{ data: Uint8Array }>(
				`select data from ${table} where name = $1`,
				[name]
			);
			return rows[0]?.data ?? null;
		},
		store: async (name, state) => {
			await db.query(upsert, [name, state]);
		}
	};
}

const store = await openStore();
const server = new Server({
	port: 0,
	address: '127.0.0.1',
	quiet: true,
	stopOnSignals: false,
	extensions: [
		new Database({
			fetch: ({ documentName }) => store.fetch(documentName),
			store: ({ documentName, state }) => store.store(documentName, state)
		})
	]
});
await server.listen();
const { port } = server.httpServer.address() as AddressInfo;
serve(
	{ url: `ws://127.0.0.1:${port}`, framing: 'hocuspocus', syncs: true, actor: 'bench' },
	{
		loaded: async () => server.hocuspocus.getDocumentsCount(),
		// After its store debounce (2 s, at most 10 s), as a meeting's end would see it.
		storedBytes: async (arg) => {
			await new Promise((r) => setTimeout(r, 11_000));
			return storedBytes(store, (arg as { board: string }).board);
		}
	}
);
