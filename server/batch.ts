/**
 * Requests batched the way the group commit batches writes: the first one waits for the end of
 * the current turn, and while a load runs every new request queues for the next one. Idle, a
 * request costs one turn; under a storm (thousands of sockets upgrading after a restart) the
 * batches grow with the load, and one query for a few hundred requests costs about what one
 * query for one costs (B6 in tests/bench).
 */
export function batched<K, V>(
	loadMany: (keys: K[]) => Promise<V[]>,
	maxBatch = 256
): (key: K) => Promise<V> {
	const queue: Array<{ key: K; resolve(value: V): void; reject(error: unknown): void }> = [];
	let running = false;
	let scheduled = false;
	const schedule = () => {
		if (scheduled || running) return;
		scheduled = true;
		setImmediate(flush);
	};
	const flush = () => {
		scheduled = false;
		if (running || queue.length === 0) return;
		running = true;
		const taken = queue.splice(0, maxBatch);
		Promise.resolve()
			.then(() => loadMany(taken.map((item) => item.key)))
			.then(
				(values) => taken.forEach((item, i) => item.resolve(values[i] as V)),
				(error: unknown) => taken.forEach((item) => item.reject(error))
			)
			.finally(() => {
				running = false;
				if (queue.length > 0) schedule();
			});
	};
	return (key) =>
		new Promise<V>((resolve, reject) => {
			queue.push({ key, resolve, reject });
			schedule();
		});
}
