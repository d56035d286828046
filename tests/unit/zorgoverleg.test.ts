import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { capabilitiesOf, type BoardRole } from '../../src/lib/board/capabilities';
import type { BoardKind } from '../../src/lib/board/kinds';
import {
	joinLabelsFor,
	listParticipants,
	makeParticipant,
	parseJoinLabel,
	participantOf,
	participantsMap,
	setParticipants
} from '../../src/lib/board/participants';
import { changesOf } from '../helpers/doc-changes';
import { checkChanges } from '../../src/lib/board/update-rules';
import {
	addCard,
	cardsMap,
	defaultAreas,
	removeCheckIn,
	sessionMap,
	setCheckIn,
	updateCard
} from '../../src/lib/board/verbeterbord';
import {
	addWish,
	buildMeetingRecord,
	endMeeting,
	getMeeting,
	isEmptyMeeting,
	latestCheckInOf,
	listMeetingCheckIns,
	meetingTally,
	nextStep,
	PASS,
	setMeetingCheckIn,
	setMeetingStep,
	setVisibility,
	startMeeting,
	wordsFor
} from '../../src/lib/board/zorgoverleg';

/** Whether the sync server would accept this change from `role` on a board of `kind`. */
function allowed(
	doc: Y.Doc,
	role: BoardRole,
	actorKey: string,
	change: (doc: Y.Doc) => void,
	kind: BoardKind = 'zorgoverleg'
): boolean {
	return checkChanges(changesOf(doc, change), { kind, caps: capabilitiesOf(role), actorKey }).ok;
}

const mum = { name: 'Sanne (ouder)', value: 3 };

describe('zorgoverleg model', () => {
	it('has the meeting’s areas and steps in order', () => {
		expect(defaultAreas('zorgoverleg')).toEqual(['successes', 'wishes', 'actions']);
		expect(nextStep('checkin')).toBe('successes');
		expect(nextStep('successes')).toBe('wishes');
		expect(nextStep('wishes')).toBe('actions');
		expect(nextStep('actions')).toBe('end');
		expect(nextStep('end')).toBeNull();
	});

	it('a pass is a check-in that no tally counts', () => {
		const doc = new Y.Doc();
		expect(setMeetingCheckIn(doc, 'mum', mum).ok).toBe(true);
		expect(setMeetingCheckIn(doc, 'dad', { name: 'Ahmed', value: PASS }).ok).toBe(true);
		expect(setMeetingCheckIn(doc, 'x', { name: 'X', value: -1 }).ok).toBe(false);
		const checkIns = listMeetingCheckIns(doc);
		expect(checkIns.map((c) => [c.participant, c.value])).toEqual([
			['dad', PASS],
			['mum', 3]
		]);
		expect(meetingTally(checkIns, 'three')).toEqual({ 1: 0, 2: 0, 3: 1 });
	});

	it('the child’s words default to “only here”, and staff writing them mark them as the child’s', () => {
		const doc = new Y.Doc();
		const own = addWish(doc, { title: 'Ik wil  rustig lezen' }, null, {
			createdBy: 'kid',
			createdByName: 'Kim',
			byChild: true
		});
		const written = addWish(doc, { title: 'Vriendjes maken', visibility: 'family' }, null, {
			createdBy: 'ib',
			createdByName: 'Ilse',
			byChild: false
		});
		expect(own.ok && written.ok).toBe(true);
		const cards = cardsMap(doc);
		expect(cards.get(own.ok ? own.value : '')!.get('visibility')).toBe('meeting');
		expect(cards.get(own.ok ? own.value : '')!.get('forChild')).toBeUndefined();
		expect(cards.get(written.ok ? written.value : '')!.get('forChild')).toBe(true);
		// Kept as typed: not rewritten, only the surrounding blanks trimmed.
		expect(cards.get(own.ok ? own.value : '')!.get('title')).toBe('Ik wil  rustig lezen');
	});

	it('a meeting starts, steps on and ends; an empty one is recognised', () => {
		const doc = new Y.Doc();
		expect(isEmptyMeeting(doc)).toBe(true);
		startMeeting(doc, null, new Date('2026-12-01T09:00:00Z'));
		expect(getMeeting(doc)).toEqual({
			active: true,
			startedAt: '2026-12-01T09:00:00.000Z',
			step: 'checkin'
		});
		setMeetingStep(doc, 'wishes');
		expect(getMeeting(doc).step).toBe('wishes');
		setMeetingCheckIn(doc, 'mum', mum);
		endMeeting(doc);
		expect(getMeeting(doc).active).toBe(false);
		expect(listMeetingCheckIns(doc)).toEqual([]);
	});
});

