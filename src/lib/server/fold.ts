/**
 * Folding a board's history (its snapshot and log rows) into one update encoded from a
 * garbage-collected document: pure Yjs work of tens of milliseconds on a busy board. Inline, it
 * blocks the event loop, and with it every board of the process, each time a board compacts
 * (every SYNC_COMPACT_AFTER_UPDATES stored updates). So it runs in one worker thread, started on
 * the first fold; it keeps the process alive only while a fold is under way.
 *
 * The worker runs the same function (`foldInline`'s steps) on the same Yjs, so the bytes are the
 * same either way; when the worker cannot start or dies, the fold runs inline.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';

/** The history in order (snapshot first) as one update of a garbage-collected document. */
export function foldInline(parts: readonly Uint8Array[]): Uint8Array {
	const doc = new Y.Doc({ gc: true });
	doc.transact(() => {
		for (const part of parts) Y.applyUpdate(doc, part);
	});
	const data = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return data;
}

// Yjs's CommonJS build in the worker (an eval'd script is CommonJS): its own isolate, so no
// second copy of Yjs meets this one.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
parentPort.on('message', ({ id, parts }) => {
	try {
		const doc = new Y.Doc({ gc: true });
		doc.transact(() => { for (const part of parts) Y.applyUpdate(doc, part); });
		const data = Y.encodeStateAsUpdate(doc);
		doc.destroy();
		parentPort.postMessage({ id, data }, [data.buffer]);
	} catch (error) {
		parentPort.postMessage({ id, error: String((error && error.message) || error) });
	}
});
`;

interface Pending {
	resolve(data: Uint8Array): void;
	reject(error: Error): void;
}

let worker: Worker | null = null;
/** Set after the worker died this many times in a row without folding anything: stay inline. */
const MAX_DEATHS = 3;
let deaths = 0;
let unavailable = false;
let nextId = 0;
const pending = new Map<number, Pending>();

function failAll(error: Error): void {
	for (const p of pending.values()) p.reject(error);
	pending.clear();
}

function foldWorker(): Worker | null {
	if (worker || unavailable) return worker;
	try {
		const yjs = createRequire(import.meta.url).resolve('yjs');
		// No inherited flags: a loader of the parent's (tsx, Vite) has nothing to do in plain JS.
		const started = new Worker(workerSource, { eval: true, workerData: { yjs }, execArgv: [] });
		started.on('message', (msg: { id: number; data?: Uint8Array; error?: string }) => {
			const p = pending.get(msg.id);
			if (!p) return;
			pending.delete(msg.id);
			if (pending.size === 0) started.unref();
			deaths = 0;
			if (msg.data) p.resolve(msg.data);
			else p.reject(new FoldError(msg.error ?? 'fold failed'));
		});
		const gone = (error: Error) => {
			if (worker !== started) return;
			worker = null;
			if (++deaths >= MAX_DEATHS) unavailable = true;
			failAll(new WorkerGone(error.message));
		};
		started.on('error', gone);
		started.on('exit', (code) => gone(new Error(`fold worker exited (${code})`)));
		// After the listeners: adding a 'message' listener refs the worker again.
		started.unref();
		worker = started;
	} catch {
		unavailable = true;
	}
	return worker;
}

/** Yjs refused the history itself: inline would refuse it too. */
class FoldError extends Error {}
/** The worker died or never started: the fold is retried inline. */
class WorkerGone extends Error {}

/**
 * `foldInline` off the event loop. The parts are copied to the worker, so the caller's buffers
 * stay as they are.
 */
export async function foldHistory(parts: readonly Uint8Array[]): Promise<Uint8Array> {
	const w = foldWorker();
	if (!w) return foldInline(parts);
	const id = nextId++;
	try {
		return await new Promise<Uint8Array>((resolve, reject) => {
			pending.set(id, { resolve, reject });
			w.ref();
			w.postMessage({ id, parts });
		});
	} catch (error) {
		if (error instanceof WorkerGone) return foldInline(parts);
		throw error;
	}
}

/** Stop the worker (tests; a process exit does not wait for it anyway). */
export async function stopFoldWorker(): Promise<void> {
	const w = worker;
	worker = null;
	if (!w) return;
	failAll(new WorkerGone('fold worker stopped'));
	await w.terminate();
}
