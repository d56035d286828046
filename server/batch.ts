/**
 * Requests made in one turn of the event loop, loaded with one call: after a restart thousands
 * of sockets upgrade within seconds, and one query for a few hundred of them costs about what
 * one query for one costs (B6 in tests/bench).
 */
export function batched<K, V>(
	loadMany: (keys: K[]) => Promise<V[]>,
	maxBatch = 256
): (key: K) => Promise<V> {
	const queue: Array<{ key: K; resolve(value: V): void; reject(error: unknown): void }> = [];
	const flush = () => {
		const taken = queue.splice(0, maxBatch);
		if (queue.length > 0) setImmediate(flush);
		loadMany(taken.map((item) => item.key)).then(
			(values) => taken.forEach((item, i) => item.resolve(values[i] as V)),
			(error: unknown) => taken.forEach((item) => item.reject(error))
		);
	};
	return (key) =>
		new Promise<V>((resolve, reject) => {
			if (queue.length === 0) setImmediate(flush);
			queue.push({ key, resolve, reject });
		});
}
