/**
 * The side-by-side workloads (issue 13, B1–B11), each run against one started server. They
 * only talk to the server over its sockets and its control channel, so every server is
 * measured by the same code.
 */
import * as Y from 'yjs';
import { cardsMap } from '../../src/lib/board/verbeterbord';
import { addCards, boardState, moveEdit, quickMove } from './cards';
import { BenchClient, connectAll } from './client';
import type { ServerHandle } from './spawn';
import { percentile } from './stats';

let roomSeq = 0;

/** Fresh board names: our server needs boards in its database; the others take any name. */
export async function rooms(server: ServerHandle, count: number): Promise<string[]> {
	if (server.name.startsWith('ours')) return server.call<string[]>('boards', { count });
	return Array.from({ length: count }, () => `bench-${process.pid}-${roomSeq++}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await sleep(5);
	}
}

/** Run `edit(i)` `count` times at `rate` per second, on schedule (no drift). */
async function paced(rate: number, count: number, edit: (i: number) => void): Promise<void> {
	const start = performance.now();
	for (let i = 0; i < count; i++) {
		const wait = start + (i * 1000) / rate - performance.now();
		if (wait > 0) await sleep(wait);
		edit(i);
	}
}

export interface LatencyResult {
	p50: number;
	p99: number;
	samples: number;
	/** Deliveries that never arrived within the grace period. */
	missing: number;
	/** Server CPU µs spent per delivery during the run (all instances together). */
	cpuPerDelivery: number;
	/** p99 of deliveries between editors on the same instance, and on different ones (B10). */
	sameP99: number;
	crossP99: number;
	/** Edits per second actually sent (the pacing falls behind when the generator is busy). */
	editsPerSecond: number;
	/** Deliveries per second, from the first edit to the last delivery. */
	deliveriesPerSecond: number;
	/** Server CPU seconds used during the run (all instances together). */
	cpuSeconds: number;
	/** This load generator's own CPU use during the run, in cores (1: it was saturated). */
	generatorCores: number;
}

/**
 * `editors` clients on one new board of `cards` cards, spread round-robin over `servers` (one
 * for B1 and B2; two instances sharing a database and Redis for B10); `measure` then runs
 * edits (card moves, each by the next editor in turn) and times edit -> seen by each other.
 */
export async function editorsOnBoard(
	servers: ServerHandle[],
	options: { editors: number; cards: number }
) {
	const [room] = await rooms(servers[0]!, 1);
	const home = new Map<BenchClient, number>();
	const clients = Array.from({ length: options.editors }, (_, i) => {
		const client = new BenchClient(servers[i % servers.length]!.ready, room!);
		home.set(client, i % servers.length);
		return client;
	});
	await Promise.all(clients.map((c) => c.ready()));
	addCards(clients[0]!.doc, options.cards, servers[0]!.ready.actor);
	await until(
		() => clients.every((c) => cardsMap(c.doc).size === options.cards),
		30_000,
		'the cards on every editor'
	);
	type Edit = {
		sender: BenchClient;
		client: number;
		clock: number;
		t0: number;
		seen: Set<BenchClient>;
	};
	let pending: Edit[] = [];
	let sink: { same: number[]; cross: number[]; lastAt: number } | null = null;
	for (const c of clients) {
		c.onRemoteUpdate = () => {
			const now = performance.now();
			for (const edit of pending) {
				if (edit.client === c.doc.clientID || edit.seen.has(c)) continue;
				if (Y.getState(c.doc.store, edit.client) >= edit.clock) {
					edit.seen.add(c);
					if (!sink) continue;
					(home.get(c) === home.get(edit.sender) ? sink.same : sink.cross).push(now - edit.t0);
					sink.lastAt = now;
				}
			}
			pending = pending.filter((e) => e.seen.size < clients.length - 1);
		};
	}
	let n = 0;
	const edit = () => {
		const sender = clients[n % clients.length]!;
		moveEdit(sender.doc, n++);
		const clock = Y.getState(sender.doc.store, sender.doc.clientID);
		pending.push({
			sender,
			client: sender.doc.clientID,
			clock,
			t0: sender.lastSendAt,
			seen: new Set()
		});
	};
	const serverCpu = async () =>
		(await Promise.all(servers.map((s) => s.cpu()))).reduce((a, b) => a + b, 0);
	return {
		/** Edits not timed (JIT, first writes), then wait until they all arrived. */
		async warmUp(rate: number, count: number): Promise<void> {
			await paced(rate, count, edit);
			await until(() => pending.length === 0, 10_000, 'the warm-up edits').catch(() => {});
			pending = [];
		},
		async measure(rate: number, seconds: number): Promise<LatencyResult> {
			pending = [];
			const run = { same: [] as number[], cross: [] as number[], lastAt: 0 };
			sink = run;
			const count = Math.round(rate * seconds);
			const cpu0 = await serverCpu();
			const own0 = process.cpuUsage();
			const start = performance.now();
			await paced(rate, count, edit);
			const sent = performance.now();
			await until(() => pending.length === 0, 5_000, 'every delivery').catch(() => {});
			const own = process.cpuUsage(own0);
			const end = performance.now();
			const cpuSeconds = ((await serverCpu()) - cpu0) / 1e6;
			sink = null;
			const missing = pending.reduce((m, e) => m + (clients.length - 1 - e.seen.size), 0);
			pending = [];
			const samples = [...run.same, ...run.cross];
			return {
				p50: percentile(samples, 50),
				p99: percentile(samples, 99),
				samples: samples.length,
				missing,
				cpuPerDelivery: (cpuSeconds * 1e6) / Math.max(1, samples.length),
				sameP99: percentile(run.same, 99),
				crossP99: percentile(run.cross, 99),
				editsPerSecond: count / Math.max(1e-3, (sent - start) / 1000),
				deliveriesPerSecond: samples.length / Math.max(1e-3, ((run.lastAt || end) - start) / 1000),
				cpuSeconds,
				generatorCores: (own.user + own.system) / 1e3 / Math.max(1, end - start)
			};
		},
		close(): void {
			for (const c of clients) c.close();
		}
	};
}

/**
 * B1: `editors` clients on one board of `cards` cards; edits (card moves) at `rate` per second
 * for `seconds`, each by the next editor in turn; edit -> seen by each of the others.
 */
export async function editLatency(
	server: ServerHandle,
	options: {
		editors: number;
		cards: number;
		rate: number;
		seconds: number;
		/** Untimed edits at `rate` first (JIT, first writes); default one second's worth, ≤ 50. */
		warmUpEdits?: number;
	}
): Promise<LatencyResult> {
	const board = await editorsOnBoard([server], options);
	await board.warmUp(options.rate, options.warmUpEdits ?? Math.min(options.rate, 50));
	const result = await board.measure(options.rate, options.seconds);
	board.close();
	return result;
}

/** B11: edit -> the server's own `saved` message covering it, many boards at once (ours). */
export async function savedAck(
	server: ServerHandle,
	options: { boards: number; editors: number; cards: number; rate: number; seconds: number }
): Promise<{ p50: number; p99: number; samples: number; missing: number }> {
	const names = await rooms(server, options.boards);
	const boards: BenchClient[][] = [];
	// In batches, so the connection storm is not what is measured.
	for (let i = 0; i < names.length; i += 20) {
		boards.push(
			...(await Promise.all(
				names.slice(i, i + 20).map((n) => connectAll(server.ready, n, options.editors))
			))
		);
	}
	for (const clients of boards) addCards(clients[0]!.doc, options.cards, server.ready.actor);
	await until(
		() => boards.every((cs) => cs.every((c) => cardsMap(c.doc).size === options.cards)),
		60_000,
		'the cards on every board'
	);
	const samples: number[] = [];
	let waiting = 0;
	let recording = false;
	const all = boards.flat();
	const waiters = new Map<BenchClient, Array<{ clock: number; t0: number }>>();
	for (const client of all) {
		const mine: Array<{ clock: number; t0: number }> = [];
		waiters.set(client, mine);
		// Measured from the ack message itself: the moment a `saved` covering the edit arrives.
		client.onSaved = () => {
			const now = performance.now();
			while (mine.length > 0 && mine[0]!.clock <= client.storedClock) {
				const t0 = mine.shift()!.t0;
				if (recording) samples.push(now - t0);
				waiting--;
			}
		};
	}
	const edit = (i: number) => {
		const board = boards[i % boards.length]!;
		const sender = board[Math.floor(i / boards.length) % board.length]!;
		moveEdit(sender.doc, i);
		const clock = Y.getState(sender.doc.store, sender.doc.clientID);
		waiters.get(sender)!.push({ clock, t0: sender.lastSendAt });
		waiting++;
	};
	// Warm-up, not counted: every editor's first edit (it claims the editor's Yjs client id on
	// the board, once per session) and the JIT, at the same rate, until all of it is acked.
	await paced(options.rate, all.length, edit);
	await until(() => waiting === 0, 30_000, 'the warm-up acks').catch(() => {});
	recording = true;
	const count = Math.round(options.rate * options.seconds);
	await paced(options.rate, count, (i) => edit(all.length + i));
	await until(() => waiting === 0, 10_000, 'every saved-ack').catch(() => {});
	for (const c of all) c.close();
	return {
		p50: percentile(samples, 50),
		p99: percentile(samples, 99),
		samples: samples.length,
		missing: waiting
	};
}

const COLD_WARM_UP = 5;

/** B5: open a board that is stored but not in memory (snapshot + log rows) until synced. */
export async function coldOpen(
	server: ServerHandle,
	options: { boards: number; cards: number; rows: number }
): Promise<{ p50: number; p99: number }> {
	// The first opens of a fresh process pay for JIT compilation and first queries, as in B1's
	// warm-up: they are opened alike but not counted (a server opens boards all day long).
	const ids = await server.call<string[]>('cold', {
		count: options.boards + COLD_WARM_UP,
		cards: options.cards,
		rows: options.rows
	});
	const samples: number[] = [];
	for (const [i, id] of ids.entries()) {
		const t0 = performance.now();
		const client = new BenchClient(server.ready, id);
		await client.ready();
		if (i >= COLD_WARM_UP) samples.push(performance.now() - t0);
		if (cardsMap(client.doc).size !== options.cards) throw new Error('cold board incomplete');
		client.close();
	}
	return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/**
 * B4: open `boards` boards of `cards` cards (one client each keeps it open) and measure the
 * server's memory (V8 heap plus ArrayBuffers, after a full GC) just after they were filled
 * ("active"), and again once unchanged for `restWaitMs` ("unchanged": our rooms rest by then,
 * rooms.ts; skipped when 0, for servers whose boards stay as they are); then `edits` card
 * moves spread over them, and the same two readings.
 */
export async function boardMemory(
	server: ServerHandle,
	options: { boards: number; cards: number; edits: number; restWaitMs: number }
): Promise<{
	fresh: BoardMemory;
	edited: BoardMemory;
}> {
	const memory = async () => {
		const u = await server.usage();
		return u.heapUsed + u.arrayBuffers;
	};
	const names = await rooms(server, options.boards);
	const state = boardState(options.cards, server.ready.actor);
	const base = await memory();
	const clients: BenchClient[] = [];
	for (const name of names) {
		const client = new BenchClient(server.ready, name);
		await client.ready();
		Y.applyUpdate(client.doc, state);
		clients.push(client);
	}
	const reading = async (settleMs: number): Promise<BoardMemory> => {
		// A relay holds nothing; the others have the board once it is applied there.
		await sleep(settleMs);
		const active = (await memory()) - base;
		if (options.restWaitMs > 0) await sleep(options.restWaitMs);
		const unchanged = options.restWaitMs > 0 ? (await memory()) - base : active;
		return perBoard(active, unchanged, options.boards);
	};
	const fresh = await reading(1_000);
	for (let i = 0; i < options.edits; i++) {
		quickMove(clients[i % clients.length]!.doc, Math.floor(i / clients.length));
		if (i % 100 === 99) await sleep(5);
	}
	const edited = await reading(2_000);
	for (const c of clients) c.close();
	return { fresh, edited };
}

export interface BoardMemory {
	activeMiB: number;
	unchangedMiB: number;
	activePerGB: number;
	unchangedPerGB: number;
}

function perBoard(active: number, unchanged: number, boards: number): BoardMemory {
	const MiB = 1024 ** 2;
	const GB = 1024 ** 3;
	return {
		activeMiB: active / boards / MiB,
		unchangedMiB: unchanged / boards / MiB,
		activePerGB: GB / (active / boards),
		unchangedPerGB: GB / (unchanged / boards)
	};
}

/** B3: presence only, `users` on one board at `hz`: server CPU µs per presence delivery. */
export async function presenceCost(
	server: ServerHandle,
	options: { users: number; hz: number; seconds: number }
): Promise<{ cpuPerDelivery: number; deliveries: number }> {
	const [room] = await rooms(server, 1);
	const clients = await connectAll(server.ready, room!, options.users);
	const tick = (i: number) => {
		const c = clients[i % clients.length]!;
		c.setPresence({ name: `Bench ${i % clients.length}`, cursor: { x: i % 1200, y: i % 800 } });
	};
	await paced(options.users * options.hz, options.users * options.hz, tick);
	await sleep(500);
	const received0 = clients.reduce((n, c) => n + c.awarenessReceived, 0);
	const cpu0 = await server.cpu();
	await paced(options.users * options.hz, options.users * options.hz * options.seconds, tick);
	await sleep(500);
	const cpu1 = await server.cpu();
	const deliveries = clients.reduce((n, c) => n + c.awarenessReceived, 0) - received0;
	for (const c of clients) c.close();
	return { cpuPerDelivery: (cpu1 - cpu0) / Math.max(1, deliveries), deliveries };
}

/**
 * B9: a one-hour meeting on one board, replayed fast: `editors` people, one edit a second in
 * all (card moves, and a new card every 30 edits), then the bytes the server stored for the
 * board divided by the board's own encoded size. Only servers that store (ours, Hocuspocus).
 */
export async function meetingStorage(
	server: ServerHandle,
	options: { editors: number; cards: number; edits: number; rate: number }
): Promise<{ storedBytes: number; boardBytes: number; ratio: number }> {
	const [room] = await rooms(server, 1);
	const clients = await connectAll(server.ready, room!, options.editors);
	addCards(clients[0]!.doc, options.cards, server.ready.actor);
	await until(
		() => clients.every((c) => cardsMap(c.doc).size === options.cards),
		30_000,
		'the cards on every editor'
	);
	let added = 0;
	await paced(options.rate, options.edits, (i) => {
		const sender = clients[i % clients.length]!;
		if (i % 30 === 29) addCards(sender.doc, 1, server.ready.actor, `m${added++}-`);
		else moveEdit(sender.doc, i);
	});
	const total = options.cards + added;
	await until(
		() => clients.every((c) => cardsMap(c.doc).size === total),
		30_000,
		'every card on every editor'
	);
	await sleep(500);
	const boardBytes = Y.encodeStateAsUpdate(clients[0]!.doc).byteLength;
	const storedBytes = await server.call<number>('storedBytes', { board: room });
	for (const c of clients) c.close();
	return { storedBytes, boardBytes, ratio: storedBytes / boardBytes };
}

/**
 * B7: editors add cards (one new card per edit, so each edit is checkable on its own) while the
 * server is SIGKILLed; a server restarted on the same storage is then asked for the board.
 * "Acknowledged" is the strongest promise each server makes: ours, a `saved` message covering
 * the edit; the others have none, so an edit counts once another editor received it (relayed).
 * Returns how many acknowledged edits the restarted server no longer has.
 */
export async function killLoss(
	start: () => Promise<ServerHandle>,
	options: { editors: number; rate: number; seconds: number }
): Promise<{ acknowledged: number; lost: number }> {
	let server = await start();
	const [room] = await rooms(server, 1);
	const ready = server.ready;
	const clients = await connectAll(ready, room!, options.editors);
	const ours = ready.query?.includes('saved=1') ?? false;
	const edits: Array<{ id: string; sender: BenchClient; clock: number }> = [];
	let n = 0;
	await paced(options.rate, Math.round(options.rate * options.seconds), (i) => {
		const sender = clients[i % clients.length]!;
		const id = `k${n++}`;
		addCards(sender.doc, 1, ready.actor, id);
		edits.push({ id: `${id}0`, sender, clock: Y.getState(sender.doc.store, sender.doc.clientID) });
	});
	// The kill lands mid-stream: the last edits are on the wire or in the server's queue.
	await server.kill();
	const acknowledged = edits.filter((e) =>
		ours
			? e.sender.storedClock >= e.clock
			: clients.some((c) => c !== e.sender && cardsMap(c.doc).has(e.id))
	);
	for (const c of clients) c.close();
	server = await start();
	const reader = new BenchClient(server.ready, room!);
	await reader.ready();
	await sleep(500);
	const lost = acknowledged.filter((e) => !cardsMap(reader.doc).has(e.id)).length;
	reader.close();
	await server.kill();
	return { acknowledged: acknowledged.length, lost };
}

/**
 * B8: `cycles` connect → sync → disconnect cycles on a few boards (`parallel` at a time), as a
 * school day of people opening and closing boards; the server's heap after a full GC, before
 * and after, with one editor keeping each board open so only per-connection leftovers count.
 */
export async function connectCycles(
	server: ServerHandle,
	options: { boards: number; cycles: number; parallel: number }
): Promise<{ driftPercent: number; before: number; after: number; unloadSeconds: number }> {
	const names = await rooms(server, options.boards);
	const keepers = await Promise.all(names.map((n) => connectAll(server.ready, n, 1)));
	for (const [i, [keeper]] of keepers.entries())
		addCards(keeper!.doc, 30, server.ready.actor, `b${i}-`);
	await sleep(1_000);
	// Warm up: the first connections allocate what every later one reuses (JIT, pools).
	const cycle = async (i: number) => {
		const client = new BenchClient(server.ready, names[i % names.length]!);
		await client.ready();
		client.close();
	};
	for (let i = 0; i < options.parallel * 5; i += options.parallel) {
		await Promise.all(Array.from({ length: options.parallel }, (_, j) => cycle(i + j)));
	}
	await sleep(1_000);
	const before = (await server.usage()).heapUsed;
	for (let i = 0; i < options.cycles; i += options.parallel) {
		await Promise.all(Array.from({ length: options.parallel }, (_, j) => cycle(i + j)));
	}
	// Closed sockets finish their close handshake, presence of the gone times out on the server side.
	await sleep(2_000);
	const after = (await server.usage()).heapUsed;
	// Unload delay: from the last socket's close until the server holds none of these boards.
	const loaded = () => server.call<number>('loaded', {});
	const heldBefore = await loaded();
	for (const [keeper] of keepers) keeper!.close();
	const closedAt = performance.now();
	let held = heldBefore;
	while (held > 0 && performance.now() - closedAt < 120_000) {
		await sleep(100);
		held = await loaded();
	}
	const unloadSeconds = held > 0 ? Infinity : (performance.now() - closedAt) / 1000;
	return { driftPercent: ((after - before) / before) * 100, before, after, unloadSeconds };
}

export interface ResyncResult {
	/** Sockets open before the restart. */
	clients: number;
	/** SIGKILL -> the restarted server listening (its process start and database open). */
	restartMs: number;
	/** The restarted server listening -> the last client resynced (backoff included). */
	allResyncedMs: number;
	/** Per client: its successful connection attempt began -> it was resynced. */
	p50: number;
	p99: number;
	/** Clients not resynced within `dropAfterMs` of the server listening again. */
	dropped: number;
	/** Clients the restarted server answered without the board's acknowledged marker edit. */
	markersLost: number;
}

/**
 * B6: `boards` boards with `clients` clients each, all synced, each board with a marker card
 * its server acknowledged as stored (our `saved`). Then the server is SIGKILLed and restarted
 * by `start(port)` on the same storage and port, while every client reconnects with the app's
 * own jittered back-off (src/lib/sync/reconnect.ts). A client is resynced once its new socket
 * finished the first sync, the server's state vector (its sync step 1) covered the marker, and
 * a card added after the restart by the board's first resynced client arrived.
 */
export async function restartResync(
	start: (port: number) => Promise<ServerHandle>,
	options: {
		boards: number;
		clients: number;
		/** Sockets connected at a time while setting up (not measured). */
		batch: number;
		dropAfterMs: number;
		delay: (attempt: number) => number;
		/** Where the set-up is (it takes a while with thousands of sockets). */
		progress?: (line: string) => void;
	}
): Promise<ResyncResult> {
	let server = await start(0);
	const boards: BenchClient[][] = [];
	try {
		return await resync(server, boards, async (port) => (server = await start(port)), options);
	} finally {
		for (const c of boards.flat()) c.close();
		await server.kill();
	}
}

async function resync(
	first: ServerHandle,
	boards: BenchClient[][],
	restart: (port: number) => Promise<ServerHandle>,
	options: Parameters<typeof restartResync>[1]
): Promise<ResyncResult> {
	let server = first;
	const progress = options.progress ?? (() => {});
	const port = Number(new URL(server.ready.url).port);
	const names = await rooms(server, options.boards);
	progress(`${names.length} boards made`);
	const perBatch = Math.max(1, Math.floor(options.batch / options.clients));
	for (let i = 0; i < names.length; i += perBatch) {
		const batch = names
			.slice(i, i + perBatch)
			.map((name) =>
				Array.from(
					{ length: options.clients },
					() => new BenchClient(server.ready, name, { reconnect: options.delay })
				)
			);
		boards.push(...batch);
		await Promise.all(batch.flat().map((c) => c.ready()));
		const open = boards.flat();
		if (open.some((c) => !c.synced)) throw new Error('a client did not sync within 60 s');
		if (Math.floor(open.length / 1000) > Math.floor((open.length - batch.flat().length) / 1000))
			progress(`${open.length} clients synced`);
	}
	const all = boards.flat();
	const markers = boards.map(([first]) => {
		addCards(first!.doc, 1, server.ready.actor, 'before-');
		return {
			client: first!.doc.clientID,
			clock: Y.getState(first!.doc.store, first!.doc.clientID)
		};
	});
	await until(
		() =>
			boards.every(
				(cs, b) =>
					cs[0]!.storedClock >= markers[b]!.clock &&
					cs.every((c) => cardsMap(c.doc).has('before-0'))
			),
		120_000,
		'every marker stored and on every client'
	);

	progress('every marker stored; killing the server');
	const resyncedAt = new Map<BenchClient, number>();
	const perClient: number[] = [];
	const markersLost = new Set<BenchClient>();
	let restarted = false;
	for (const [b, clients] of boards.entries()) {
		let edited = false;
		for (const client of clients) {
			let markerOk = false;
			const check = () => {
				if (!restarted || resyncedAt.has(client) || !client.synced || !markerOk) return;
				if (!edited) {
					edited = true;
					addCards(client.doc, 1, server.ready.actor, 'after-');
				}
				if (!cardsMap(client.doc).has('after-0')) return;
				const now = performance.now();
				resyncedAt.set(client, now);
				perClient.push(now - client.attemptAt);
			};
			client.onServerState = (sv) => {
				if (!restarted) return;
				markerOk = (sv.get(markers[b]!.client) ?? 0) >= markers[b]!.clock;
				if (!markerOk) markersLost.add(client);
			};
			client.onSynced = check;
			client.onRemoteUpdate = check;
		}
	}

	// From here every sync step 1 comes from the restarted server (the killed one sends none).
	restarted = true;
	const killedAt = performance.now();
	await server.kill();
	server = await restart(port);
	const upAt = performance.now();
	progress(`listening again after ${Math.round(upAt - killedAt)} ms`);
	await until(() => resyncedAt.size === all.length, options.dropAfterMs, 'every client').catch(
		() => {}
	);
	// Where the time went: when the successful attempts began and when they were resynced,
	// both from the moment the server listened again (min/p10/p50/p90/p99/max, ms).
	const spread = (xs: number[]) =>
		[0, 10, 50, 90, 99, 100].map((p) => Math.round(percentile(xs, p))).join('/');
	progress(
		`attempts began ${spread(all.filter((c) => resyncedAt.has(c)).map((c) => c.attemptAt - upAt))}` +
			`, resynced ${spread([...resyncedAt.values()].map((t) => t - upAt))} ms after listening`
	);
	const last = Math.max(...resyncedAt.values());
	return {
		clients: all.length,
		restartMs: upAt - killedAt,
		allResyncedMs: resyncedAt.size === all.length ? last - upAt : Number.NaN,
		p50: percentile(perClient, 50),
		p99: percentile(perClient, 99),
		dropped: all.length - resyncedAt.size,
		markersLost: markersLost.size
	};
}
