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
 * BENCH_B11_BOARDS, BENCH_B11_EDITORS, BENCH_B11_RATE, BENCH_B11_SECONDS, BENCH_B7_RATE, BENCH_B7_SECONDS, BENCH_B8_CYCLES, BENCH_B9_EDITS, BENCH_B9_RATE, BENCH_ONLY (comma-separated B1,B3,...),
 * BENCH_TARGETS (comma-separated parts of server names: ours,relay), BENCH_RATES (B1, per s),
 * BENCH_PROFILE=<dir> (a V8 CPU profile of our server per run, see spawn.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { canPin, pinSelf, startServer, type ServerHandle } from './spawn';
import { best, fmt, median, ratio } from './stats';
import {
	boardMemory,
	coldOpen,
	connectCycles,
	editLatency,
	killLoss,
	meetingStorage,
	presenceCost,
	savedAck
} from './workloads';

const quick = process.env.BENCH_QUICK === '1';
const knob = (name: string, normal: number, fast: number) =>
	Number(process.env[name] ?? (quick ? fast : normal));
const RUNS = knob('BENCH_RUNS', 3, 1);
const SECONDS = knob('BENCH_SECONDS', 4, 2);
const EDITORS = knob('BENCH_EDITORS', 30, 30);
const CARDS = knob('BENCH_CARDS', 30, 30);
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim().toUpperCase());
const runs = (id: string) => !only || only.includes(id);
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

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
							seconds: SECONDS
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
					edits: knob('BENCH_B4_EDITS', 10_000, 2_000)
				});
				record('B4 MiB per board, fresh', t.name, r.freshMiB);
				record('B4 MiB per board, edited', t.name, r.editedMiB);
				record('B4 boards per GB, fresh', t.name, r.freshPerGB);
				record('B4 boards per GB, edited', t.name, r.editedPerGB);
				log(
					`B4 ${t.name}: ${fmt(r.freshPerGB, 0)} boards/GB fresh, ${fmt(r.editedPerGB, 0)} edited`
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
	'B4 boards per GB, fresh': (o) => verdict(o >= 2000, '≥ 2,000'),
	'B4 boards per GB, edited': (o) => verdict(o >= 1000, '≥ 1,000'),
	'B5 cold open p50': (o) => verdict(o <= 30, '≤ 30 ms'),
	'B5 cold open p99': (o) => verdict(o <= 100, '≤ 100 ms'),
	'B7 acknowledged edits lost': (o) => verdict(o === 0, '0'),
	'B8 heap drift % after connect cycles': (o) => verdict(o <= 5, '≤ 5 %'),
	'B8 unload delay s': (o) => verdict(o <= 60, '≤ 60 s'),
	'B9 stored bytes ÷ board size': (o) => verdict(o <= 3, '≤ 3×'),
	'B11 saved-ack p99': (o) => verdict(o <= 25, '≤ 25 ms')
};
function verdict(met: boolean, target: string) {
	return `${target}: ${met ? 'met' : 'NOT met'}`;
}

function renderTable(): string {
	const names = targets.map((t) => t.name);
	const head = ['metric', ...names, 'ours ÷ better ref', 'ours ÷ relay', 'target (worst of ours)'];
	const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
	for (const [metric, byTarget] of results) {
		const higherIsBetter = metric.includes('per GB');
		const refs = targets.filter(isReference).map((t) => value(metric, t.name));
		const ref = higherIsBetter ? -best(refs.map((v) => -v)) : best(refs);
		const relay = value(metric, 'ws relay');
		const ours = targets.filter((t) => t.ours).map((t) => value(metric, t.name));
		const worst = Math.max(...ours.filter((v) => Number.isFinite(v)));
		// Higher is better for boards per GB: the worst of ours is the lowest there.
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
