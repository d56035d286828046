/**
 * The child side of a bench server: tells the bench (over the IPC channel) where it listens,
 * and answers its questions: heap after a full GC, CPU time used, and any server-specific
 * command (creating boards in our database). One module so every server is measured alike.
 */
export interface Ready {
	/** ws:// base the clients connect to. */
	url: string;
	/** How clients name a board on this server (see tests/bench/client.ts). */
	framing: 'yws' | 'hocuspocus';
	/** Whether the server answers the sync handshake (a relay does not: peers do). */
	syncs: boolean;
	/** Extra upgrade headers (our session cookie). */
	headers?: Record<string, string>;
	/** Query string for every socket (`saved=1` asks our server for the durable ack). */
	query?: string;
	/** The actor key cards are created by (our user id; any string elsewhere). */
	actor: string;
}

export type Command = (arg: unknown) => Promise<unknown>;

export interface Usage {
	heapUsed: number;
	/** Bytes of ArrayBuffers (outside the V8 heap: Uint8Arrays a server keeps count here). */
	arrayBuffers: number;
	/** process.cpuUsage() user + system, µs. */
	cpuMicros: number;
}

/** Heap after a full GC (unless `collect` is false: then only the CPU time is honest). */
export function usage(collect = true): Usage {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (gc && collect) {
		gc();
		gc();
	}
	const cpu = process.cpuUsage();
	const { heapUsed, arrayBuffers } = process.memoryUsage();
	return { heapUsed, arrayBuffers, cpuMicros: cpu.user + cpu.system };
}

export function serve(ready: Ready, commands: Record<string, Command> = {}): void {
	if (!process.send) throw new Error('start bench servers through tests/bench/spawn.ts (IPC)');
	process.on('message', (raw) => {
		const { id, cmd, arg } = raw as { id: number; cmd: string; arg: unknown };
		const run = cmd === 'usage' ? async () => usage(arg !== 'cpu') : commands[cmd];
		if (!run) return process.send!({ id, error: `unknown command ${cmd}` });
		run(arg).then(
			(result) => process.send!({ id, result }),
			(error: unknown) => process.send!({ id, error: String(error) })
		);
	});
	// The bench going away (or SIGKILLing us) ends us; never linger as an orphan.
	process.on('disconnect', () => process.exit(0));
	process.send({ ready });
}
