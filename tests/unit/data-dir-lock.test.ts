import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirInUseError, LOCK_FILE } from '../../src/lib/server/db/lock';

describe('DATA_DIR lock', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'groeibord-lockunit-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('writes our pid, refuses a second holder in the same process, and releases', () => {
		const lock = acquireDataDirLock(dir);
		expect(readFileSync(path.join(dir, LOCK_FILE), 'utf8').split('\n')[0]).toBe(
			String(process.pid)
		);
		expect(() => acquireDataDirLock(dir)).toThrow(DataDirInUseError);
		lock.release();
		lock.release();
		expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
		acquireDataDirLock(dir).release();
	});

	it('refuses while another live process holds it, naming that process', async () => {
		const other = spawn('sleep', ['30'], { stdio: 'ignore' });
		try {
			writeFileSync(path.join(dir, LOCK_FILE), `${other.pid}\n\n`);
			expect(() => acquireDataDirLock(dir)).toThrow(
				`the database in ${dir} is in use by process ${other.pid}`
			);
		} finally {
			other.kill('SIGKILL');
			await new Promise((r) => other.once('exit', r));
		}
	});

	it('takes over a lock whose owner is gone, or whose pid now belongs to another program', () => {
		const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
		writeFileSync(path.join(dir, LOCK_FILE), `${gone.stdout.toString()}\n\n`);
		acquireDataDirLock(dir).release();

		// pid 1 is alive, but its start time is not the one recorded: a reused pid.
		writeFileSync(path.join(dir, LOCK_FILE), '1\n999999999999\n');
		acquireDataDirLock(dir).release();

		// Half-written by a crash.
		writeFileSync(path.join(dir, LOCK_FILE), '');
		const lock = acquireDataDirLock(dir);
		expect(readFileSync(lock.file, 'utf8')).toMatch(new RegExp(`^${process.pid}\\n`));
		lock.release();
	});
});
