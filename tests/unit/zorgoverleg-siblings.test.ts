/**
 * A care meeting for several children of one family (issue 10: "a family with several children
 * may put them on one board, each with their own column"): the board logic, without a server.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { capabilitiesOf, type BoardRole } from '../../src/lib/board/capabilities';
import { eraseChildFromMeeting } from '../../src/lib/board/erasure';
import { makeParticipant, setParticipants } from '../../src/lib/board/participants';
import { checkChanges } from '../../src/lib/board/update-rules';
import { listCards } from '../../src/lib/board/verbeterbord';
import {
	addWish,
	buildMeetingRecord,
	childOfWish,
	childrenOf,
	recordForChild,
	recordWithoutChild,
	setMeetingCheckIn,
	startMeeting,
	wordsByChild
} from '../../src/lib/board/zorgoverleg';
import { changesOf } from '../helpers/doc-changes';

const NOOR = 'stu-noor';
const SEM = 'stu-sem';
const noorKey = `student:${NOOR}`;
const semKey = `student:${SEM}`;

/** A meeting for Noor and her brother Sem, as the server lists them (first child first). */
function familyMeeting(children = [NOOR, SEM]) {
	const doc = new Y.Doc();
	const names: Record<string, string> = { [NOOR]: 'Noor', [SEM]: 'Sem' };
	setParticipants(doc, [
		...children.map((id) => makeParticipant(`student:${id}`, names[id]!, 'child')),
		makeParticipant('mentor-1', 'Juf Anna', 'mentor')
	]);
	startMeeting(doc, null, new Date('2026-12-01T09:00:00Z'));
	return doc;
}

const byChild = (key: string) => ({ createdBy: key, createdByName: 'x', byChild: true });

function allowed(
	doc: Y.Doc,
	role: BoardRole,
	actorKey: string,
	change: (doc: Y.Doc) => void
): boolean {
	return checkChanges(changesOf(doc, change), {
		kind: 'zorgoverleg',
		caps: capabilitiesOf(role),
		actorKey,
		children: childrenOf(doc)
	}).ok;
}

describe('the children of a care meeting', () => {
	it('are the child participants the server listed, first child first', () => {
		expect(childrenOf(familyMeeting())).toEqual([NOOR, SEM]);
		expect(childrenOf(familyMeeting([NOOR]))).toEqual([NOOR]);
		expect(childrenOf(new Y.Doc())).toEqual([]);
	});

	it('a card without a child is the first child’s', () => {
		expect(childOfWish({}, [NOOR, SEM])).toBe(NOOR);
		expect(childOfWish({ child: SEM }, [NOOR, SEM])).toBe(SEM);
		expect(childOfWish({}, [])).toBeNull();
	});
});

describe('rules: each child writes in their own column', () => {
	it('a child through their own link writes their own words, not a sibling’s', () => {
		const doc = familyMeeting();
		const own = (d: Y.Doc) => addWish(d, { title: 'Ik wil', child: SEM }, null, byChild(semKey));
		const sibling = (d: Y.Doc) =>
			addWish(d, { title: 'Zij wil', child: NOOR }, null, byChild(semKey));
		// A card without a child is the first child's: Sem may not write it as his.
		const unnamed = (d: Y.Doc) => addWish(d, { title: 'Ik wil' }, null, byChild(semKey));
		expect(allowed(doc, 'child', semKey, own)).toBe(true);
		expect(allowed(doc, 'child', semKey, sibling)).toBe(false);
		expect(allowed(doc, 'child', semKey, unnamed)).toBe(false);
		expect(
			allowed(doc, 'child', noorKey, (d) => addWish(d, { title: 'Ik wil' }, null, byChild(noorKey)))
		).toBe(true);
	});

	it('staff write down any child’s words; nobody names a child who is not on the board', () => {
		const doc = familyMeeting();
		const staff = { createdBy: 'mentor-1', createdByName: 'Juf Anna', byChild: false };
		expect(
			allowed(doc, 'owner', 'mentor-1', (d) =>
				addWish(d, { title: 'Hij wil', child: SEM }, null, staff)
			)
		).toBe(true);
		expect(
			allowed(doc, 'owner', 'mentor-1', (d) =>
				addWish(d, { title: 'Wie?', child: 'stu-other' }, null, staff)
			)
		).toBe(false);
		// A meeting for one child has no columns to name.
		expect(
			allowed(familyMeeting([NOOR]), 'owner', 'mentor-1', (d) =>
				addWish(d, { title: 'Hij wil', child: SEM }, null, staff)
			)
		).toBe(false);
	});
});

