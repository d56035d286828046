/**
 * Fan-out between instances through Redis Streams, when REDIS_URL is set: any instance behind a
 * load balancer serves any board, and every instance hosting a board sees every accepted
 * update and presence change of the others.
 *
 * - One stream per board (`<prefix>board:<id>`). An instance appends each accepted update of a
 *   room it hosts (with its instance id and a sequence number), each presence change, and
 *   after each group commit a `stored` entry: "I committed my updates up to n" (see
 *   stored-clock.ts for why the saved-ack needs it). Entries are kept RETAIN_MS (approximate
 *   MINID trimming on every append): far longer than a group commit takes to reach PostgreSQL.
 * - One dedicated connection reads every stream of the rooms this instance hosts with one
 *   `XREAD BLOCK`, re-issued (CLIENT UNBLOCK) when that set changes. A joining room reads its
 *   stream from the start (PostgreSQL state + the retained tail; Yjs updates are idempotent)
 *   and asks the other hosts for what it lacks (a `v` entry, fanout-entry.ts).
 * - Remote updates apply with the origin `'redis'`: relayed to local sockets, never published
 *   again and stored here only if their origin does not confirm them in time (rooms.ts).
 * - Never lost silently: whenever a connection to Redis drops or an append fails, every hosted
 *   room resyncs once Redis answers again: it merges the state stored in PostgreSQL, asks the
 *   others for what it lacks and answers their questions, then reads on from where it was.
 *   Meanwhile each instance keeps serving its own sockets and storing to PostgreSQL. A board
 *   whose reading falls more than half the retention behind its stream (while still reading)
 *   resyncs the same way and reads on from the stream's head (`#skipAhead`).
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { randomString } from '../src/lib/server/auth/tokens';
import {
	entryFields,
	idTime,
	parseEntry,
	type ErasureMode,
	type StreamEntry
} from './fanout-entry';
import { log } from './log';
import type { Fanout } from './rooms';

/**
 * How long stream entries are kept; a lag beyond this is caught by the resync (after a lost
 * connection or a failed append, after a stall between reads: `#noticeStall`, and when reading
 * falls behind a busy stream: `#tooFarBehind`).
 */
const RETAIN_MS = 60_000;
/** Presence entries older than this are history, not presence (awareness times out at 30 s). */
const PRESENCE_FRESH_MS = 15_000;
/** Longest XREAD block: bounds how late a changed stream set is noticed if UNBLOCK fails. */
const BLOCK_MS = 1_000;
const READ_COUNT = 500;
const RETRY_MS = 250;

/**
 * Append an erasure entry (fields from ARGV[2]) and trim every older entry exactly; with a TTL
 * in ARGV[1] (ms, 0: none) the stream also expires. Atomic: no reader sees the entry without
 * the trim.
 */
const ERASE_SCRIPT = `
local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
redis.call('XTRIM', KEYS[1], 'MINID', id)
if tonumber(ARGV[1]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return id`;

/** What fan-out needs of a room (rooms.ts implements it). */
export interface FanoutRoom {
	readonly boardId: string;
	readonly destroyed: boolean;
	applyRemote(update: Uint8Array, from: { instance: string; seq: number }): void;
	confirmRemote(instance: string, seq: number): void;
	applyRemoteAwareness(update: Uint8Array): void;
	/** Presence of this instance's own connections, or null when there is none. */
	ownAwareness(): Uint8Array | null;
	stateVector(): Uint8Array;
	/** Everything this room holds that a holder of `stateVector` lacks. */
	diffFor(stateVector: Uint8Array): Uint8Array;
	/** Merge a state read from PostgreSQL (stored, so it counts for the saved-ack). */
	mergeStored(state: Uint8Array): void;
}

export interface RedisFanoutOptions {
	/** Key prefix, so several deployments (or test runs) can share one Redis. */
	prefix: string;
	/** The board's state as stored in PostgreSQL (for a resync). */
	loadStored(boardId: string): Promise<Uint8Array>;
	/** How long stream entries are kept (default RETAIN_MS; shorter in tests). */
	retainMs?: number;
	/** Another instance erased content from a board hosted here (open-boards.ts acts on it). */
	erased?(boardId: string, mode: ErasureMode): void;
}

