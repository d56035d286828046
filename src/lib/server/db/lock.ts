/**
 * An exclusive lock on DATA_DIR for the embedded database.
 *
 * PGlite is a single-process database: a second process that opens (and migrates) the same
 * files while the first one runs corrupts them; the damage shows only at the next start after
 * a crash ("Aborted()"). So every opener takes `DATA_DIR/groeibord.lock` first.
 *
 * The lock file holds the owner's pid on the first line and, on Linux, the process start time
 * (from /proc) on the second, so a pid reused by another program after a reboot or a crash is
 * not mistaken for the owner. It is created atomically (`open(..., 'wx')`); a lock whose owner
 * is gone (SIGKILL, power loss) is stale and taken over. It is removed on close and, as a last
 * resort, when the process exits.
 */
import {
	closeSync,
	linkSync,
	openSync,
	readFileSync,
	renameSync,
	unlinkSync,
	writeSync
} from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'groeibord.lock';

/** A second process wants a DATA_DIR that a live process holds. */
export class DataDirInUseError extends Error {
	constructor(
		readonly dir: string,
		readonly pid: number
	) {
		super(`the database in ${dir} is in use by process ${pid}`);
	}
}

export interface DataDirLock {
	readonly file: string;
	/** Idempotent; removes the file only while it is still ours. */
	release(): void;
}

interface Owner {
	pid: number;
	startedAt: string | null;
}

/**
 * Locks held by this process, so a second open in the same process is refused too. On
 * globalThis because Vite may load this module twice (dev server and SvelteKit's graph).
 */
const HELD = Symbol.for('groeibord.dataDirLocks');
const held: Set<string> =
	((globalThis as Record<symbol, unknown>)[HELD] as Set<string>) ??
	((globalThis as Record<symbol, unknown>)[HELD] = new Set<string>());

export function acquireDataDirLock(dir: string): DataDirLock {
	const file = path.join(dir, LOCK_FILE);
	const me: Owner = { pid: process.pid, startedAt: processStartTime(process.pid) };
	const content = `${me.pid}\n${me.startedAt ?? ''}\n`;
	if (held.has(file)) throw new DataDirInUseError(dir, process.pid);

	// Two rounds: the first may find a stale lock and take it over; the second is final.
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(file, 'wx', 0o600);
			try {
				writeSync(fd, content);
			} finally {
				closeSync(fd);
			}
			return hold(file, content);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		const staleText = readText(file);
		const owner = staleText === null ? null : parseOwner(staleText);
		if (owner && isAlive(owner)) throw new DataDirInUseError(dir, owner.pid);
		// Stale: the owner is gone (or a crash left the file half-written). Move it aside
		// atomically and check that what we moved is what we judged: if another starter took the
		// stale lock over in between, put its fresh lock back and yield to it.
		const aside = `${file}.stale-${process.pid}`;
		try {
			renameSync(file, aside);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
			throw error;
		}
		const moved = readText(aside);
		if (moved !== staleText) {
			try {
				linkSync(aside, file);
			} catch {
				// A third starter got there first; its lock stands.
			}
			unlinkSync(aside);
			const winner = moved === null ? null : parseOwner(moved);
			throw new DataDirInUseError(dir, winner?.pid ?? 0);
		}
		unlinkSync(aside);
	}
	const owner = readOwner(file);
	throw new DataDirInUseError(dir, owner?.pid ?? 0);
}

function hold(file: string, content: string): DataDirLock {
	held.add(file);
	let released = false;
	const release = () => {
		if (released) return;
		released = true;
		held.delete(file);
		process.off('exit', release);
		try {
			// Someone may have taken a lock we let go stale (we were frozen for long); keep theirs.
			if (readFileSync(file, 'utf8') === content) unlinkSync(file);
		} catch {
			// Already gone.
		}
	};
	// process.exit() from anywhere (a busy port, a failed start) must not leave the lock behind.
	process.on('exit', release);
	return { file, release };
}

function readText(file: string): string | null {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return null;
	}
}

function readOwner(file: string): Owner | null {
	const text = readText(file);
	return text === null ? null : parseOwner(text);
}

function parseOwner(text: string): Owner | null {
	const [pidLine, startedLine] = text.split('\n');
	const pid = Number(pidLine);
	if (!Number.isSafeInteger(pid) || pid <= 0) return null;
	return { pid, startedAt: startedLine ? startedLine : null };
}

function isAlive(owner: Owner): boolean {
	// Our own pid in a lock we do not hold (checked above) is a previous life of this pid:
	// in a container the server is pid 1 on every start.
	if (owner.pid === process.pid) return false;
	try {
		process.kill(owner.pid, 0);
	} catch (error) {
		// EPERM: the process exists but belongs to another user; it still holds the data.
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
	}
	const stat = procStat(owner.pid);
	if (stat === null) return true; // no /proc (macOS): trust the pid
	if (stat.state === 'Z') return false; // killed, not yet reaped
	return owner.startedAt === null || owner.startedAt === stat.startedAt;
}

function processStartTime(pid: number): string | null {
	return procStat(pid)?.startedAt ?? null;
}

function procStat(pid: number): { state: string; startedAt: string } | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Fields after the command name, which is in parentheses and may contain spaces.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// fields[0] is field 3 (state); field 22 (starttime) is fields[19].
		const [state, startedAt] = [fields[0], fields[19]];
		return state && startedAt ? { state, startedAt } : null;
	} catch {
		return null;
	}
}
