import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { capabilitiesOf, type BoardRole } from '../../src/lib/board/capabilities';
import { defaultLeerhouding } from '../../src/lib/board/criteria';
import { changedEntries } from '../../src/lib/board/doc-changes';
import {
	addEvidence,
	addGoalAction,
	agreeGoal,
	buildTalkRecord,
	endTalk,
	evidenceByCriterion,
	setEvidenceCriterion,
	listViews,
	setView,
	talkFacts,
	talkSummaryFor,
	viewsByCriterion,
	viewsDiffer,
	setTalkStep,
	talkStep,
	talkStepBeside
} from '../../src/lib/board/driehoeksgesprek';
import type { BoardKind } from '../../src/lib/board/kinds';
import { checkChanges, type Verdict } from '../../src/lib/board/update-rules';
import { agreedGoalSchema } from '../../src/lib/board/growth';
import {
	addCard,
	cardsMap,
	deleteCard,
	listCards,
	TITLE_MAX,
	updateCard
} from '../../src/lib/board/verbeterbord';
import { addWish, setVisibility } from '../../src/lib/board/zorgoverleg';

const criteria = defaultLeerhouding.content;
const kid = { createdBy: 'kid', createdByName: 'Noor' };
const mum = { createdBy: 'mum', createdByName: 'Sanne' };
const mentor = { createdBy: 'mentor-1', createdByName: 'Mehmet' };

/**
 * What the sync server says to this change from `role`: judged on the entries it changed, with
 * the talk's facts read from the document as it is after the change (as the room does).
 */
function judge(
	original: Y.Doc,
	role: BoardRole,
	actorKey: string,
	change: (doc: Y.Doc) => void,
	kind: BoardKind = 'driehoeksgesprek'
): Verdict {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(original));
	let verdict: Verdict = { ok: true };
	doc.on('afterTransaction', (tr: Y.Transaction) => {
		if (tr.origin !== 'test') return;
		verdict = checkChanges(changedEntries(tr), {
			kind,
			caps: capabilitiesOf(role),
			actorKey,
			talk: talkFacts(doc, criteria)
		});
	});
	doc.transact(() => change(doc), 'test');
	return verdict;
}

/** A talk where the student, a parent and the mentor each gave a view on `plannen`. */
function preparedTalk() {
	const doc = new Y.Doc();
	setView(
		doc,
		{ criterion: 'plannen', level: 'soms', note: 'met een lijstje' },
		'student',
		null,
		kid
	);
	setView(doc, { criterion: 'plannen', level: 'zelf' }, 'parent', null, mum);
	setView(doc, { criterion: 'plannen', level: 'soms' }, 'mentor', null, mentor);
	return doc;
}

