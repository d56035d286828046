/** Pure statistics for the bench: percentiles, the median of runs, and ratios for the table. */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
	if (samples.length === 0) return Number.NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * Median of a few runs (the middle one, or the mean of the two middle ones). Runs that did not
 * measure (NaN) are left out; Infinity ("never", e.g. a board never unloaded) counts only when
 * no run has a finite value.
 */
export function median(values: readonly number[]): number {
	const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	if (finite.length === 0) return values.includes(Infinity) ? Infinity : Number.NaN;
	const mid = Math.floor(finite.length / 2);
	return finite.length % 2 === 1 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

/** ours ÷ theirs; NaN when either side is missing or the reference is zero. */
export function ratio(ours: number, reference: number): number {
	if (!Number.isFinite(ours) || !Number.isFinite(reference) || reference === 0) return Number.NaN;
	return ours / reference;
}

/** The better (lower) of the reference values, ignoring missing ones. */
export function best(values: readonly number[]): number {
	const finite = values.filter((v) => Number.isFinite(v));
	return finite.length === 0 ? Number.NaN : Math.min(...finite);
}

/** A number for the table: fixed decimals, "never" for Infinity, or "–" when not measured. */
export function fmt(value: number, decimals = 1): string {
	if (value === Infinity) return 'never';
	return Number.isFinite(value) ? value.toFixed(decimals) : '–';
}

/** CPU time of this process (all its threads) so far, in ms. */
export function cpuMs(): number {
	const c = process.cpuUsage();
	return (c.user + c.system) / 1000;
}