describe('the record of a meeting for several children', () => {
	function held() {
		const doc = familyMeeting();
		setMeetingCheckIn(doc, noorKey, { name: 'Noor (kind)', value: 3 });
		setMeetingCheckIn(doc, semKey, { name: 'Sem (kind)', value: 1 });
		addWish(doc, { title: 'Noor thuis', visibility: 'family' }, null, byChild(noorKey));
		addWish(doc, { title: 'Sem hier', child: SEM }, null, byChild(semKey));
		addWish(doc, { title: 'Sem thuis', child: SEM, visibility: 'family' }, null, byChild(semKey));
		return buildMeetingRecord(doc, new Date('2026-12-01T10:00:00Z'));
	}

	it('says whose words each card is and lists the children', () => {
		const record = held();
		expect(record.children).toEqual([
			{ id: NOOR, name: 'Noor' },
			{ id: SEM, name: 'Sem' }
		]);
		expect(record.words.map((w) => [w.title, w.child])).toEqual([
			['Noor thuis', NOOR],
			['Sem hier', SEM],
			['Sem thuis', SEM]
		]);
		expect(wordsByChild(record).map((g) => [g.name, g.words.map((w) => w.title)])).toEqual([
			['Noor', ['Noor thuis']],
			['Sem', ['Sem hier', 'Sem thuis']]
		]);
	});

	it('a meeting for one child keeps its record as before (no child on a word)', () => {
		const doc = familyMeeting([NOOR]);
		addWish(doc, { title: 'Ik wil' }, null, byChild(noorKey));
		const record = buildMeetingRecord(doc);
		expect(record.children).toBeUndefined();
		expect(record.words[0]!.child).toBeUndefined();
	});

	it('one child’s file holds their own words and not the sibling’s, nor the sibling’s check-in', () => {
		const forSem = recordForChild(held(), SEM, NOOR);
		expect(forSem.words.map((w) => w.title)).toEqual(['Sem hier', 'Sem thuis']);
		expect(forSem.children).toEqual([{ id: SEM, name: 'Sem' }]);
		expect(forSem.checkins.map((c) => c.name)).toEqual(['Sem (kind)']);
	});

	it('erasing one child takes their words, check-in and tally out of the record', () => {
		const record = held();
		const without = recordWithoutChild(record, { id: NOOR, firstName: 'Noor' }, NOOR);
		expect(without.words.map((w) => w.title)).toEqual(['Sem hier', 'Sem thuis']);
		expect(without.checkins.map((c) => c.name)).toEqual(['Sem (kind)']);
		expect(without.children).toEqual([{ id: SEM, name: 'Sem' }]);
		expect(without.tally['3']).toBe(record.tally['3']! - 1);
		// On a record from before the sibling came, an unnamed word is the first child's.
		const older = {
			...record,
			children: undefined,
			words: [{ ...record.words[0]!, child: undefined }]
		};
		expect(recordWithoutChild(older, { id: SEM, firstName: 'Sem' }, NOOR).words).toHaveLength(1);
		expect(recordWithoutChild(older, { id: NOOR, firstName: 'Noor' }, NOOR).words).toHaveLength(0);
	});
});

describe('two siblings with one first name', () => {
	const A = 'stu-sam-a';
	const B = 'stu-sam-b';
	function held() {
		const doc = new Y.Doc();
		setParticipants(doc, [
			makeParticipant(`student:${A}`, 'Sam', 'child'),
			makeParticipant(`student:${B}`, 'Sam', 'child'),
			makeParticipant('mentor-1', 'Juf Anna', 'mentor')
		]);
		startMeeting(doc, null, new Date('2026-12-01T09:00:00Z'));
		setMeetingCheckIn(doc, `student:${A}`, { name: 'Sam (kind)', value: 3 });
		setMeetingCheckIn(doc, `student:${B}`, { name: 'Sam (kind)', value: 1 });
		setMeetingCheckIn(doc, 'mentor-1', { name: 'Juf Anna (mentor)', value: 2 });
		return buildMeetingRecord(doc, new Date('2026-12-01T10:00:00Z'));
	}

	it('the record keeps whose each child’s check-in is; the adults’ name no child', () => {
		expect(held().checkins).toEqual([
			{ name: 'Juf Anna (mentor)', value: 2 },
			{ name: 'Sam (kind)', value: 3, child: A },
			{ name: 'Sam (kind)', value: 1, child: B }
		]);
	});

	it('erasing one takes only their own check-in (and its count) out; the export of the other holds theirs', () => {
		const record = held();
		const without = recordWithoutChild(record, { id: A, firstName: 'Sam' }, A);
		expect(without.checkins).toEqual([
			{ name: 'Juf Anna (mentor)', value: 2 },
			{ name: 'Sam (kind)', value: 1, child: B }
		]);
		expect(without.tally).toEqual({ ...record.tally, 3: record.tally['3']! - 1 });
		expect(recordForChild(record, B, A).checkins).toEqual([
			{ name: 'Juf Anna (mentor)', value: 2 },
			{ name: 'Sam (kind)', value: 1, child: B }
		]);
		// An older record names no child: matched by name, as before.
		const older = {
			...record,
			checkins: record.checkins.map(({ name, value }) => ({ name, value }))
		};
		expect(recordWithoutChild(older, { id: A, firstName: 'Sam' }, A).checkins).toEqual([
			{ name: 'Juf Anna (mentor)', value: 2 }
		]);
	});
});

describe('erasure of one child from a shared meeting', () => {
	it('removes that child’s words and check-in and keeps the sibling’s', () => {
		const doc = familyMeeting();
		setMeetingCheckIn(doc, noorKey, { name: 'Noor (kind)', value: 3 });
		setMeetingCheckIn(doc, semKey, { name: 'Sem (kind)', value: 1 });
		addWish(doc, { title: 'Noor zegt dit' }, null, byChild(noorKey));
		addWish(doc, { title: 'Sem zegt dat', child: SEM }, null, byChild(semKey));
		const erased = eraseChildFromMeeting(doc, NOOR, [NOOR, SEM]);
		expect(erased?.texts).toEqual(['Noor zegt dit']);
		expect(listCards(doc, 'wishes').map((c) => c.title)).toEqual(['Sem zegt dat']);
		expect(doc.getMap('checkins').has(noorKey)).toBe(false);
		expect(doc.getMap('checkins').has(semKey)).toBe(true);
		// Nothing of theirs left: nothing to erase.
		expect(eraseChildFromMeeting(doc, NOOR, [NOOR, SEM])).toBeNull();
	});
});
