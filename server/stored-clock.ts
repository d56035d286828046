/**
 * What of a board is durably stored, as a Yjs state vector, when several instances share it.
 *
 * With one instance the room's document state at the start of a flush is exactly what the
 * flush stores. With fan-out (fanout.ts) the document also holds updates that arrived from
 * another instance, which that instance stores: sending our document's state vector as `saved`
 * would acknowledge them before anyone stored them, and a client that moved here from an
 * instance killed before its flush would believe its edits safe. So the acknowledgement is
 * built only from what is known to be stored: the state loaded from PostgreSQL, our own
 * commits, and remote updates whose origin announced it stored them.
 *
 * Per client id, `clock` means "every struct below it is stored". The structs of one update
 * are contiguous per client; a range that starts beyond the known clock (its predecessor not
 * yet known stored) waits in `#gaps` until the predecessor arrives.
 */
import * as Y from 'yjs';

interface Range {
	client: number;
	from: number;
	to: number;
}

export class StoredClock {
	#clocks: Map<number, number>;
	#gaps: Range[] = [];

	constructor(stateVector: Uint8Array) {
		this.#clocks = Y.decodeStateVector(stateVector);
	}

	/** Mark a whole stored state (loaded from PostgreSQL) as stored. */
	addStateVector(stateVector: Uint8Array): void {
		for (const [client, clock] of Y.decodeStateVector(stateVector)) {
			if ((this.#clocks.get(client) ?? 0) < clock) this.#clocks.set(client, clock);
		}
		this.#settleGaps();
	}

	/** Mark the structs of `update` as stored. */
	addUpdate(update: Uint8Array): void {
		for (const range of rangesOf(update)) this.#gaps.push(range);
		this.#settleGaps();
	}

	/** Whether every struct of `update` is already known to be stored. */
	covers(update: Uint8Array): boolean {
		return rangesOf(update).every((r) => (this.#clocks.get(r.client) ?? 0) >= r.to);
	}

	encode(): Uint8Array {
		return Y.encodeStateVector(this.#clocks);
	}

	#settleGaps(): void {
		let progressed = true;
		while (progressed && this.#gaps.length > 0) {
			progressed = false;
			this.#gaps = this.#gaps.filter((range) => {
				const clock = this.#clocks.get(range.client) ?? 0;
				if (range.from > clock) return true;
				if (range.to > clock) {
					this.#clocks.set(range.client, range.to);
					progressed = true;
				}
				return false;
			});
		}
	}
}

function rangesOf(update: Uint8Array): Range[] {
	const { from, to } = Y.parseUpdateMeta(update);
	const ranges: Range[] = [];
	for (const [client, end] of to) {
		const start = from.get(client) ?? 0;
		if (end > start) ranges.push({ client, from: start, to: end });
	}
	return ranges;
}