describe('driehoeksgesprek model', () => {
	it('keeps one view per author and criterion: giving it again changes it in place', () => {
		const doc = new Y.Doc();
		setView(doc, { criterion: 'plannen', level: 'begin' }, 'student', null, kid);
		setView(doc, { criterion: 'plannen', level: 'zelf', note: 'nu wel' }, 'student', null, kid);
		const views = listViews(doc);
		expect(views).toHaveLength(1);
		expect(views[0]).toMatchObject({ level: 'zelf', note: 'nu wel', perspective: 'student' });
	});

	it('shows per criterion whether the views differ, not by how much', () => {
		const doc = preparedTalk();
		const row = viewsByCriterion(listViews(doc)).get('plannen')!;
		expect(row.student.map((v) => v.level)).toEqual(['soms']);
		expect(row.parent.map((v) => v.level)).toEqual(['zelf']);
		expect(viewsDiffer([...row.student, ...row.mentor, ...row.parent])).toBe(true);
		expect(viewsDiffer([...row.student, ...row.mentor])).toBe(false);
	});

	it('agrees at most three goals', () => {
		const doc = new Y.Doc();
		for (const title of ['een', 'twee', 'drie']) {
			expect(agreeGoal(doc, { title }, null, mentor).ok).toBe(true);
		}
		expect(agreeGoal(doc, { title: 'vier' }, null, mentor).ok).toBe(false);
	});

	it('builds the record: the student’s own goals first, views in words, agreed goals with their actions', () => {
		const doc = preparedTalk();
		const wish = addWish(
			doc,
			{ title: 'Ik wil mijn huiswerk plannen', visibility: 'family' },
			null,
			{
				...kid,
				byChild: true
			}
		);
		if (!wish.ok) throw new Error('wish');
		const goal = agreeGoal(
			doc,
			{ title: 'Ik wil mijn huiswerk plannen', fromCard: wish.value },
			null,
			mentor
		);
		if (!goal.ok) throw new Error('goal');
		addGoalAction(
			doc,
			goal.value,
			{ title: 'Planner bijhouden', who: 'Noor', due: '2026-12-20' },
			null,
			mentor
		);
		addEvidence(doc, { title: 'Mijn weekplanning' }, null, kid);
		const record = buildTalkRecord(
			doc,
			{ versionId: 'v1', content: criteria },
			new Date('2026-12-06T10:00:00Z')
		);
		expect(record.goals).toEqual([
			{ title: 'Ik wil mijn huiswerk plannen', body: '', visibility: 'family', byStudent: true }
		]);
		expect(record.views.map((v) => [v.perspective, v.level])).toEqual(
			expect.arrayContaining([
				['student', 'soms'],
				['parent', 'zelf'],
				['mentor', 'soms']
			])
		);
		expect(record.agreed).toEqual([
			{
				title: 'Ik wil mijn huiswerk plannen',
				targetDate: '',
				fromStudent: true,
				by: 'Mehmet',
				actions: [{ what: 'Planner bijhouden', who: 'Noor', due: '2026-12-20' }]
			}
		]);
		expect(record.criteria.map((c) => c.id)).toEqual(['plannen', 'hulp-vragen', 'feedback']);
	});

	it('the family’s summary holds no card the student kept for school', () => {
		const doc = preparedTalk();
		addWish(doc, { title: 'Geheim doel', visibility: 'care' }, null, { ...kid, byChild: true });
		addWish(doc, { title: 'Samen doel', visibility: 'family' }, null, { ...kid, byChild: true });
		const own = listViews(doc).find((v) => v.createdBy === 'kid')!;
		setVisibility(doc, own.id, 'care', null);
		addEvidence(doc, { title: 'Schrift', visibility: 'care' }, null, kid);
		const record = buildTalkRecord(doc, { versionId: 'v1', content: criteria });
		const family = talkSummaryFor(record, 'family');
		expect(family.goals.map((g) => g.title)).toEqual(['Samen doel']);
		expect(family.views.map((v) => v.perspective).sort()).toEqual(['mentor', 'parent']);
		expect(family.evidence).toEqual([]);
		const child = talkSummaryFor(record, 'child');
		expect(child.goals).toHaveLength(2);
		expect(child.views).toHaveLength(3);
	});
});