const xreadReply = z
	.array(
		z.tuple([
			z.instanceof(Buffer),
			z.array(z.tuple([z.instanceof(Buffer), z.array(z.instanceof(Buffer))]))
		])
	)
	.nullable();

interface Hosted {
	room: FanoutRoom;
	/** Last stream id read; '0-0' reads the whole retained stream. */
	lastId: string;
}

export class RedisFanout implements Fanout {
	readonly instanceId = randomString(12);
	#prefix: string;
	#loadStored: RedisFanoutOptions['loadStored'];
	#erased: RedisFanoutOptions['erased'];
	#retainMs: number;
	/** When the last XREAD answered (monotonic ms; 0: not reading). */
	#lastRead = 0;
	/** Appends and small commands; fails at once while disconnected (no hidden queue). */
	#pub: Redis;
	/** Only the blocking XREAD. */
	#reader: Redis;
	#readerId: number | null = null;
	#hosted = new Map<string, Hosted>();
	#seq = 0;
	#resyncWanted = false;
	#closed = false;
	#loop: Promise<void> | undefined;
	#wake: (() => void) | undefined;

	constructor(base: Redis, options: RedisFanoutOptions) {
		this.#prefix = options.prefix;
		this.#loadStored = options.loadStored;
		this.#erased = options.erased;
		this.#retainMs = options.retainMs ?? RETAIN_MS;
		this.#pub = base.duplicate({ enableOfflineQueue: false, lazyConnect: true });
		this.#reader = base.duplicate({ lazyConnect: true });
		for (const conn of [this.#pub, this.#reader]) {
			conn.on('error', () => {});
			// Whatever was sent or read while a connection was down may be missing on one side.
			conn.on('close', () => this.#missed());
			conn.on('ready', () => this.#wake?.());
		}
	}

	/**
	 * Connect and run until `close()`. Never fails: while Redis does not answer, rooms serve
	 * their own sockets and resync once it does.
	 */
	start(): void {
		for (const conn of [this.#pub, this.#reader]) conn.connect().catch(() => {});
		this.#loop = this.#run();
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		this.#hosted.clear();
		this.#wake?.();
		this.#reader.disconnect();
		await this.#loop?.catch(() => {});
		await this.#pub.quit().catch(() => this.#pub.disconnect());
	}

	/** Whether both connections are up (for /healthz). */
	connected(): boolean {
		return this.#pub.status === 'ready' && this.#reader.status === 'ready';
	}

	/** Start reading the board's stream for `room` (just loaded from PostgreSQL). */
	join(room: FanoutRoom): void {
		if (this.#closed) return;
		this.#hosted.set(room.boardId, { room, lastId: '0-0' });
		this.#ask(room, '1');
		this.#streamsChanged();
	}

	leave(room: FanoutRoom): void {
		if (this.#hosted.get(room.boardId)?.room !== room) return;
		this.#hosted.delete(room.boardId);
		this.#streamsChanged();
	}

	publishUpdate(boardId: string, update: Uint8Array): number {
		const n = ++this.#seq;
		this.#append(boardId, { t: 'u', i: this.instanceId, n, d: update });
		return n;
	}

	publishAwareness(boardId: string, update: Uint8Array): void {
		this.#append(boardId, { t: 'a', i: this.instanceId, d: update });
	}

	publishStored(boardId: string, seq: number): void {
		this.#append(boardId, { t: 's', i: this.instanceId, n: seq });
	}

	/** An update already in PostgreSQL (a server edit of a board not open here). */
	publishStoredUpdate(boardId: string, update: Uint8Array): void {
		this.publishStored(boardId, this.publishUpdate(boardId, update));
	}

	/**
	 * Content was erased from the board here (and its store re-encoded, or the board deleted):
	 * every other instance hosting it must act too, or its clients keep their offline copies
	 * and its room keeps serving (and might store again) what was erased. On the board's own
	 * stream, so it arrives after the erasing update itself.
	 *
	 * The entries before it still carry the erased content's updates, which trimming by age
	 * would keep for up to the retention time: they go with it, in one atomic script (`e`
	 * appended, everything older trimmed exactly). An instance that had not read them yet loses
	 * nothing it needs: the `e` makes it reload the store (which holds everything but the
	 * erased content) and ask the other hosts for what it lacks (`#handle`). A deleted board's
	 * stream (`close`) expires after the retention time, as it gets no more appends.
	 */
	async publishErased(boardId: string, mode: ErasureMode): Promise<void> {
		if (this.#closed) return;
		const fields = entryFields({ t: 'e', i: this.instanceId, m: mode });
		try {
			await this.#pub.eval(
				ERASE_SCRIPT,
				1,
				this.#key(boardId),
				mode === 'close' ? String(this.#retainMs) : '0',
				...fields
			);
		} catch (error) {
			log.warn(`fanout: erasure entry for board ${boardId} failed: ${(error as Error).message}`);
			this.#missed();
		}
	}

	#key(boardId: string): string {
		return `${this.#prefix}board:${boardId}`;
	}

	#append(boardId: string, entry: Parameters<typeof entryFields>[0]): void {
		if (this.#closed) return;
		const minId = String(Date.now() - this.#retainMs);
		this.#pub
			.xadd(this.#key(boardId), 'MINID', '~', minId, '*', ...entryFields(entry))
			.catch((error: unknown) => {
				// Once per interruption: the resync after it covers every failed append.
				if (!this.#resyncWanted) {
					log.warn(`fanout: append to board ${boardId} failed: ${(error as Error).message}`);
				}
				this.#missed();
			});
	}

	#missed(): void {
		if (this.#closed) return;
		this.#resyncWanted = true;
	}

	/** Ask the other hosts of `room` for what it lacks (`reply`: and to ask us in turn). */
	#ask(room: FanoutRoom, reply: '0' | '1'): void {
		this.#append(room.boardId, { t: 'v', i: this.instanceId, d: room.stateVector(), r: reply });
		const presence = room.ownAwareness();
		if (presence) this.publishAwareness(room.boardId, presence);
	}

	#streamsChanged(): void {
		this.#wake?.();
		// Interrupt the running XREAD so the next one names the new set of streams.
		if (this.#readerId !== null && this.#pub.status === 'ready') {
			this.#pub.client('UNBLOCK', this.#readerId).catch(() => {});
		}
	}

	async #run(): Promise<void> {
		while (!this.#closed) {
			try {
				if (this.#readerId === null || this.#resyncWanted) {
					if (!this.connected()) {
						await this.#sleep(RETRY_MS);
						continue;
					}
					this.#readerId = Number(await this.#reader.client('ID'));
				}
				if (this.#resyncWanted) {
					this.#resyncWanted = false;
					await this.#resyncAll();
				}
				if (this.#hosted.size === 0) {
					this.#lastRead = 0;
					await this.#sleep(BLOCK_MS);
					continue;
				}
				await this.#readOnce();
			} catch (error) {
				if (this.#closed) return;
				log.warn(`fanout: reading failed: ${(error as Error).message}`);
				this.#missed();
				await this.#sleep(RETRY_MS);
			}
		}
	}

	async #readOnce(): Promise<void> {
		const hosted = [...this.#hosted.values()];
		const raw = await this.#reader.callBuffer(
			'XREAD',
			'COUNT',
			READ_COUNT,
			'BLOCK',
			BLOCK_MS,
			'STREAMS',
			...hosted.map((h) => this.#key(h.room.boardId)),
			...hosted.map((h) => h.lastId)
		);
		this.#noticeStall();
		const reply = xreadReply.safeParse(raw);
		if (!reply.success) throw new Error('unexpected XREAD reply');
		const behind: Hosted[] = [];
		for (const [key, entries] of reply.data ?? []) {
			const boardId = key.toString('utf8').slice(this.#key('').length);
			const last = entries.at(-1)?.[0].toString('utf8');
			if (entries.length === READ_COUNT && last && this.#tooFarBehind(last)) {
				const current = this.#hosted.get(boardId);
				if (current) behind.push(current);
			}
			for (const [rawId, fields] of entries) {
				const current = this.#hosted.get(boardId);
				if (!current || current.room.destroyed) break;
				const id = rawId.toString('utf8');
				current.lastId = id;
				const parsed = parseEntry(fields);
				if (!parsed.ok) {
					log.warn(`fanout: skipped malformed entry ${id} of board ${boardId}: ${parsed.problem}`);
					continue;
				}
				this.#handle(current.room, id, parsed.entry);
			}
		}
		for (const hosted of behind) await this.#skipAhead(hosted);
	}

	/**
	 * A full batch whose newest entry is older than half the retention: more entries wait, and
	 * this instance reads slower than the board's stream grows (its event loop too busy to
	 * keep up), so trimming may soon drop entries it has not read, silently. Reading on would
	 * only fall further behind. (A room that joined a long, old tail looks the same; resyncing
	 * is quicker for it too.)
	 */
	#tooFarBehind(id: string): boolean {
		return idTime(id) < Date.now() - this.#retainMs / 2;
	}

	/**
	 * Resync one board that fell behind (`#tooFarBehind`) and read on from the stream's head:
	 * the skipped entries are in PostgreSQL or, not stored yet, held by the instance that
	 * published them, which answers the question asked here (everything after the head is read).
	 */
	async #skipAhead(hosted: Hosted): Promise<void> {
		const { room } = hosted;
		const newest = await this.#reader.xrevrange(this.#key(room.boardId), '+', '-', 'COUNT', 1);
		if (this.#hosted.get(room.boardId) !== hosted || room.destroyed) return;
		log.warn(`fanout: reading board ${room.boardId} fell behind its stream; resyncing it`);
		if (newest[0]) hosted.lastId = newest[0][0];
		try {
			const stored = await this.#loadStored(room.boardId);
			if (!room.destroyed) room.mergeStored(stored);
		} catch (error) {
			log.warn(`fanout: reloading board ${room.boardId} failed: ${(error as Error).message}`);
		}
		if (!room.destroyed) this.#ask(room, '1');
	}

	/**
	 * Reads follow each other within BLOCK_MS plus the time to apply a batch. A much longer gap
	 * while connected (the event loop blocked, the process paused, the host starved) may have
	 * let trimming drop entries this instance never read, and nothing else would notice: such a
	 * gap counts as missed entries, and every hosted room resyncs.
	 */
	#noticeStall(): void {
		const now = performance.now();
		const gap = now - this.#lastRead;
		if (this.#lastRead > 0 && gap > this.#retainMs / 2) {
			log.warn(`fanout: no read for ${Math.round(gap / 1000)} s; resyncing every hosted board`);
			this.#missed();
		}
		this.#lastRead = now;
	}

	#handle(room: FanoutRoom, id: string, entry: StreamEntry): void {
		if (entry.i === this.instanceId) return;
		try {
			switch (entry.t) {
				case 'u':
					room.applyRemote(entry.d, { instance: entry.i, seq: entry.n });
					return;
				case 's':
					room.confirmRemote(entry.i, entry.n);
					return;
				case 'a':
					if (Date.now() - idTime(id) <= PRESENCE_FRESH_MS) room.applyRemoteAwareness(entry.d);
					return;
				case 'v': {
					// A question from the retained history was answered when it was asked.
					if (Date.now() - idTime(id) > PRESENCE_FRESH_MS) return;
					const diff = room.diffFor(entry.d);
					this.#append(room.boardId, { t: 'u', i: this.instanceId, n: 0, d: diff });
					if (entry.r === '1') this.#ask(room, '0');
					return;
				}
				case 'e':
					// Also when read from the retained history by a room that joined since: its
					// clients may bring an offline copy from before the erasure.
					this.#erased?.(room.boardId, entry.m);
					// The entries before it were trimmed (publishErased), perhaps unread: others'
					// edits this room lacks come back through the question.
					if (entry.m === 'reload') this.#ask(room, '1');
					return;
			}
		} catch (error) {
			// Validated bytes can still be a broken Yjs or awareness update.
			log.warn(`fanout: skipped entry ${id} of board ${room.boardId}: ${(error as Error).message}`);
		}
	}

	/** After a gap: merge what PostgreSQL holds and exchange differences with the others. */
	async #resyncAll(): Promise<void> {
		log.info(`fanout: resyncing ${this.#hosted.size} board(s) after a Redis interruption`);
		for (const { room } of [...this.#hosted.values()]) {
			if (room.destroyed) continue;
			try {
				const stored = await this.#loadStored(room.boardId);
				if (!room.destroyed) room.mergeStored(stored);
			} catch (error) {
				log.warn(`fanout: reloading board ${room.boardId} failed: ${(error as Error).message}`);
			}
			if (!room.destroyed) this.#ask(room, '1');
		}
	}

	#sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(done, ms);
			function done() {
				clearTimeout(timer);
				resolve();
			}
			this.#wake = done;
		});
	}
}
