/**
 * Reconnect delays: exponential back-off with random jitter, so that after a server restart a
 * school full of walls and phones does not reconnect in the same instant.
 */
export interface BackoffOptions {
	baseMs: number;
	maxMs: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/** "Equal jitter": half the exponential delay fixed, the other half random. */
export function reconnectDelay(
	attempt: number,
	options: BackoffOptions = defaultBackoff,
	random: () => number = Math.random
): number {
	const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 16));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