describe('driehoeksgesprek update rules', () => {
	it('the student who leads it and staff move the talk from step to step; a parent or partner does not', () => {
		const doc = new Y.Doc();
		expect(talkStep(doc)).toBe('prepare');
		expect(talkStepBeside('prepare', 1)).toBe('views');
		expect(talkStepBeside('agree', 1)).toBeNull();
		expect(talkStepBeside('prepare', -1)).toBeNull();
		const toViews = (d: Y.Doc) => setTalkStep(d, 'views');
		expect(judge(doc, 'child', 'kid', toViews)).toEqual({ ok: true });
		expect(judge(doc, 'owner', 'mentor-1', toViews)).toEqual({ ok: true });
		expect(judge(doc, 'parent', 'mum', toViews).ok).toBe(false);
		expect(judge(doc, 'partner', 'jz', toViews).ok).toBe(false);
		expect(judge(doc, 'viewer', 'v', toViews).ok).toBe(false);
		// Only the steps there are; the end stays the server's.
		expect(judge(doc, 'child', 'kid', (d) => d.getMap('session').set('step', 'end')).ok).toBe(
			false
		);
		// After the end nobody moves it.
		const ended = new Y.Doc();
		endTalk(ended);
		expect(judge(ended, 'child', 'kid', toViews).ok).toBe(false);
	});

	it('accepts each role’s own view in its own perspective', () => {
		const doc = new Y.Doc();
		const view = (perspective: 'student' | 'parent' | 'mentor', author: typeof kid) => (d: Y.Doc) =>
			setView(d, { criterion: 'plannen', level: 'soms' }, perspective, null, author);
		expect(judge(doc, 'child', 'kid', view('student', kid))).toEqual({ ok: true });
		expect(judge(doc, 'parent', 'mum', view('parent', mum))).toEqual({ ok: true });
		expect(judge(doc, 'owner', 'mentor-1', view('mentor', mentor))).toEqual({ ok: true });
	});

	it('refuses a view whose perspective is forged', () => {
		const doc = new Y.Doc();
		// A parent passing the home view off as the student's self-evaluation, and the reverse.
		expect(
			judge(doc, 'parent', 'mum', (d) =>
				setView(d, { criterion: 'plannen', level: 'soms' }, 'student', null, mum)
			).ok
		).toBe(false);
		expect(
			judge(doc, 'child', 'kid', (d) =>
				setView(d, { criterion: 'plannen', level: 'soms' }, 'mentor', null, kid)
			).ok
		).toBe(false);
		// Staff writing a view in the student's name.
		expect(
			judge(doc, 'owner', 'mentor-1', (d) =>
				setView(d, { criterion: 'plannen', level: 'soms' }, 'student', null, kid)
			).ok
		).toBe(false);
		// A care partner has no view in a three-way talk.
		expect(
			judge(doc, 'partner', 'jz', (d) =>
				setView(d, { criterion: 'plannen', level: 'soms' }, 'parent', null, {
					createdBy: 'jz',
					createdByName: 'Jeugdzorg'
				})
			).ok
		).toBe(false);
	});

	it('refuses a level or a criterion that is not in the board’s criteria version', () => {
		const doc = new Y.Doc();
		const give = (criterion: string, level: string) => (d: Y.Doc) =>
			setView(d, { criterion, level }, 'student', null, kid);
		expect(judge(doc, 'child', 'kid', give('plannen', 'top')).ok).toBe(false);
		expect(judge(doc, 'child', 'kid', give('rekenen', 'soms')).ok).toBe(false);
		expect(judge(doc, 'child', 'kid', give('plannen', 'helpen')).ok).toBe(true);
	});

	it('refuses a second view by the same author on the same criterion, and accepts changing the first', () => {
		const doc = new Y.Doc();
		setView(doc, { criterion: 'plannen', level: 'soms' }, 'student', null, kid);
		expect(
			judge(doc, 'child', 'kid', (d) =>
				addCard(
					d,
					{ type: 'views', criterion: 'plannen', level: 'zelf', perspective: 'student' },
					null,
					kid
				)
			).ok
		).toBe(false);
		expect(
			judge(doc, 'child', 'kid', (d) =>
				setView(d, { criterion: 'plannen', level: 'zelf' }, 'student', null, kid)
			)
		).toEqual({ ok: true });
		// Another criterion is another view.
		expect(
			judge(doc, 'child', 'kid', (d) =>
				setView(d, { criterion: 'feedback', level: 'zelf' }, 'student', null, kid)
			).ok
		).toBe(true);
	});

	it('refuses a parent editing or removing the child’s cards, and staff rewriting a view', () => {
		const doc = preparedTalk();
		const kidView = listViews(doc).find((v) => v.createdBy === 'kid')!;
		addWish(doc, { title: 'Mijn doel', visibility: 'family' }, null, { ...kid, byChild: true });
		const wishId = [...cardsMap(doc).keys()].find(
			(id) => cardsMap(doc).get(id)!.get('type') === 'wishes'
		)!;
		expect(
			judge(doc, 'parent', 'mum', (d) => updateCard(d, kidView.id, { level: 'zelf' })).ok
		).toBe(false);
		expect(
			judge(doc, 'parent', 'mum', (d) => updateCard(d, wishId, { title: 'Ander doel' })).ok
		).toBe(false);
		expect(judge(doc, 'parent', 'mum', (d) => deleteCard(d, wishId)).ok).toBe(false);
		// Nor does a parent hide or show the child's words.
		expect(judge(doc, 'parent', 'mum', (d) => setVisibility(d, wishId, 'care', null)).ok).toBe(
			false
		);
		expect(
			judge(doc, 'owner', 'mentor-1', (d) => updateCard(d, kidView.id, { level: 'helpen' })).ok
		).toBe(false);
		// The child keeps its own words for school.
		expect(judge(doc, 'child', 'kid', (d) => setVisibility(d, wishId, 'care', null)).ok).toBe(true);
	});

	it('a photo shown as evidence needs no words; evidence without a photo does', () => {
		const doc = new Y.Doc();
		const photo = (d: Y.Doc) => addEvidence(d, { title: '', mediaId: 'media1' }, null, kid);
		expect(judge(doc, 'child', 'kid', photo).ok).toBe(true);
		const own = new Y.Doc();
		expect(photo(own).ok).toBe(true);
		expect([...cardsMap(own).values()].map((c) => [c.get('title'), c.get('mediaId')])).toEqual([
			['', 'media1']
		]);
		expect(addEvidence(new Y.Doc(), { title: '  ' }, null, kid)).toEqual({
			ok: false,
			errors: { title: 'required' }
		});
	});

	it('agreed goals and actions are staff’s; evidence is the student’s; the server alone ends the talk, after which nothing changes', () => {
		const doc = new Y.Doc();
		const goal = (d: Y.Doc) => agreeGoal(d, { title: 'Plannen' }, null, kid);
		expect(judge(doc, 'child', 'kid', goal).ok).toBe(false);
		expect(judge(doc, 'parent', 'mum', (d) => agreeGoal(d, { title: 'x' }, null, mum)).ok).toBe(
			false
		);
		expect(
			judge(doc, 'owner', 'mentor-1', (d) => agreeGoal(d, { title: 'x' }, null, mentor)).ok
		).toBe(true);
		expect(judge(doc, 'child', 'kid', (d) => addEvidence(d, { title: 'Foto' }, null, kid)).ok).toBe(
			true
		);
		expect(
			judge(doc, 'parent', 'mum', (d) => addCard(d, { type: 'evidence', title: 'Foto' }, null, mum))
				.ok
		).toBe(false);
		expect(judge(doc, 'owner', 'mentor-1', (d) => endTalk(d)).ok).toBe(false);
		// Once the server ended it, its cards stay as the record says, for staff too.
		const ended = new Y.Doc();
		addEvidence(ended, { title: 'Foto' }, null, kid);
		endTalk(ended);
		const evidenceId = [...cardsMap(ended).keys()][0]!;
		expect(
			judge(ended, 'child', 'kid', (d) => addEvidence(d, { title: 'Later' }, null, kid)).ok
		).toBe(false);
		expect(judge(ended, 'child', 'kid', (d) => deleteCard(d, evidenceId)).ok).toBe(false);
		expect(
			judge(ended, 'owner', 'mentor-1', (d) => agreeGoal(d, { title: 'x' }, null, mentor)).ok
		).toBe(false);
		// A talk has no successes or ideas; views and evidence belong to a talk only.
		expect(
			judge(doc, 'owner', 'mentor-1', (d) =>
				addCard(d, { type: 'ideas', title: 'x' }, null, mentor)
			).ok
		).toBe(false);
		expect(
			judge(
				doc,
				'owner',
				'mentor-1',
				(d) => setView(d, { criterion: 'plannen', level: 'soms' }, 'mentor', null, mentor),
				'zorgoverleg'
			).ok
		).toBe(false);
	});
});

