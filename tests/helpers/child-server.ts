/**
 * A bare sync server in a child process (sync-server-entry.ts), for tests that SIGKILL it:
 * bundled once with esbuild, so a start costs the database boot, not a TypeScript compile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';

/** Bundle the entry to `outfile` (inside node_modules/.cache, so it still finds drizzle/). */
export async function bundleServerEntry(outfile: string): Promise<void> {
	await build({
		entryPoints: [path.resolve('tests/helpers/sync-server-entry.ts')],
		bundle: true,
		platform: 'node',
		format: 'esm',
		packages: 'external',
		outfile,
		logLevel: 'warning'
	});
}

/** Start the bundled entry with `env`; resolves with the process and its URL once ready. */
export async function startServerProcess(
	entry: string,
	env: Record<string, string>
): Promise<{ process: ChildProcess; url: string }> {
	const child = spawn(process.execPath, [entry], {
		env: { ...process.env, ...env, LOG_LEVEL: 'error' },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error('server did not start')), 30_000);
		child.stdout!.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const match = /READY (\S+)/.exec(out);
			if (match) {
				clearTimeout(timer);
				resolve(match[1]!);
			}
		});
		child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
	});
	return { process: child, url };
}

export function killProcess(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve();
		child.once('exit', () => resolve());
		child.kill('SIGKILL');
	});
}