describe('zorgoverleg record', () => {
	function meeting() {
		const doc = new Y.Doc();
		startMeeting(doc, null, new Date('2026-12-01T09:00:00Z'));
		setMeetingCheckIn(doc, 'kid', { name: 'Kim', value: 3 });
		setMeetingCheckIn(doc, 'yc', { name: 'Joris', value: PASS });
		addCard(doc, { type: 'successes', title: 'Ik lees elke dag' }, null, {
			createdBy: 'kid',
			createdByName: 'Kim'
		});
		const author = { createdBy: 'kid', createdByName: 'Kim', byChild: true };
		addWish(doc, { title: 'Alleen hier', visibility: 'meeting' }, null, author);
		addWish(doc, { title: 'Voor de zorg', visibility: 'care' }, null, author);
		addWish(doc, { title: 'Ook thuis', visibility: 'family' }, null, author);
		addCard(doc, {
			type: 'actions',
			title: 'Leesboek kiezen',
			who: 'Sanne',
			ownerKey: 'mum',
			ownerLabel: 'parent',
			due: '2026-12-15'
		});
		return doc;
	}

	it('holds check-ins with the pass, successes, the child’s words with visibility, actions with owners', () => {
		const record = buildMeetingRecord(meeting(), new Date('2026-12-01T09:40:00Z'));
		expect(record.startedAt).toBe('2026-12-01T09:00:00.000Z');
		expect(record.endedAt).toBe('2026-12-01T09:40:00.000Z');
		expect(record.checkins).toEqual([
			{ name: 'Joris', value: PASS },
			{ name: 'Kim', value: 3 }
		]);
		expect(record.tally).toEqual({ 1: 0, 2: 0, 3: 1 });
		expect(record.successes).toEqual([{ title: 'Ik lees elke dag', who: 'Kim' }]);
		expect(record.words.map((w) => [w.title, w.visibility, w.byChild])).toEqual([
			['Alleen hier', 'meeting', true],
			['Voor de zorg', 'care', true],
			['Ook thuis', 'family', true]
		]);
		expect(record.actions).toEqual([
			{ title: 'Leesboek kiezen', who: 'Sanne', ownerLabel: 'parent', due: '2026-12-15' }
		]);
	});

	it('a parent on two devices is one person with one smiley in the record: their latest counts', () => {
		const doc = new Y.Doc();
		startMeeting(doc, null, new Date('2026-12-01T09:00:00Z'));
		setParticipants(doc, [
			makeParticipant('student:s1', 'Kim', 'child'),
			makeParticipant('laptop', 'Bram', 'parent', ['laptop', 'phone'])
		]);
		// Written as two devices leave them: the laptop first, the phone a minute later.
		const at = (participant: string, value: number, name: string, time: string) =>
			doc
				.getMap<unknown>('checkins')
				.set(participant, { name, value, at: `2026-12-01T09:0${time}:00.000Z` });
		at('phone', 3, 'Bram (ouder)', '2');
		at('laptop', 1, 'Bram (ouder)', '1');
		at('student:s1', 2, 'Kim (kind)', '1');
		// A guest whose link was revoked since: no participant speaks for them, they still count.
		at('gone', PASS, 'Joris (jeugdzorg)', '1');
		const record = buildMeetingRecord(doc, new Date('2026-12-01T09:40:00Z'));
		expect(record.checkins).toEqual([
			{ name: 'Bram (ouder)', value: 3 },
			{ name: 'Joris (jeugdzorg)', value: PASS },
			{ name: 'Kim (kind)', value: 2 }
		]);
		expect(record.tally).toEqual({ 1: 0, 2: 1, 3: 1 });
		expect(latestCheckInOf(listMeetingCheckIns(doc), ['laptop', 'phone'])?.value).toBe(3);
	});

	it('the family reads only the words meant for home, the care team also theirs, staff all', () => {
		const { words } = buildMeetingRecord(meeting());
		expect(wordsFor(words, 'family').map((w) => w.title)).toEqual(['Ook thuis']);
		expect(wordsFor(words, 'care').map((w) => w.title)).toEqual(['Voor de zorg', 'Ook thuis']);
		expect(wordsFor(words, 'staff')).toHaveLength(3);
	});
});