describe('one limit for an agreed goal and its actions', () => {
	it('growth takes every goal and action the talk’s board takes, and refuses what the board refuses', () => {
		const doc = new Y.Doc();
		const author = { createdBy: 'u1', createdByName: 'Mehmet' };
		const longest = 'x'.repeat(TITLE_MAX);
		const goal = agreeGoal(doc, { title: longest }, null, author);
		expect(goal.ok).toBe(true);
		expect(
			addGoalAction(doc, goal.ok ? goal.value : '', { title: longest, who: 'Kim' }, null, author).ok
		).toBe(true);
		expect(
			agreedGoalSchema.safeParse({ text: longest, actions: [{ what: longest }] }).success
		).toBe(true);
		const tooLong = longest + 'x';
		expect(agreeGoal(doc, { title: tooLong }, null, author).ok).toBe(false);
		expect(agreedGoalSchema.safeParse({ text: tooLong }).success).toBe(false);
		expect(agreedGoalSchema.safeParse({ text: 'Doel', actions: [{ what: tooLong }] }).success).toBe(
			false
		);
	});
});

describe('evidence attached to a success criterion', () => {
	it('the student attaches evidence to a criterion of the talk, changes it and takes it off', () => {
		const doc = new Y.Doc();
		const added = addEvidence(doc, { title: 'Mijn planning', criterion: 'plannen' }, null, kid);
		if (!added.ok) throw new Error('not added');
		const id = added.value;
		expect(cardsMap(doc).get(id)?.get('criterion')).toBe('plannen');
		expect(setEvidenceCriterion(doc, id, 'feedback').ok).toBe(true);
		expect(cardsMap(doc).get(id)?.get('criterion')).toBe('feedback');
		expect(setEvidenceCriterion(doc, id, null).ok).toBe(true);
		expect(cardsMap(doc).get(id)?.has('criterion')).toBe(false);
		// Only evidence takes a criterion this way; its shape is a criterion id.
		expect(setEvidenceCriterion(doc, 'nope', 'plannen').ok).toBe(false);
		expect(setEvidenceCriterion(doc, id, 'Niet Een Id!').ok).toBe(false);
	});

	it('the guard accepts a criterion of the talk’s version and refuses one it does not hold', () => {
		const doc = new Y.Doc();
		const on = (criterion: string) => (d: Y.Doc) =>
			addEvidence(d, { title: 'Bewijs', criterion }, null, kid);
		expect(judge(doc, 'child', 'kid', on('plannen'))).toEqual({ ok: true });
		expect(judge(doc, 'child', 'kid', on('rekenen')).ok).toBe(false);
		// A criterion written straight into the card map, past the board's own op, is judged too.
		const added = addEvidence(doc, { title: 'Bewijs' }, null, kid);
		if (!added.ok) throw new Error('not added');
		expect(
			judge(doc, 'child', 'kid', (d) => cardsMap(d).get(added.value)!.set('criterion', 'rekenen'))
				.ok
		).toBe(false);
		expect(
			judge(doc, 'child', 'kid', (d) => cardsMap(d).get(added.value)!.set('criterion', 'feedback'))
		).toEqual({ ok: true });
	});

	it('"Drie blikken" lists evidence under its criterion; the record and summary keep the link', () => {
		const doc = preparedTalk();
		addEvidence(doc, { title: 'Mijn planning', criterion: 'plannen' }, null, kid);
		addEvidence(doc, { title: 'Losse foto', mediaId: 'media-1' }, null, kid);
		const by = evidenceByCriterion(listCards(doc, 'evidence'), criteria);
		expect(by.get('plannen')?.map((c) => c.title)).toEqual(['Mijn planning']);
		expect(by.get(null)?.map((c) => c.mediaId)).toEqual(['media-1']);
		expect(by.has('feedback')).toBe(false);
		const record = buildTalkRecord(doc, { versionId: 'v1', content: criteria });
		expect(record.evidence.map((e) => [e.title, e.criterion])).toEqual([
			['Mijn planning', 'plannen'],
			['Losse foto', undefined]
		]);
		expect(talkSummaryFor(record, 'family').evidence[0]?.criterion).toBe('plannen');
	});
});
