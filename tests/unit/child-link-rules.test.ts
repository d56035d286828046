/**
 * The sync rules for a child's device on a care meeting for several children: a device bound to
 * a child writes in that child's column only, and a device bound to no child (a child link with
 * no board_invite.student_id) writes in none: never the first child's by default.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { capabilitiesOf } from '../../src/lib/board/capabilities';
import { checkChanges, type EntryChange, type RuleContext } from '../../src/lib/board/update-rules';
import { cardsMap } from '../../src/lib/board/verbeterbord';
import { addWish } from '../../src/lib/board/zorgoverleg';

const NOOR = 'stu-noor';
const SEM = 'stu-sem';
const TABLET = 'session-tablet';

/** A new words card by the tablet, as the change the sync server judges. */
function newWish(child?: string): EntryChange {
	const doc = new Y.Doc();
	const added = addWish(doc, { title: 'Ik wil beter leren lezen', child }, null, {
		createdBy: TABLET,
		createdByName: 'Tablet',
		byChild: true
	});
	if (!added.ok) throw new Error('not added');
	const card = cardsMap(doc).get(added.value) as Y.Map<unknown>;
	const entries = Object.fromEntries(
		Object.entries(card.toJSON()).map(([k, value]) => [k, { kind: 'json' as const, value }])
	);
	return {
		root: 'cards',
		key: added.value,
		existedBefore: false,
		createdByBefore: null,
		after: { kind: 'map', entries }
	};
}

const rules = (child: string | null): RuleContext => ({
	kind: 'zorgoverleg',
	caps: capabilitiesOf('child'),
	actorKey: TABLET,
	children: [NOOR, SEM],
	child
});

describe('a child’s device on a care meeting for siblings', () => {
	it('bound to Sem: writes in Sem’s column, not in Noor’s, nor words naming no child', () => {
		expect(checkChanges([newWish(SEM)], rules(SEM)).ok).toBe(true);
		expect(checkChanges([newWish(NOOR)], rules(SEM)).ok).toBe(false);
		expect(checkChanges([newWish()], rules(SEM)).ok).toBe(false);
	});

	it('bound to no child: writes in no child’s column (not the first child’s by default)', () => {
		expect(checkChanges([newWish()], rules(null)).ok).toBe(false);
		expect(checkChanges([newWish(NOOR)], rules(null)).ok).toBe(false);
		expect(checkChanges([newWish(SEM)], rules(null)).ok).toBe(false);
	});

	it('staff still write a child’s words down for any child', () => {
		const staff: RuleContext = { ...rules(null), caps: capabilitiesOf('owner'), actorKey: 'mo' };
		const change = newWish(SEM);
		const entries = (change.after as { entries: Record<string, unknown> }).entries;
		entries.createdBy = { kind: 'json', value: 'mo' };
		entries.forChild = { kind: 'json', value: true };
		expect(checkChanges([change], staff).ok).toBe(true);
	});
});
