/**
 * `npm run bench`, part 1: the side-by-side bench of issue 13. The same workloads run against
 * our server (PGlite, and PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set), the
 * reference y-websocket server, Hocuspocus with its database extension, and a raw `ws` relay,
 * each in turn as a child process pinned to core 0 while this load generator runs on core 1.
 * Prints one table (median of BENCH_RUNS runs) with ratios; `--write-results` or BENCH_WRITE=1
 * also rewrites the table in tests/bench/RESULTS.md.
 *
 * Knobs (environment): BENCH_QUICK=1 (≤ 2 min), BENCH_RUNS, BENCH_SECONDS (per B1 rate),
 * BENCH_EDITORS, BENCH_CARDS, BENCH_B4_BOARDS, BENCH_B4_EDITS, BENCH_B5_BOARDS, BENCH_B5_ROWS,
 * BENCH_B11_BOARDS, BENCH_B11_EDITORS, BENCH_B11_RATE, BENCH_B11_SECONDS, BENCH_B7_RATE,
 * BENCH_B7_SECONDS, BENCH_B8_CYCLES, BENCH_B9_EDITS, BENCH_B9_RATE, BENCH_ONLY (comma-separated
 * B1,B3,...), BENCH_TARGETS (comma-separated parts of server names: ours,relay), BENCH_RATES
 * (B1 and B10, per s), BENCH_PROFILE=<dir> (a V8 CPU profile of our server per run, see spawn.ts),
 * BENCH_NODE_FLAGS (extra node/V8 flags for every server, e.g. --trace-deopt).
 *
 * B2 (one run per target, not BENCH_RUNS): B1's board and editors, the rate raised from
 * BENCH_B2_START (100 edits/s) by BENCH_B2_FACTOR (1.5) per step of BENCH_B2_SECONDS (3; quick
 * 2) until p99 > 50 ms or a delivery goes missing (twice in a row), or BENCH_B2_MAX_RATE
 * (5,000) is passed.
 * B10 (ours on PostgreSQL only; skipped without BENCH_DATABASE_URL / TEST_DATABASE_URL or when
 * Redis at BENCH_REDIS_URL, default redis://127.0.0.1:6379, does not answer): two instances of
 * our server on one fresh database and one Redis (a key prefix of their own), both pinned to
 * core 0 like every server here; B1 at BENCH_RATES on instance A alone, then with the editors
 * alternating between A and B, in the same run.
 * B6 (ours only): BENCH_B6_BOARDS (500; quick 50) boards × BENCH_B6_CLIENTS (15; quick 10)
 * reconnecting clients, connected BENCH_B6_BATCH (200) sockets at a time; the server is
 * SIGKILLed and restarted on the same storage (file-backed PGlite or a fresh PostgreSQL
 * database) and port; a client not resynced 30 s after the restart counts as dropped.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { reconnectDelay } from '../../src/lib/sync/reconnect';
import { canPin, pinSelf, startServer, type ServerHandle } from './spawn';
import { best, fmt, median, ratio } from './stats';
import {
	boardMemory,
	coldOpen,
	connectCycles,
	editLatency,
	editorsOnBoard,
	killLoss,
	meetingStorage,
	presenceCost,
	restartResync,
	savedAck,
	type LatencyResult
} from './workloads';

const quick = process.env.BENCH_QUICK === '1';
const knob = (name: string, normal: number, fast: number) =>
	Number(process.env[name] ?? (quick ? fast : normal));
const RUNS = knob('BENCH_RUNS', 3, 1);
const SECONDS = knob('BENCH_SECONDS', 4, 2);
/**
 * Seconds of untimed edits at the measured rate before each B1/B10 measurement (and at B2's
 * first rate), for every server alike: a server runs for days, so its steady state is what
 * counts, not the first seconds in which V8 still compiles its hot paths (in a profile of
 * ours, optimising compiles were a seventh of the server's CPU in the first ten seconds at
 * 100 edits/s).
 */
