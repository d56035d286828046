/**
 * Housekeeping the process runs on a timer: expired sessions, login attempts past the
 * throttle window and long-unused known devices are deleted. Without it these tables only
 * grow (every failed login is a row), and an expired session row would outlive its cookie.
 * The timer is unref'd so it never keeps a stopping process alive.
 */
import type { Queryable } from './db';
import { pruneKnownDevices } from './auth/known-device';
import { deleteExpiredSessions } from './auth/session';
import { pruneOldAttempts } from './auth/throttle';

export const MAINTENANCE_INTERVAL_MS = 10 * 60_000;

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
	db: Queryable,
	options: { intervalMs?: number; onError?: (error: unknown) => void } = {}
): Maintenance {
	let running: Promise<void> | undefined;
	const timer = setInterval(() => {
		if (running) return;
		running = runMaintenance(db)
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
