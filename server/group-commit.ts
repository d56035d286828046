/**
 * The group commit: what the open rooms queue for storage is written in as few transactions as
 * possible, each board's part of it in the same transaction as every other board's.
 *
 * Why: a commit costs a disk flush (5-10 ms on a small VM's disk). One transaction per board and
 * flush window made 200 busy boards ask for 200 commits a second, and their saved-acks queued
 * for seconds (bench B11). Here a round starts as soon as one is asked for and none is running;
 * whatever rooms ask while a round runs goes into the next one. So under load a round carries
 * every board that changed meanwhile, and when idle an edit is committed at once.
 *
 * A round that fails (one board's rows refused, say: it was erased meanwhile) is tried again
 * one board at a time, so one board's problem is its own and every other board still commits.
 */
import { appendBoards, type BoardAppend } from '../src/lib/server/board-store';
import type { Database } from '../src/lib/server/db';

interface Waiting extends BoardAppend {
	resolve: () => void;
	reject: (error: Error) => void;
}

export class GroupCommit {
	readonly #db: () => Database;
	#queue: Waiting[] = [];
	#running = false;
	/** Rounds committed and boards written in them, for tests and the bench. */
	readonly stats = { rounds: 0, boards: 0 };

	constructor(db: () => Database) {
		this.#db = db;
	}

	/** Store `append` with the next round; resolves after its commit, rejects if it failed. */
	append(append: BoardAppend): Promise<void> {
		if (append.updates.length === 0 && append.claims.length === 0) return Promise.resolve();
		const done = new Promise<void>((resolve, reject) => {
			this.#queue.push({ ...append, resolve, reject });
		});
		if (!this.#running) void this.#drain();
		return done;
	}

	async #drain(): Promise<void> {
		this.#running = true;
		try {
			while (this.#queue.length > 0) {
				const round = this.#queue;
				this.#queue = [];
				await this.#commit(round);
			}
		} finally {
			this.#running = false;
		}
	}

	async #commit(round: Waiting[]): Promise<void> {
		const db = this.#db();
		try {
			await appendBoards(db, round);
			this.stats.rounds++;
			this.stats.boards += round.length;
			for (const w of round) w.resolve();
			return;
		} catch (error) {
			if (round.length === 1) {
				round[0]!.reject(error as Error);
				return;
			}
		}
		// Alone, each board succeeds or fails on its own rows.
		for (const w of round) {
			try {
				await appendBoards(db, [w]);
				this.stats.rounds++;
				this.stats.boards++;
				w.resolve();
			} catch (error) {
				w.reject(error as Error);
			}
		}
	}
}
