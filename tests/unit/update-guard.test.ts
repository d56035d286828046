/**
 * The update guard on its own (server/update-guard.ts): what it accepts lands as any update
 * does; what it refuses is reverted, never relayed, and leaves nothing kept in memory.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UpdateGuard, emptyPending } from '../../server/update-guard';
import { capabilitiesOf } from '../../src/lib/board/capabilities';
import type { RuleContext } from '../../src/lib/board/update-rules';
import { addCard, cardsMap, deleteCard, getCard, moveCard } from '../../src/lib/board/verbeterbord';

const editorRules: RuleContext = {
	kind: 'verbeterbord',
	caps: capabilitiesOf('editor'),
	actorKey: 'staff:mentor'
};
const viewerRules: RuleContext = { ...editorRules, caps: capabilitiesOf('viewer') };

/** A room holding one card by the mentor, a guard on it, and what the room relays. */
function room() {
	const doc = new Y.Doc();
	const guard = new UpdateGuard(doc);
	const relayed: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array, _origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
		if (!guard.suppresses(tr)) relayed.push(update);
	});
	const mentor = new Y.Doc();
	const added = addCard(mentor, { type: 'ideas', title: 'Samen plannen' }, null, {
		createdBy: 'staff:mentor',
		createdByName: 'Mentor',
		id: 'card1'
	});
	if (!added.ok) throw new Error('card not added');
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(mentor));
	relayed.length = 0;
	return { doc, guard, relayed, mentor };
}

/** The next change `edit` makes on a replica of `doc`, as the update a client would send. */
function clientUpdate(doc: Y.Doc, edit: (replica: Y.Doc) => void): Uint8Array {
	const replica = new Y.Doc();
	Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
	const before = Y.encodeStateVector(replica);
	edit(replica);
	return Y.encodeStateAsUpdate(replica, before);
}

function keptItems(doc: Y.Doc): number {
	let kept = 0;
	for (const structs of doc.store.clients.values()) {
		for (const struct of structs) if (struct instanceof Y.Item && struct.keep) kept++;
	}
	return kept;
}

describe('update guard', () => {
	it('applies and relays an allowed change, keeping nothing for an undo', () => {
		const { doc, guard, relayed } = room();
		const update = clientUpdate(doc, (r) => {
			moveCard(r, 'card1', { area: 'concerns', beforeId: null });
		});
		expect(guard.apply(update, {}, editorRules, emptyPending())).toEqual({ ok: true });
		expect(getCard(doc, 'card1')?.type).toBe('concerns');
		expect(relayed).toHaveLength(1);
		expect(keptItems(doc)).toBe(0);
	});

	it('refuses a deletion the role may not make: the card is back, nothing is relayed but the repair, nothing stays kept', () => {
		const { doc, guard, relayed, mentor } = room();
		const update = clientUpdate(doc, (r) => deleteCard(r, 'card1'));
		const result = guard.apply(update, {}, viewerRules, emptyPending());
		expect(result.ok).toBe(false);
		expect(getCard(doc, 'card1')?.title).toBe('Samen plannen');
		expect(relayed).toEqual([]);
		expect(keptItems(doc)).toBe(0);
		// The repair brings a replica that took the deletion back to the room's state.
		if (result.ok || !result.repair) throw new Error('expected a repair');
		Y.applyUpdate(mentor, update);
		Y.applyUpdate(mentor, result.repair);
		expect(getCard(mentor, 'card1')?.title).toBe('Samen plannen');
	});

	it('refuses a card that breaks the schema and collects its content', () => {
		const { doc, guard } = room();
		const marker = 'GEWEIGERD-MARKER-7731';
		const update = clientUpdate(doc, (r) => {
			// What a tampered client could send: a card in an area no board has.
			const card = new Y.Map<string>();
			card.set('type', 'no-such-area');
			card.set('title', marker);
			(cardsMap(r) as unknown as Y.Map<Y.Map<string>>).set('bad', card);
		});
		expect(guard.apply(update, {}, editorRules, emptyPending()).ok).toBe(false);
		expect(cardsMap(doc).has('bad')).toBe(false);
		const bytes = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('latin1');
		expect(bytes.includes(marker)).toBe(false);
		expect(keptItems(doc)).toBe(0);
	});

	it('after a refusal, the next connection is judged on its own and its change stands', () => {
		const { doc, guard, relayed } = room();
		const refused = clientUpdate(doc, (r) => deleteCard(r, 'card1'));
		expect(guard.apply(refused, {}, viewerRules, emptyPending()).ok).toBe(false);
		const allowed = clientUpdate(doc, (r) => {
			moveCard(r, 'card1', { area: 'concerns', beforeId: null });
		});
		expect(guard.apply(allowed, {}, editorRules, emptyPending())).toEqual({ ok: true });
		expect(getCard(doc, 'card1')?.type).toBe('concerns');
		expect(relayed).toHaveLength(1);
		expect(keptItems(doc)).toBe(0);
	});
});
