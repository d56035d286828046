/** What an erasure removes from a board document and from the rows derived from it. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	cardRemains,
	cardsNaming,
	eraseCardFromDoc,
	eraseWallNote,
	eraseWallStudent,
	noteRemains,
	notesNaming,
	scrubJson
} from '../../src/lib/board/erasure';
import { addCard, cardsMap } from '../../src/lib/board/verbeterbord';
import {
	actionsMap,
	addAction,
	applyStudentUpdate,
	readStudentState,
	studentsMap
} from '../../src/lib/board/voortgang';

const by = { name: 'Mo', at: new Date('2026-12-01T10:00:00Z') };

function bytesOf(doc: Y.Doc): Buffer {
	return Buffer.from(Y.encodeStateAsUpdate(doc));
}

describe('erasing from a board document', () => {
	it('a card goes, with its words returned; its text is gone once the document is garbage-collected', () => {
		const doc = new Y.Doc();
		addCard(doc, { type: 'successes', title: 'Geheim-succes', body: 'Ook-de-body' }, null, {
			id: 'c1'
		});
		addCard(doc, { type: 'ideas', title: 'Blijft' }, null, { id: 'c2' });
		expect(bytesOf(doc).includes('Geheim-succes')).toBe(true);
		expect(eraseCardFromDoc(doc, 'c1')).toEqual({ texts: ['Geheim-succes', 'Ook-de-body'] });
		expect(cardsMap(doc).has('c1')).toBe(false);
		expect(cardsMap(doc).has('c2')).toBe(true);
		expect(bytesOf(doc).includes('Geheim-succes')).toBe(false);
		expect(bytesOf(doc).includes('Ook-de-body')).toBe(false);
		expect(eraseCardFromDoc(doc, 'c1')).toBeNull();
	});

	it('a wall note goes; the stoplight stays', () => {
		const doc = new Y.Doc();
		applyStudentUpdate(doc, 's1', { stoplight: 'red', flags: [], note: 'Notitie-weg' }, by, []);
		expect(eraseWallNote(doc, 's1')).toEqual({ texts: ['Notitie-weg'] });
		expect(readStudentState(doc, 's1')).toMatchObject({ stoplight: 'red', note: '' });
		expect(bytesOf(doc).includes('Notitie-weg')).toBe(false);
		expect(eraseWallNote(doc, 's1')).toBeNull();
		expect(eraseWallNote(doc, 'nobody')).toBeNull();
	});

	it("a student's wall entry and the actions about them go; another student's stay", () => {
		const doc = new Y.Doc();
		applyStudentUpdate(doc, 's1', { stoplight: 'red', flags: [], note: 'Over-s1' }, by, []);
		applyStudentUpdate(doc, 's2', { stoplight: 'green', flags: [], note: 'Over-s2' }, by, []);
		addAction(doc, {
			id: 'a1',
			studentId: 's1',
			who: 'Mo',
			what: 'Actie-s1',
			when: '2026-12-10',
			done: false
		});
		addAction(doc, {
			id: 'a2',
			studentId: 's2',
			who: 'Mo',
			what: 'Actie-s2',
			when: '2026-12-10',
			done: false
		});
		expect(eraseWallStudent(doc, 's1')).toEqual({ entries: 2 });
		expect(studentsMap(doc).has('s1')).toBe(false);
		expect([...actionsMap(doc).keys()]).toEqual(['a2']);
		const bytes = bytesOf(doc);
		expect(bytes.includes('Over-s1') || bytes.includes('Actie-s1')).toBe(false);
		expect(bytes.includes('Over-s2') && bytes.includes('Actie-s2')).toBe(true);
	});
});

describe('scrubJson', () => {
	const record = {
		successes: [
			{ title: 'Weg-ermee', who: 'Mo' },
			{ title: 'Blijft', who: 'Mo' }
		],
		decisions: 'Besloten: Weg-ermee wordt opgepakt',
		tally: { '1': 2 }
	};

	it('drops a list element that mentions the text and cuts it out of other strings', () => {
		expect(scrubJson(record, { texts: ['Weg-ermee'] })).toEqual({
			successes: [{ title: 'Blijft', who: 'Mo' }],
			decisions: 'Besloten:  wordt opgepakt',
			tally: { '1': 2 }
		});
	});

	it('removes an id as a key and empties it as a value', () => {
		expect(
			scrubJson(
				{
					byStudent: { s1: 'red', s2: 'green' },
					about: 's1',
					list: [{ studentId: 's1' }, { studentId: 's2' }]
				},
				{
					texts: [],
					ids: ['s1']
				}
			)
		).toEqual({ byStudent: { s2: 'green' }, about: '', list: [{ studentId: 's2' }] });
	});

	it('returns the same value when nothing matches, so nothing is rewritten', () => {
		expect(scrubJson(record, { texts: ['Niet-aanwezig'], ids: ['x'] })).toBe(record);
	});
});

describe('cards that name a student', () => {
	it('lists the cards whose title, body or note names the student, and no other', () => {
		const doc = new Y.Doc();
		addCard(doc, { type: 'ideas', title: 'Noor de Jong helpt bij lezen' }, null, { id: 'c1' });
		addCard(doc, { type: 'ideas', title: 'Leesmaatjes', body: 'met noor j.' }, null, { id: 'c2' });
		addCard(doc, { type: 'ideas', title: 'Noor Jansen helpt' }, null, { id: 'c3' });
		addCard(doc, { type: 'ideas', title: 'Rustig begin' }, null, { id: 'c4' });
		const found = cardsNaming(doc, { firstName: 'Noor', lastName: 'de Jong' });
		expect(found).toEqual([
			{ cardId: 'c1', title: 'Noor de Jong helpt bij lezen' },
			{ cardId: 'c2', title: 'Leesmaatjes' }
		]);
	});
});

describe('what a retried erasure still finds in stored history', () => {
	/** The board as storage holds it: every update, read without garbage collection. */
	function stored(updates: Uint8Array[]): Y.Doc {
		const doc = new Y.Doc({ gc: false });
		for (const u of updates) Y.applyUpdate(doc, u);
		return doc;
	}

	it('a card deleted live is still found, with its words and type, until the history is re-encoded', () => {
		const live = new Y.Doc();
		const log: Uint8Array[] = [];
		live.on('update', (u: Uint8Array) => log.push(u));
		addCard(live, { type: 'wishes', title: 'Mijn-eigen-woorden', body: 'En-meer' }, null, {
			id: 'w1'
		});
		cardsMap(live).delete('w1');
		expect(cardRemains(stored(log), 'w1')).toEqual({
			texts: ['Mijn-eigen-woorden', 'En-meer'],
			type: 'wishes',
			child: null
		});
		expect(cardRemains(stored(log), 'never')).toBeNull();
		// Re-encoded from the garbage-collected document: only a tombstone, nothing to finish.
		expect(cardRemains(stored([Y.encodeStateAsUpdate(live)]), 'w1')).toBeNull();
	});

	it('a cleared wall note is still found until the history is re-encoded', () => {
		const live = new Y.Doc();
		const log: Uint8Array[] = [];
		live.on('update', (u: Uint8Array) => log.push(u));
		applyStudentUpdate(live, 's1', { stoplight: 'red', flags: [], note: 'Oude-notitie' }, by, []);
		eraseWallNote(live, 's1');
		expect(noteRemains(stored(log), 's1')).toEqual({ texts: ['Oude-notitie'] });
		expect(noteRemains(stored([Y.encodeStateAsUpdate(live)]), 's1')).toBeNull();
	});
});

describe('wall notes that name a student', () => {
	it("lists notes about other students that name them, not the student's own", () => {
		const doc = new Y.Doc();
		const noor = { firstName: 'Noor', lastName: 'de Jong' };
		applyStudentUpdate(
			doc,
			'noor',
			{ stoplight: 'green', flags: [], note: 'Noor de Jong zelf' },
			by,
			[]
		);
		applyStudentUpdate(
			doc,
			'sem',
			{ stoplight: 'orange', flags: [], note: 'Botst met Noor J.' },
			by,
			[]
		);
		applyStudentUpdate(
			doc,
			'mila',
			{ stoplight: 'green', flags: [], note: 'Noortje helpt' },
			by,
			[]
		);
		expect(notesNaming(doc, noor, 'noor')).toEqual([
			{ studentId: 'sem', note: 'Botst met Noor J.' }
		]);
	});
});
