/**
 * The bench's side of a server child process: start one of tests/bench/servers/*.ts pinned to
 * core 0 (the load generator pins itself to core 1), wait for its address, ask it for heap and
 * CPU numbers, and SIGKILL it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ready, Usage } from './servers/control';

const here = path.dirname(fileURLToPath(import.meta.url));

export const canPin = (() => {
	try {
		execFileSync('taskset', ['-V'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
})();

/** Pin this process (the load generator) to core 1. */
export function pinSelf(): void {
	if (!canPin) {
		console.warn('warning: taskset not found; server and load generator are not pinned');
		return;
	}
	execFileSync('taskset', ['-pc', '1', String(process.pid)], { stdio: 'ignore' });
}

export interface ServerHandle {
	name: string;
	ready: Ready;
	child: ChildProcess;
	call<T>(cmd: string, arg?: unknown): Promise<T>;
	/** Heap after a full GC, and CPU time. */
	usage(): Promise<Usage>;
	/** CPU time only (µs), without forcing a GC. */
	cpu(): Promise<number>;
	kill(): Promise<void>;
}

export async function startServer(
	name: string,
	module: string,
	env: Record<string, string | undefined> = {}
): Promise<ServerHandle> {
	const file = path.join(here, 'servers', module);
	// BENCH_PROFILE=<dir>: a V8 CPU profile of each server, written when it is stopped.
	const profile = Boolean(process.env.BENCH_PROFILE);
	const node = [
		process.execPath,
		'--expose-gc',
		...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
		...(profile ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
		'--import',
		'tsx',
		file
	];
	const [cmd, ...args] = canPin ? ['taskset', '-c', '0', ...node] : node;
	const child = spawn(cmd!, args, {
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		env: { ...process.env, ...env }
	});
	const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
	let next = 0;
	const ready = await new Promise<Ready>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${name} did not start in 5 minutes`));
		}, 300_000);
		child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
		child.on('message', (raw) => {
			const msg = raw as { ready?: Ready; id?: number; result?: unknown; error?: string };
			if (msg.ready) {
				clearTimeout(timer);
				resolve(msg.ready);
			} else if (msg.id !== undefined) {
				const p = pending.get(msg.id);
				pending.delete(msg.id);
				if (msg.error) p?.reject(new Error(msg.error));
				else p?.resolve(msg.result);
			}
		});
	});
	const call = <T>(cmd: string, arg?: unknown) =>
		new Promise<T>((resolve, reject) => {
			const id = next++;
			pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
			child.send({ id, cmd, arg });
		});
	return {
		name,
		ready,
		child,
		call,
		usage: () => call<Usage>('usage'),
		cpu: async () => (await call<Usage>('usage', 'cpu')).cpuMicros,
		kill: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null || child.signalCode !== null) return resolve();
				child.once('exit', () => resolve());
				if (!profile) return child.kill('SIGKILL');
				// Closing the channel makes it exit normally, so V8 writes the profile.
				child.disconnect();
				setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
			})
	};
}