describe('zorgoverleg rules: the child leads', () => {
	it('the child places and withdraws anyone’s check-in, a pass too', () => {
		const doc = new Y.Doc();
		expect(allowed(doc, 'child', 'kid', (d) => setMeetingCheckIn(d, 'mum', mum))).toBe(true);
		expect(
			allowed(doc, 'child', 'kid', (d) => setMeetingCheckIn(d, 'yc', { name: 'J', value: PASS }))
		).toBe(true);
		setMeetingCheckIn(doc, 'mum', mum);
		expect(allowed(doc, 'child', 'kid', (d) => removeCheckIn(d, 'mum'))).toBe(true);
	});

	it('on other boards the child still sets only its own check-in', () => {
		const doc = new Y.Doc();
		for (const kind of ['zorgbord', 'verbeterbord', 'driehoeksgesprek'] as const) {
			expect(allowed(doc, 'child', 'kid', (d) => setCheckIn(d, 'mum', mum), kind)).toBe(false);
			expect(allowed(doc, 'child', 'kid', (d) => setCheckIn(d, 'kid', mum), kind)).toBe(true);
		}
	});

	it('a parent and a partner set only their own check-in, a pass included', () => {
		const doc = new Y.Doc();
		for (const role of ['parent', 'partner'] as const) {
			expect(allowed(doc, role, 'me', (d) => setMeetingCheckIn(d, 'kid', mum))).toBe(false);
			expect(allowed(doc, role, 'me', (d) => setMeetingCheckIn(d, 'me', mum))).toBe(true);
			expect(
				allowed(doc, role, 'me', (d) => setMeetingCheckIn(d, 'me', { name: 'Me', value: PASS }))
			).toBe(true);
		}
	});

	it('a pass is refused on boards that are not a care meeting', () => {
		const doc = new Y.Doc();
		expect(
			allowed(
				doc,
				'editor',
				'staff',
				(d) => setMeetingCheckIn(d, 'x', { name: 'X', value: PASS }),
				'verbeterbord'
			)
		).toBe(false);
	});

	it('the child starts the meeting and moves it on; parents and partners do not', () => {
		const doc = new Y.Doc();
		expect(allowed(doc, 'child', 'kid', (d) => startMeeting(d))).toBe(true);
		expect(allowed(doc, 'child', 'kid', (d) => setMeetingStep(d, 'wishes'))).toBe(true);
		expect(allowed(doc, 'parent', 'mum', (d) => setMeetingStep(d, 'wishes'))).toBe(false);
		expect(allowed(doc, 'partner', 'yc', (d) => startMeeting(d))).toBe(false);
		expect(allowed(doc, 'editor', 'ib', (d) => setMeetingStep(d, 'actions'))).toBe(true);
		// Not on a zorgbord: there a child never steers the session.
		expect(
			allowed(doc, 'child', 'kid', (d) => sessionMap(d).set('step', 'goals'), 'zorgbord')
		).toBe(false);
	});

	it('nobody but the server ends a meeting; a step outside the meeting’s is refused', () => {
		const doc = new Y.Doc();
		startMeeting(doc);
		expect(allowed(doc, 'child', 'kid', (d) => sessionMap(d).set('active', false))).toBe(false);
		expect(allowed(doc, 'owner', 'ib', (d) => sessionMap(d).set('active', false))).toBe(false);
		expect(allowed(doc, 'owner', 'ib', (d) => sessionMap(d).set('step', 'review'))).toBe(false);
		expect(allowed(doc, 'owner', 'ib', (d) => sessionMap(d).set('leader', 'Ilse'))).toBe(false);
	});

	it('the child adds its own words and chooses who sees them; only its own cards', () => {
		const doc = new Y.Doc();
		const kid = { createdBy: 'kid', createdByName: 'Kim', byChild: true };
		expect(allowed(doc, 'child', 'kid', (d) => addWish(d, { title: 'Lezen' }, null, kid))).toBe(
			true
		);
		addWish(doc, { title: 'Lezen' }, null, kid);
		const id = [...cardsMap(doc).keys()][0]!;
		expect(allowed(doc, 'child', 'kid', (d) => setVisibility(d, id, 'family', null))).toBe(true);
		addCard(doc, { type: 'successes', title: 'Van mama' }, null, { createdBy: 'mum', id: 'm1' });
		expect(allowed(doc, 'child', 'kid', (d) => updateCard(d, 'm1', { title: 'x' }))).toBe(false);
	});

	it('a parent or partner writes no words for the child and sets no visibility', () => {
		const doc = new Y.Doc();
		for (const role of ['parent', 'partner'] as const) {
			expect(
				allowed(doc, role, 'me', (d) =>
					addWish(d, { title: 'Dit wil hij' }, null, {
						createdBy: 'me',
						createdByName: 'Me',
						byChild: true
					})
				)
			).toBe(false);
			const card = { type: 'successes', title: 'Thuis gaat het goed', visibility: 'family' };
			expect(allowed(doc, role, 'me', (d) => addCard(d, card, null, { createdBy: 'me' }))).toBe(
				false
			);
			const plain = { type: 'successes', title: 'Thuis gaat het goed' };
			expect(allowed(doc, role, 'me', (d) => addCard(d, plain, null, { createdBy: 'me' }))).toBe(
				true
			);
		}
		addWish(doc, { title: 'Lezen' }, null, { createdBy: 'kid', createdByName: 'K', byChild: true });
		const id = [...cardsMap(doc).keys()][0]!;
		expect(allowed(doc, 'parent', 'mum', (d) => setVisibility(d, id, 'family', null))).toBe(false);
	});

	it('staff write the child’s words only marked as the child’s, and change any visibility', () => {
		const doc = new Y.Doc();
		const staff = { createdBy: 'ib', createdByName: 'Ilse' };
		expect(
			allowed(doc, 'editor', 'ib', (d) =>
				addWish(d, { title: 'Lezen' }, null, { ...staff, byChild: false })
			)
		).toBe(true);
		expect(
			allowed(doc, 'editor', 'ib', (d) =>
				addCard(d, { type: 'wishes', title: 'Lezen' }, null, staff)
			)
		).toBe(false);
		addWish(doc, { title: 'Lezen' }, null, { createdBy: 'kid', createdByName: 'K', byChild: true });
		const id = [...cardsMap(doc).keys()][0]!;
		expect(allowed(doc, 'editor', 'ib', (d) => setVisibility(d, id, 'care', null))).toBe(true);
	});

	it('the child’s words belong on a care meeting only', () => {
		const doc = new Y.Doc();
		const kid = { createdBy: 'kid', createdByName: 'Kim', byChild: true };
		expect(
			allowed(doc, 'child', 'kid', (d) => addWish(d, { title: 'Lezen' }, null, kid), 'zorgbord')
		).toBe(false);
	});
});