const WARMUP_SECONDS = knob('BENCH_WARMUP_SECONDS', 5, 1);
const EDITORS = knob('BENCH_EDITORS', 30, 30);
const CARDS = knob('BENCH_CARDS', 30, 30);
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim().toUpperCase());
const runs = (id: string) => !only || only.includes(id);
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** B2 stops at the first step whose p99 is above this (issue 13). */
const B2_P99_LIMIT_MS = 50;

interface Target {
	name: string;
	module: string;
	env: Record<string, string | undefined>;
	ours: boolean;
}
const allTargets: Target[] = [
	{ name: 'ours (PGlite)', module: 'ours.ts', env: { BENCH_DATABASE_URL: '' }, ours: true },
	...(pgUrl
		? [
				{
					name: 'ours (PostgreSQL)',
					module: 'ours.ts',
					env: { BENCH_DATABASE_URL: pgUrl },
					ours: true
				}
			]
		: []),
	{ name: 'y-websocket', module: 'y-websocket.ts', env: {}, ours: false },
	{
		name: pgUrl ? 'Hocuspocus (PostgreSQL)' : 'Hocuspocus (PGlite)',
		module: 'hocuspocus.ts',
		env: { BENCH_DATABASE_URL: pgUrl ?? '' },
		ours: false
	},
	{ name: 'ws relay', module: 'relay.ts', env: {}, ours: false }
];
const pick = process.env.BENCH_TARGETS?.toLowerCase().split(',');
const targets = allTargets.filter(
	(t) => !pick || pick.some((p) => t.name.toLowerCase().includes(p))
);
const RATES = (process.env.BENCH_RATES ?? '20,100').split(',').map(Number);
const isReference = (t: Target) => !t.ours && t.module !== 'relay.ts';

/** metric id -> target name -> values of each run */
const results = new Map<string, Map<string, number[]>>();
function record(metric: string, target: string, value: number) {
	const byTarget = results.get(metric) ?? new Map<string, number[]>();
	results.set(metric, byTarget);
	byTarget.set(target, [...(byTarget.get(target) ?? []), value]);
}
const value = (metric: string, target: string) => median(results.get(metric)?.get(target) ?? []);

/** A database of its own next to `base` (same server), dropped by `drop`. */
async function freshDatabase(base: string): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `groeibord_bench_${process.pid}_${Date.now()}`;
	const admin = postgres(base, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	const url = new URL(base);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			const again = postgres(base, { max: 1, onnotice: () => {} });
			await again.unsafe(`drop database if exists ${name} with (force)`);
			await again.end();
		}
	};
}

/** Whether Redis at `url` answers a PING within two seconds. */
async function redisAnswers(url: string): Promise<boolean> {
	const redis = new Redis(url, {
		lazyConnect: true,
		connectTimeout: 2_000,
		maxRetriesPerRequest: 0,
		retryStrategy: () => null
	});
	redis.on('error', () => {});
	try {
		await redis.connect();
		await redis.ping();
		return true;
	} catch {
		return false;
	} finally {
		redis.disconnect();
	}
}

/** Remove the streams a B10 run left under `prefix`. */
async function clearRedis(url: string, prefix: string): Promise<void> {
	const redis = new Redis(url, { maxRetriesPerRequest: 1 });
	redis.on('error', () => {});
	try {
		const keys = await redis.keys(`${prefix}*`);
		if (keys.length > 0) await redis.del(...keys);
	} finally {
		redis.disconnect();
	}
}

/** B1's measurement on a new board whose editors are spread over `servers`. */
async function latencyOn(servers: ServerHandle[], rate: number): Promise<LatencyResult> {
	const board = await editorsOnBoard(servers, { editors: EDITORS, cards: CARDS });
	try {
		await board.warmUp(rate, Math.round(rate * WARMUP_SECONDS));
		return await board.measure(rate, SECONDS);
	} finally {
		board.close();
	}
}

