/**
 * The built app in a child process, for suites that must run the SvelteKit build as built
 * (Vitest would recompile its *.svelte.js chunks): `serveBuilt` in the child starts
 * build/handler.js and the /sync WebSocket on one port (server/app.ts) and answers requests
 * over IPC; `forkBuilt` in the test starts such a child and talks to it.
 *
 * Protocol: the child sends `{ id: 0, result: world }` once it is ready; every request is
 * `{ id, op, ...fields }` and gets `{ id, result }`. Built in: `sql` (rows of a raw query, so a
 * test can check what was stored) and `close`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { startAppServer, type RequestHandler } from '../../server/app';
import type { Driver } from './db';
import type { TestRuntime } from './runtime';

export type HandlerRequest = { op: string } & Record<string, unknown>;

/** Child side: the database driver the test asked for (`forkBuilt`). */
export function testDriver(): Driver {
	return process.env.GROEIBORD_TEST_DRIVER === 'postgres' ? 'postgres' : 'pglite';
}

/** Child side: serve the build on port 0; `ops` answers the suite's own requests. */
export async function serveBuilt(
	rt: TestRuntime,
	ops: Record<string, (request: HandlerRequest) => Promise<unknown>> = {}
): Promise<{ url: string; ready(world: object): void }> {
	// Listen first: adapter-node reads ORIGIN (else it assumes https) when it loads.
	const app: { handler?: RequestHandler } = {};
	const server = await startAppServer(
		rt.runtime,
		(req, res, next) => app.handler!(req, res, next),
		{
			port: 0,
			host: '127.0.0.1'
		}
	);
	process.env.ORIGIN = server.url;
	const built = (await import(pathToFileURL(path.resolve('build/handler.js')).href)) as {
		handler: RequestHandler;
	};
	app.handler = built.handler;

	process.on('message', (message: HandlerRequest & { id: number }) => {
		void (async () => {
			if (message.op === 'close') {
				await server.close();
				await rt.close();
				process.send!({ id: message.id, result: null }, () => process.exit(0));
				return;
			}
			let result: unknown;
			if (message.op === 'sql') {
				const r: unknown = await rt.database.db.execute(sql.raw(String(message.text)));
				result = r && typeof r === 'object' && 'rows' in r ? r.rows : r;
			} else {
				result = await ops[message.op]!(message);
			}
			process.send!({ id: message.id, result });
		})();
	});
	return { url: server.url, ready: (world) => process.send!({ id: 0, result: world }) };
}

export interface BuiltChild<World> {
	/** What the child set up (ids, cookies, its URL). */
	world: Promise<World>;
	ask(request: HandlerRequest): Promise<unknown>;
	/** `select count(*)::int as n ...` → n */
	countRows(text: string): Promise<number>;
	close(): Promise<void>;
}

/** Test side: fork `script` (a module that calls `serveBuilt`). */
/** Start `script` as a child; `driver` is the database it runs on (`testDriver()` there). */
export function forkBuilt<World>(script: string, driver: Driver = 'pglite'): BuiltChild<World> {
	const child: ChildProcess = fork(path.resolve(script), [], {
		execArgv: ['--import', 'tsx'],
		env: { ...process.env, GROEIBORD_TEST_DRIVER: driver },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	const pending = new Map<number, (result: unknown) => void>();
	let nextId = 1;
	child.on('message', (msg: { id: number; result: unknown }) => {
		pending.get(msg.id)?.(msg.result);
		pending.delete(msg.id);
	});
	const ask = (request: HandlerRequest) =>
		new Promise<unknown>((resolve) => {
			const id = nextId++;
			pending.set(id, resolve);
			child.send({ ...request, id });
		});
	return {
		world: new Promise<unknown>((resolve) => pending.set(0, resolve)) as Promise<World>,
		ask,
		countRows: async (text) =>
			Number(((await ask({ op: 'sql', text })) as Array<{ n: number }>)[0]!.n),
		close: async () => {
			if (child.connected) await ask({ op: 'close' });
		}
	};
}