describe('join labels', () => {
	it('a parent link joins as parent, carer or other, a partner link as a care partner, a child as child', () => {
		expect(joinLabelsFor('parent')).toEqual(['parent', 'carer', 'other']);
		expect(parseJoinLabel('parent', 'carer')).toBe('carer');
		expect(parseJoinLabel('parent', 'other')).toBe('other');
		expect(parseJoinLabel('parent', 'youth_care')).toBe('invalid');
		expect(parseJoinLabel('partner', 'leerplicht')).toBe('leerplicht');
		expect(parseJoinLabel('partner', '')).toBe('invalid');
		expect(parseJoinLabel('child', undefined)).toBe('child');
		expect(parseJoinLabel('editor', 'parent')).toBeNull();
	});
});

describe('the participant list in the document', () => {
	const kim = makeParticipant('student:s1', 'Kim', 'child', ['student:s1', 'tablet', 'phone']);
	const mehmet = makeParticipant('u1', 'Mehmet Yilmaz', 'mentor');
	const sanne = makeParticipant('g1', 'Sanne', 'parent', ['g1', 'g2']);

	it('keeps the server’s list in its order and writes only what changed', () => {
		const doc = new Y.Doc();
		setParticipants(doc, [kim, mehmet]);
		expect(listParticipants(doc)).toEqual([kim, mehmet]);
		let updates = 0;
		doc.on('update', () => updates++);
		setParticipants(doc, [kim, mehmet]);
		expect(updates).toBe(0);
		setParticipants(doc, [kim, mehmet, sanne]);
		expect(listParticipants(doc).map((p) => p.name)).toEqual(['Kim', 'Mehmet Yilmaz', 'Sanne']);
		expect(participantsMap(doc).size).toBe(3);
		setParticipants(doc, [kim, sanne]);
		expect(listParticipants(doc).map((p) => p.key)).toEqual(['student:s1', 'g1']);
	});

	it('finds the person a device speaks for', () => {
		expect(participantOf([kim, mehmet, sanne], 'phone')?.key).toBe('student:s1');
		expect(participantOf([kim, mehmet, sanne], 'g2')?.key).toBe('g1');
		expect(participantOf([kim, mehmet, sanne], 'nobody')).toBeUndefined();
	});

	it('no one writes it but the server: the child, staff and a parent are all refused', () => {
		for (const role of ['child', 'owner', 'parent'] as const) {
			const doc = new Y.Doc();
			expect(allowed(doc, role, 'g1', (d) => setParticipants(d, [sanne]))).toBe(false);
		}
	});
});