/** Log a B2 step; why it fails the ceiling (p99 over the limit, deliveries missing), or null. */
function b2Failure(r: LatencyResult, rate: number, target: string): string | null {
	console.log(
		`  B2 ${target} ${rate}/s: sent ${fmt(r.editsPerSecond, 0)}/s, p99 ${fmt(r.p99, 1)} ms, ` +
			`${fmt(r.deliveriesPerSecond, 0)} deliveries/s, ${r.missing} missing, server CPU ` +
			`${fmt(r.cpuSeconds, 2)} s, load generator ${fmt(r.generatorCores * 100, 0)} % of a core`
	);
	if (r.p99 > B2_P99_LIMIT_MS) return `p99 ${fmt(r.p99, 1)} ms at ${rate}/s`;
	if (r.missing > 0) return `${r.missing} deliveries missing at ${rate}/s`;
	return null;
}

/** Run `fn` on a fresh server; a server that fails (to start) leaves its cells empty. */
async function withServer<T>(t: Target, fn: (s: ServerHandle) => Promise<T>): Promise<T | null> {
	let server: ServerHandle | undefined;
	try {
		server = await startServer(t.name, t.module, t.env);
		return await fn(server);
	} catch (error) {
		console.error(`  ${t.name}: ${String(error)}`);
		return null;
	} finally {
		await server?.kill();
	}
}

