/**
 * Where a text still lives after an erasure: every row of every table of the schema (read as
 * text; bytea columns come out hex-encoded, so the text is searched as UTF-8 hex too, which is
 * how Yjs encodes strings in update logs and snapshots), and every file below a directory.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/lib/server/db';

function rowsOf(result: unknown): Array<Record<string, unknown>> {
	return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<
		Record<string, unknown>
	>;
}

/** Tables of the public schema whose rows contain `text`, as `table` (one entry per hit row). */
export async function tablesContaining(db: Database, text: string): Promise<string[]> {
	const tables = rowsOf(
		await db.execute(
			sql`select table_name as name from information_schema.tables
				where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`
		)
	).map((row) => String(row.name));
	if (tables.length < 19) throw new Error(`only ${tables.length} tables found`);
	const hex = Buffer.from(text, 'utf8').toString('hex');
	const hits: string[] = [];
	for (const table of tables) {
		const rows = rowsOf(await db.execute(sql.raw(`select t::text as r from "${table}" t`)));
		for (const row of rows) {
			const r = String(row.r);
			if (r.includes(text) || r.toLowerCase().includes(hex)) hits.push(table);
		}
	}
	return hits;
}

/** Files below `dir` (recursively) whose bytes contain `text`. */
export async function filesContaining(dir: string, text: string): Promise<string[]> {
	const needle = Buffer.from(text, 'utf8');
	const hits: string[] = [];
	const entries = await readdir(dir, { withFileTypes: true, recursive: true });
	for (const entry of entries) {
		if (!entry.isFile()) continue;
		const file = path.join(entry.parentPath, entry.name);
		if ((await readFile(file)).includes(needle)) hits.push(file);
	}
	return hits;
}
