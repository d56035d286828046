/**
 * CPU per incoming update in the sync server's update guard (server/update-guard.ts) against
 * applying the same update bare: the guard's own cost, without sockets, disk or scheduling in
 * the way. 30 cards of the real card model, one editor moving them (the B1 edit).
 *
 * Run: `npx tsx tests/bench/guard.ts` (part of `npm run bench`). Knobs: BENCH_GUARD_UPDATES
 * (default 6,000), BENCH_RUNS (default 5; the median is printed).
 */
import * as Y from 'yjs';
import { UpdateGuard, emptyPending } from '../../server/update-guard';
import { capabilitiesOf } from '../../src/lib/board/capabilities';
import type { RuleContext } from '../../src/lib/board/update-rules';
import { addCards, moveEdit } from './cards';

const UPDATES = Number(process.env.BENCH_GUARD_UPDATES ?? 6000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const editor = new Y.Doc();
addCards(editor, 30, 'staff:bench');
const base = Y.encodeStateAsUpdate(editor);
const updates: Uint8Array[] = [];
editor.on('update', (update: Uint8Array) => updates.push(update));
for (let i = 0; i < UPDATES; i++) moveEdit(editor, i);

const rules: RuleContext = {
	kind: 'verbeterbord',
	caps: capabilitiesOf('editor'),
	actorKey: 'staff:bench'
};

/** CPU µs per update, applying all of them to a fresh room document. */
function run(guarded: boolean): number {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, base);
	const guard = new UpdateGuard(doc);
	const origin = {};
	const pending = emptyPending();
	// A room listens for updates to relay them: that encoding is part of both columns.
	doc.on('update', () => {});
	const start = process.cpuUsage();
	for (const update of updates) {
		if (!guarded) {
			Y.applyUpdate(doc, update, origin);
			continue;
		}
		const result = guard.apply(update, origin, rules, pending);
		if (!result.ok) throw new Error(`refused: ${result.problem}`);
	}
	const used = process.cpuUsage(start);
	doc.destroy();
	return (used.user + used.system) / updates.length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
run(false);
run(true); // warm-up: the JIT, not the guard
const bare: number[] = [];
const guarded: number[] = [];
for (let i = 0; i < RUNS; i++) {
	bare.push(run(false));
	guarded.push(run(true));
}
const b = median(bare);
const g = median(guarded);
console.log(
	`\nUpdate guard, ${updates.length} card moves, median of ${RUNS} runs (CPU µs per update)`
);
console.log(`| applied bare | through the guard | guard's own cost | ratio |`);
console.log(`| ---: | ---: | ---: | ---: |`);
console.log(
	`| ${b.toFixed(1)} | ${g.toFixed(1)} | ${(g - b).toFixed(1)} | ${(g / b).toFixed(2)}× |`
);