async function main() {
	const started = Date.now();
	pinSelf();
	const log = (s: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${s}`);

	if (runs('B1')) {
		for (let run = 1; run <= RUNS; run++) {
			for (const t of targets) {
				// One server per run and target; each rate gets a board of its own.
				await withServer(t, async (server) => {
					for (const rate of RATES) {
						const r = await editLatency(server, {
							editors: EDITORS,
							cards: CARDS,
							rate,
							seconds: SECONDS,
							warmUpEdits: Math.round(rate * WARMUP_SECONDS)
						});
						record(`B1 ${rate}/s p50`, t.name, r.p50);
						record(`B1 ${rate}/s p99`, t.name, r.p99);
						record(`B1 ${rate}/s CPU µs/delivery`, t.name, r.cpuPerDelivery);
						record(`B1 ${rate}/s deliveries missing`, t.name, r.missing);
						log(
							`B1 run ${run} ${t.name} ${rate}/s: p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, ` +
								`${r.samples} deliveries, ${r.missing} missing`
						);
					}
				});
			}
		}
	}

	if (runs('B2')) {
		const seconds = knob('BENCH_B2_SECONDS', 3, 2);
		const first = knob('BENCH_B2_START', 100, 100);
		const factor = knob('BENCH_B2_FACTOR', 1.5, 1.5);
		const maxRate = knob('BENCH_B2_MAX_RATE', 5_000, 5_000);
		for (const t of targets) {
			await withServer(t, async (server) => {
				// One board for every step: B1's 30 editors, warmed up once.
				const board = await editorsOnBoard([server], { editors: EDITORS, cards: CARDS });
				let sustained: LatencyResult | null = null;
				let stop = `reached ${maxRate} edits/s`;
				try {
					await board.warmUp(first, Math.round(first * WARMUP_SECONDS));
					for (
						let rate = first;
						rate <= maxRate;
						rate = Math.max(rate + 1, Math.round(rate * factor))
					) {
						// A step fails only twice in a row: one pause (a GC, a neighbour) is not a limit.
						let r = await board.measure(rate, seconds);
						let over = b2Failure(r, rate, t.name);
						if (over) {
							r = await board.measure(rate, seconds);
							over = b2Failure(r, rate, t.name);
						}
						if (over) {
							// A saturated generator delays deliveries itself: then the server's limit lies higher.
							stop = r.generatorCores > 0.9 ? `${over} (load generator saturated)` : over;
							break;
						}
						sustained = r;
					}
				} finally {
					board.close();
				}
				record('B2 sustained deliveries/s', t.name, sustained?.deliveriesPerSecond ?? Number.NaN);
				record(
					'B2 deliveries/s per core',
					t.name,
					sustained ? sustained.samples / Math.max(1e-6, sustained.cpuSeconds) : Number.NaN
				);
				log(
					`B2 ${t.name}: ${fmt(sustained?.deliveriesPerSecond ?? Number.NaN, 0)} deliveries/s sustained ` +
						`at ${fmt(sustained?.editsPerSecond ?? Number.NaN, 0)} edits/s; stopped: ${stop}`
				);
			});
		}
	}

	if (runs('B10')) {
		const t = targets.find((x) => x.ours && x.env.BENCH_DATABASE_URL);
		if (!t) {
			log(
				'B10 skipped: two instances need one PostgreSQL database (BENCH_DATABASE_URL or ' +
					'TEST_DATABASE_URL, and the PostgreSQL target selected); PGlite belongs to one process'
			);
		} else if (!(await redisAnswers(redisUrl))) {
			log(`B10 skipped: Redis at ${redisUrl} does not answer (BENCH_REDIS_URL)`);
		} else {
			for (let run = 1; run <= RUNS; run++) {
				const db = await freshDatabase(t.env.BENCH_DATABASE_URL!);
				const dir = mkdtempSync(path.join(os.tmpdir(), 'groeibord-b10-'));
				const prefix = `groeibord-bench:${process.pid}-${run}:`;
				// One directory: instance B takes A's school, login and boards (servers/ours.ts).
				const env = {
					...t.env,
					BENCH_DATABASE_URL: db.url,
					BENCH_STATE_DIR: dir,
					BENCH_FANOUT_REDIS_URL: redisUrl,
					BENCH_FANOUT_PREFIX: prefix
				};
				let a: ServerHandle | undefined;
				let b: ServerHandle | undefined;
				try {
					a = await startServer(`${t.name} A`, t.module, env);
					b = await startServer(`${t.name} B`, t.module, env);
					for (const rate of RATES) {
						const one = await latencyOn([a], rate);
						const two = await latencyOn([a, b], rate);
						record(`B10 ${rate}/s p99 one instance`, t.name, one.p99);
						record(`B10 ${rate}/s p99 two, same instance`, t.name, two.sameP99);
						record(`B10 ${rate}/s p99 two, cross instance`, t.name, two.crossP99);
						record(`B10 ${rate}/s added p99 (cross − one)`, t.name, two.crossP99 - one.p99);
						record(`B10 ${rate}/s deliveries missing`, t.name, one.missing + two.missing);
						log(
							`B10 run ${run} ${rate}/s: one instance p99 ${fmt(one.p99, 2)} ms; two instances p99 ` +
								`same ${fmt(two.sameP99, 2)} ms, cross ${fmt(two.crossP99, 2)} ms ` +
								`(${one.missing + two.missing} missing)`
						);
					}
				} catch (error) {
					console.error(`  B10 ${t.name}: ${String(error)}`);
				} finally {
					await b?.kill();
					await a?.kill();
					await db.drop();
					rmSync(dir, { recursive: true, force: true });
					await clearRedis(redisUrl, prefix).catch(() => {});
				}
			}
		}
	}

	// B11 is about PostgreSQL; without it, ours on PGlite stands in (and the table says so).
	const durable = targets.find((x) => x.ours && (!pgUrl || x.env.BENCH_DATABASE_URL));
	if (runs('B11') && durable) {
		const t = durable;
		await withServer(t, async (server) => {
			const r = await savedAck(server, {
				boards: knob('BENCH_B11_BOARDS', 200, 40),
				editors: knob('BENCH_B11_EDITORS', 5, 5),
				cards: 10,
				rate: knob('BENCH_B11_RATE', 200, 100),
				seconds: knob('BENCH_B11_SECONDS', 8, 4)
			});
			record('B11 saved-ack p50', t.name, r.p50);
			record('B11 saved-ack p99', t.name, r.p99);
			log(`B11 ${t.name}: p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, ${r.missing} unacked`);
		});
	}

	if (runs('B5')) {
		for (const t of targets.filter((x) => x.ours)) {
			await withServer(t, async (server) => {
				const r = await coldOpen(server, {
					boards: knob('BENCH_B5_BOARDS', 30, 10),
					cards: 300,
					rows: knob('BENCH_B5_ROWS', 500, 500)
				});
				record('B5 cold open p50', t.name, r.p50);
				record('B5 cold open p99', t.name, r.p99);
				log(`B5 ${t.name}: p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms`);
			});
		}
	}

	if (runs('B4')) {
		for (const t of targets.filter((x) => x.module !== 'relay.ts')) {
			await withServer(t, async (server) => {
				const r = await boardMemory(server, {
					boards: knob('BENCH_B4_BOARDS', 60, 20),
					cards: 300,
					edits: knob('BENCH_B4_EDITS', 10_000, 2_000),
					// Our rooms rest after SYNC_ROOM_REST_MS (30 s by default) unchanged.
					restWaitMs: t.ours ? knob('BENCH_B4_REST_WAIT_MS', 32_000, 32_000) : 0
				});
				record('B4 MiB per board, fresh, active', t.name, r.fresh.activeMiB);
				record('B4 MiB per board, fresh, unchanged 32 s', t.name, r.fresh.unchangedMiB);
				record('B4 MiB per board, edited, active', t.name, r.edited.activeMiB);
				record('B4 MiB per board, edited, unchanged 32 s', t.name, r.edited.unchangedMiB);
				record('B4 boards per GB, fresh, active', t.name, r.fresh.activePerGB);
				record('B4 boards per GB, fresh, unchanged 32 s', t.name, r.fresh.unchangedPerGB);
				record('B4 boards per GB, edited, active', t.name, r.edited.activePerGB);
				record('B4 boards per GB, edited, unchanged 32 s', t.name, r.edited.unchangedPerGB);
				log(
					`B4 ${t.name}: boards/GB fresh ${fmt(r.fresh.activePerGB, 0)} active, ${fmt(r.fresh.unchangedPerGB, 0)} unchanged; edited ${fmt(r.edited.activePerGB, 0)} active, ${fmt(r.edited.unchangedPerGB, 0)} unchanged`
				);
			});
		}
	}

	if (runs('B7')) {
		for (const t of targets.filter((x) => x.module !== 'relay.ts')) {
			const dir = mkdtempSync(path.join(os.tmpdir(), 'groeibord-b7-'));
			// On PostgreSQL: one database of its own, kept across the restart.
			const db = t.env.BENCH_DATABASE_URL ? await freshDatabase(t.env.BENCH_DATABASE_URL) : null;
			const env = { ...t.env, BENCH_STATE_DIR: dir, ...(db ? { BENCH_DATABASE_URL: db.url } : {}) };
			try {
				const r = await killLoss(() => startServer(t.name, t.module, env), {
					editors: 5,
					rate: knob('BENCH_B7_RATE', 100, 50),
					seconds: knob('BENCH_B7_SECONDS', 3, 2)
				});
				record('B7 acknowledged edits lost', t.name, r.lost);
				log(`B7 ${t.name}: ${r.lost} of ${r.acknowledged} acknowledged edits lost`);
			} catch (error) {
				console.error(`  ${t.name}: ${String(error)}`);
			} finally {
				await db?.drop();
				rmSync(dir, { recursive: true, force: true });
			}
		}
	}

	if (runs('B6')) {
		const boards = knob('BENCH_B6_BOARDS', 500, 50);
		const clients = knob('BENCH_B6_CLIENTS', 15, 10);
		for (const t of targets.filter((x) => x.ours)) {
			// Storage that survives the kill: a file-backed PGlite, or a PostgreSQL database of its own.
			const dir = mkdtempSync(path.join(os.tmpdir(), 'groeibord-b6-'));
			const db = t.env.BENCH_DATABASE_URL ? await freshDatabase(t.env.BENCH_DATABASE_URL) : null;
			const env = { ...t.env, BENCH_STATE_DIR: dir, ...(db ? { BENCH_DATABASE_URL: db.url } : {}) };
			try {
				const r = await restartResync(
					(port) => startServer(t.name, t.module, { ...env, BENCH_PORT: String(port) }),
					{
						boards,
						clients,
						batch: knob('BENCH_B6_BATCH', 200, 200),
						dropAfterMs: 30_000,
						delay: (attempt) => reconnectDelay(attempt),
						progress: (line) => log(`B6 ${t.name}: ${line}`)
					}
				);
				record('B6 all resynced ms (after restart)', t.name, r.allResyncedMs);
				record('B6 per-client resync p99 ms', t.name, r.p99);
				record('B6 clients dropped', t.name, r.dropped);
				record('B6 acknowledged markers missing', t.name, r.markersLost);
				log(
					`B6 ${t.name}: ${r.clients} clients on ${boards} boards; SIGKILL → listening again ` +
						`${fmt(r.restartMs, 0)} ms; all resynced ${fmt(r.allResyncedMs, 0)} ms later; per client ` +
						`p50 ${fmt(r.p50, 0)} ms, p99 ${fmt(r.p99, 0)} ms; ${r.dropped} dropped, ` +
						`${r.markersLost} without the marker`
				);
			} catch (error) {
				console.error(`  B6 ${t.name}: ${String(error)}`);
			} finally {
				await db?.drop();
				rmSync(dir, { recursive: true, force: true });
			}
		}
	}

	if (runs('B8')) {
		for (const t of targets.filter((x) => x.module !== 'relay.ts')) {
			// With the app's own unload delay (the other workloads keep rooms for the whole run).
			const withDefaults = { ...t, env: { ...t.env, BENCH_ROOM_UNLOAD_MS: 'default' } };
			await withServer(withDefaults, async (server) => {
				const r = await connectCycles(server, {
					boards: 10,
					cycles: knob('BENCH_B8_CYCLES', 10_000, 1_000),
					parallel: 20
				});
				record('B8 heap drift % after connect cycles', t.name, r.driftPercent);
				record('B8 unload delay s', t.name, r.unloadSeconds);
				log(
					`B8 ${t.name}: heap ${fmt(r.before / 1024 ** 2, 1)} → ${fmt(r.after / 1024 ** 2, 1)} MiB (${fmt(r.driftPercent, 1)} %), ` +
						`boards unloaded: ${fmt(r.unloadSeconds, 1)} (s after the last close, within 120 s)`
				);
			});
		}
	}

	if (runs('B9')) {
		// Only servers that store something: ours and Hocuspocus (y-websocket keeps memory only).
		for (const t of targets.filter((x) => x.ours || x.module === 'hocuspocus.ts')) {
			await withServer(t, async (server) => {
				const r = await meetingStorage(server, {
					editors: 10,
					cards: 40,
					edits: knob('BENCH_B9_EDITS', 3_600, 600),
					rate: knob('BENCH_B9_RATE', 200, 200)
				});
				record('B9 stored bytes ÷ board size', t.name, r.ratio);
				log(
					`B9 ${t.name}: ${r.storedBytes} bytes stored for a board of ${r.boardBytes} (${fmt(r.ratio, 2)}×)`
				);
			});
		}
	}

	if (runs('B3')) {
		for (const t of targets) {
			await withServer(t, async (server) => {
				const r = await presenceCost(server, { users: 30, hz: 10, seconds: SECONDS });
				record('B3 presence CPU µs/delivery', t.name, r.cpuPerDelivery);
				log(`B3 ${t.name}: ${fmt(r.cpuPerDelivery, 2)} µs per delivery (${r.deliveries})`);
			});
		}
	}

	const table = renderTable();
	console.log(`\n${table}\n`);
	console.log(`took ${((Date.now() - started) / 1000).toFixed(0)} s`);
	if (process.argv.includes('--write-results') || process.env.BENCH_WRITE === '1')
		writeResults(table);
}

/** What each metric must be for the target of issue 13 (ours vs the others). */
const goals: Record<string, (ours: number, ref: number, relay: number) => string> = {
	'B1 20/s p99': (o, r, w) => verdict(o <= 0.8 * r && o <= 1.5 * w, '≤ 0.8× ref, ≤ 1.5× relay'),
	'B1 100/s p99': (o, r, w) => verdict(o <= 0.8 * r && o <= 1.5 * w, '≤ 0.8× ref, ≤ 1.5× relay'),
	'B3 presence CPU µs/delivery': (o) => verdict(o <= 20, '≤ 20 µs'),
	'B4 boards per GB, fresh, unchanged 32 s': (o) => verdict(o >= 2000, '≥ 2,000'),
	'B4 boards per GB, edited, unchanged 32 s': (o) => verdict(o >= 1000, '≥ 1,000'),
	'B5 cold open p50': (o) => verdict(o <= 30, '≤ 30 ms'),
	'B5 cold open p99': (o) => verdict(o <= 100, '≤ 100 ms'),
	'B7 acknowledged edits lost': (o) => verdict(o === 0, '0'),
	'B8 heap drift % after connect cycles': (o) => verdict(o <= 5, '≤ 5 %'),
	'B8 unload delay s': (o) => verdict(o <= 60, '≤ 60 s'),
	'B9 stored bytes ÷ board size': (o) => verdict(o <= 3, '≤ 3×'),
	'B11 saved-ack p99': (o) => verdict(o <= 25, '≤ 25 ms'),
	'B2 deliveries/s per core': (o) => verdict(o >= 50_000, '≥ 50,000'),
	'B6 all resynced ms (after restart)': (o) => verdict(o <= 10_000, '≤ 10 s'),
	'B6 per-client resync p99 ms': (o) => verdict(o <= 2_000, '≤ 2 s'),
	'B6 clients dropped': (o) => verdict(o === 0, '0'),
	'B6 acknowledged markers missing': (o) => verdict(o === 0, '0'),
	...Object.fromEntries(
		RATES.map((rate) => [
			`B10 ${rate}/s added p99 (cross − one)`,
			(o: number) => verdict(o <= 3, '≤ +3 ms')
		])
	)
};
function verdict(met: boolean, target: string) {
	return `${target}: ${met ? 'met' : 'NOT met'}`;
}

function renderTable(): string {
	const names = targets.map((t) => t.name);
	const head = ['metric', ...names, 'ours ÷ better ref', 'ours ÷ relay', 'target (worst of ours)'];
	const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
	for (const [metric, byTarget] of results) {
		const higherIsBetter = metric.includes('per GB') || metric.includes('deliveries/s');
		const refs = targets.filter(isReference).map((t) => value(metric, t.name));
		const ref = higherIsBetter ? -best(refs.map((v) => -v)) : best(refs);
		const relay = value(metric, 'ws relay');
		const ours = targets.filter((t) => t.ours).map((t) => value(metric, t.name));
		const worst = Math.max(...ours.filter((v) => Number.isFinite(v)));
		// Higher is better for boards per GB and deliveries/s: the worst of ours is the lowest there.
		const worstOurs = higherIsBetter ? Math.min(...ours.filter((v) => Number.isFinite(v))) : worst;
		const decimals = higherIsBetter ? 0 : 2;
		const cells = [
			metric,
			...names.map((n) => (byTarget.has(n) ? fmt(value(metric, n), decimals) : '–')),
			ours.map((o) => fmt(ratio(o, ref), 2)).join(' / '),
			ours.map((o) => fmt(ratio(o, relay), 2)).join(' / '),
			goals[metric] && Number.isFinite(worstOurs) ? goals[metric]!(worstOurs, ref, relay) : ''
		];
		lines.push(`| ${cells.join(' | ')} |`);
	}
	return lines.join('\n');
}

function writeResults(table: string) {
	const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
	const text = readFileSync(file, 'utf8');
	const start = '<!-- bench:table -->';
	const end = '<!-- /bench:table -->';
	const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
	const header =
		`Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length}× ${cpu}, ` +
		`${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, Node ${process.version}` +
		`${canPin ? '' : ' (not pinned: no taskset)'}; ${RUNS} run(s), ${SECONDS} s per B1 rate` +
		`${quick ? ' (BENCH_QUICK)' : ''}.`;
	const before = text.split(start)[0]!;
	const after = text.split(end)[1] ?? '\n';
	writeFileSync(file, `${before}${start}\n${header}\n\n${table}\n${end}${after}`);
	console.log(`wrote ${file}`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	}
);
