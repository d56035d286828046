/**
 * Housekeeping the process runs on a timer. Every tick (10 minutes): expired sessions, login
 * attempts past the throttle window and long-unused known devices are deleted; without it these
 * tables only grow (every failed login is a row), and an expired session row would outlive its
 * cookie. Once a day: the retention run (privacy/retention.ts), which deletes what each
 * school's retention policy says is due and logs the counts.
 * The timer is unref'd so it never keeps a stopping process alive.
 */
import type { Database, Queryable } from './db';
import { pruneKnownDevices } from './auth/known-device';
import { deleteExpiredSessions } from './auth/session';
import { pruneOldAttempts } from './auth/throttle';
import { runRetention } from './privacy/retention';

export const MAINTENANCE_INTERVAL_MS = 10 * 60_000;
export const RETENTION_INTERVAL_MS = 24 * 3_600_000;

export async function runMaintenance(db: Queryable, now = new Date()): Promise<void> {
	await deleteExpiredSessions(db, now);
	await pruneOldAttempts(db, now);
	await pruneKnownDevices(db, now);
}

export interface Maintenance {
	/** Stops the timer and waits for a run in progress, so the database can close after it. */
	stop(): Promise<void>;
}

export function startMaintenance(
	db: Database,
	options: {
		intervalMs?: number;
		/** The clock, so a test can move the day forward without waiting for it. */
		now?: () => Date;
		/** Erasure of a due student everywhere (the process's runtime reaches open rooms). */
		eraseStudent?: (schoolId: string, studentId: string) => Promise<unknown>;
		onError?: (error: unknown) => void;
	} = {}
): Maintenance {
	const clock = options.now ?? (() => new Date());
	let running: Promise<void> | undefined;
	// The first tick after start runs retention too: a process restarted daily still runs it.
	let lastRetention: number | undefined;
	const tick = async () => {
		const now = clock();
		await runMaintenance(db, now);
		if (lastRetention === undefined || now.getTime() - lastRetention >= RETENTION_INTERVAL_MS) {
			await runRetention(db, now, { eraseStudent: options.eraseStudent });
			// Only after it went through: a failed run is tried again at the next tick.
			lastRetention = now.getTime();
		}
	};
	const timer = setInterval(() => {
		if (running) return;
		running = tick()
			.catch((error: unknown) => options.onError?.(error))
			.finally(() => (running = undefined));
	}, options.intervalMs ?? MAINTENANCE_INTERVAL_MS);
	timer.unref();
	return {
		async stop() {
			clearInterval(timer);
			await running;
		}
	};
}
