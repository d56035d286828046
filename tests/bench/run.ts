/**
 * `npm run bench`: live-sync numbers against the real server and sockets (PGlite in memory).
 * Edit -> remote latency for 30 editors on one board, edit -> saved-ack latency, memory per
 * open 300-card board, cold open time, and how two position-storage patterns grow a board.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import * as Y from 'yjs';
import { startAppServer } from '../../server/app';
import { appendUpdates, loadBoardDoc } from '../../server/persistence';
import { loginToken, makeBoard, makeSchool, makeUser } from '../helpers/factories';
import { startTestRuntime } from '../helpers/runtime';
import { connectAckClient, eventually } from '../helpers/sync-client';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const rows: Array<[string, string]> = [];
const pct = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

function boardWithCards(n: number): Y.Doc {
	const doc = new Y.Doc();
	const cards = doc.getMap<Y.Map<unknown>>('cards');
	doc.transact(() => {
		for (let i = 0; i < n; i++) {
			const card = new Y.Map<unknown>();
			card.set('id', `card${i}`);
			card.set('title', `Actie ${i}: samen de check-in voorbereiden`);
			card.set('text', new Y.Text('Wie doet wat en wanneer; bespreken in de bordsessie.'));
			card.set('x', (i * 37) % 1200);
			card.set('y', (i * 53) % 800);
			card.set('color', 'yellow');
			cards.set(`card${i}`, card);
		}
	});
	return doc;
}

async function main() {
	// One login drives every editor here; the per-session socket cap (8) is for people, not the bench.
	const rt = await startTestRuntime('pglite', {
		SYNC_MAX_MESSAGES_PER_SECOND: '1000',
		SYNC_MAX_CONNECTIONS_PER_SESSION: '100'
	});
	const app = await startAppServer(rt.runtime, undefined, { port: 0, host: '127.0.0.1' });
	const db = rt.database.db;
	const s = await makeSchool(db);
	const u = await makeUser(db, s.id);
	const token = await loginToken(db, u);

	// 1. 30 editors on one board.
	const board = await makeBoard(db, s.id, { members: [[u.id, 'owner']] });
	const editors = Array.from({ length: 30 }, () => connectAckClient(app.url, board.id, token));
	await eventually(() => editors.every((e) => e.provider.synced), 30_000);
	const remote: number[] = [];
	const saved: number[] = [];
	for (let i = 0; i < 60; i++) {
		const sender = editors[i % editors.length]!;
		const key = `k${i}`;
		const t0 = performance.now();
		const seen = editors
			.filter((e) => e !== sender)
			.map(
				(e) =>
					new Promise<void>((resolve) => {
						const onUpdate = () => {
							if (e.doc.getMap('checkins').has(key)) {
								remote.push(performance.now() - t0);
								e.doc.off('update', onUpdate);
								resolve();
							}
						};
						e.doc.on('update', onUpdate);
					})
			);
		sender.doc.getMap('checkins').set(key, { name: key, value: 1, word: String(i), at: '' });
		const ack = eventually(() => sender.isSaved(), 10_000).then(() =>
			saved.push(performance.now() - t0)
		);
		await Promise.all([...seen, ack]);
	}
	rows.push(['edit -> remote, 30 editors, p50', ms(pct(remote, 50))]);
	rows.push(['edit -> remote, 30 editors, p99', ms(pct(remote, 99))]);
	rows.push(['edit -> saved ack, p50', ms(pct(saved, 50))]);
	rows.push(['edit -> saved ack, p99', ms(pct(saved, 99))]);
	for (const e of editors) e.destroy();

	// 2. Cold open and memory of 300-card boards.
	const big = boardWithCards(300);
	const state = Y.encodeStateAsUpdate(big);
	rows.push(['300-card board, stored size', `${(state.byteLength / 1024).toFixed(1)} KiB`]);
	const ids: string[] = [];
	for (let i = 0; i < 10; i++) {
		const b = await makeBoard(db, s.id, { members: [[u.id, 'owner']] });
		await appendUpdates(db, b.id, [state]);
		ids.push(b.id);
	}
	const cold: number[] = [];
	const openers = [];
	gc();
	const before = process.memoryUsage().heapUsed;
	for (const id of ids) {
		const t0 = performance.now();
		const c = connectAckClient(app.url, id, token);
		await eventually(() => c.provider.synced, 30_000);
		cold.push(performance.now() - t0);
		c.provider.disconnect();
		openers.push(c);
	}
	gc();
	const clientDocs = openers.length;
	// Rooms stay loaded (unload after SYNC_ROOM_UNLOAD_MS); subtract the client replicas.
	const clientHeap = (() => {
		gc();
		const h0 = process.memoryUsage().heapUsed;
		const docs = ids.map(() => {
			const d = new Y.Doc();
			Y.applyUpdate(d, state);
			return d;
		});
		gc();
		const per = (process.memoryUsage().heapUsed - h0) / docs.length;
		docs.forEach((d) => d.destroy());
		return per;
	})();
	const after = process.memoryUsage().heapUsed;
	const perRoom = (after - before) / ids.length - clientHeap;
	rows.push(['cold open (load + sync) 300 cards, p50', ms(pct(cold, 50))]);
	rows.push([
		'memory per open 300-card board (server)',
		`${(perRoom / 1024 / 1024).toFixed(2)} MiB`
	]);
	rows.push([
		'memory per 300-card Y.Doc (replica)',
		`${(clientHeap / 1024 / 1024).toFixed(2)} MiB`
	]);
	for (const c of openers.splice(0, clientDocs)) c.destroy();
	const { doc: loaded } = await loadBoardDoc(db, ids[0]!);
	loaded.destroy();

	// 3. Position storage patterns: 1000 moves of one card.
	const overwrite = boardWithCards(1);
	const card = overwrite.getMap<Y.Map<unknown>>('cards').get('card0')!;
	const base = Y.encodeStateAsUpdate(overwrite).byteLength;
	for (let i = 0; i < 1000; i++) {
		overwrite.transact(() => {
			card.set('x', i);
			card.set('y', i);
		});
	}
	const overwriteBytes = Y.encodeStateAsUpdate(overwrite).byteLength;
	const finalOnly = boardWithCards(1);
	const card2 = finalOnly.getMap<Y.Map<unknown>>('cards').get('card0')!;
	// Drag frames travel as awareness; only the drop is written: 20 drops of 50 frames each.
	for (let i = 0; i < 20; i++) {
		finalOnly.transact(() => {
			card2.set('x', i);
			card2.set('y', i);
		});
	}
	const finalBytes = Y.encodeStateAsUpdate(finalOnly).byteLength;
	const pushLog = boardWithCards(1);
	const moves = pushLog.getArray<number>('moves');
	for (let i = 0; i < 1000; i++) moves.push([i, i]);
	const pushBytes = Y.encodeStateAsUpdate(pushLog).byteLength;
	rows.push(['card, empty board (bytes)', String(base)]);
	rows.push([
		'1000 moves, overwrite x/y keys every frame',
		`${overwriteBytes} B (+${overwriteBytes - base})`
	]);
	rows.push([
		'1000 frames as awareness, 20 drops written',
		`${finalBytes} B (+${finalBytes - base})`
	]);
	rows.push(['1000 moves appended to a Y.Array', `${pushBytes} B (+${pushBytes - base})`]);

	await app.close();
	await rt.close();
	const width = Math.max(...rows.map(([k]) => k.length));
	console.log('\nGroeibord sync bench (PGlite, in-process server, real sockets)\n');
	for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
	process.exit(0);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
