import { describe, expect, it } from 'vitest';
import {
	buildTimeline,
	criterionSignals,
	type CriterionRef,
	type TimelineAssessment
} from '../../src/lib/board/growth-timeline';
import type { Perspective } from '../../src/lib/board/criteria';

const plannen: CriterionRef = {
	setId: 'set1',
	setName: 'Leerhouding',
	criterionId: 'plannen',
	title: 'Ik plan mijn werk'
};
const feedback: CriterionRef = { ...plannen, criterionId: 'feedback', title: 'Feedback' };
const labels = ['Ik begin met hulp', 'Ik plan soms zelf', 'Ik plan mijn werk zelf'];

let seq = 0;
const view = (
	c: CriterionRef,
	perspective: Perspective,
	rank: number,
	on: string,
	note = ''
): TimelineAssessment => ({
	setId: c.setId,
	criterionId: c.criterionId,
	levelLabel: labels[rank]!,
	rank,
	perspective,
	note,
	authorName: perspective === 'mentor' ? 'Mehmet' : 'Noor',
	on,
	createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq++))
});

/**
 * A school year with four talks: plannen grows (begin → soms → zelf), feedback stays at
 * "soms" from 12 September on, both for the student and the mentor.
 */
const talks = ['2026-09-12', '2026-11-14', '2027-02-06', '2027-04-17'].map((on, i) => ({
	boardId: `talk${i}`,
	recordId: i + 1,
	title: `Driehoeksgesprek ${i + 1}`,
	on
}));
const year: TimelineAssessment[] = [
	view(plannen, 'student', 0, '2026-09-12'),
	view(plannen, 'mentor', 0, '2026-09-12'),
	view(plannen, 'student', 1, '2026-11-14', 'Ik gebruik mijn agenda'),
	view(plannen, 'mentor', 1, '2026-11-14'),
	view(plannen, 'student', 1, '2027-02-06'),
	view(plannen, 'mentor', 2, '2027-02-06'),
	view(plannen, 'student', 2, '2027-04-17'),
	view(plannen, 'mentor', 2, '2027-04-17'),
	view(feedback, 'student', 1, '2026-09-12'),
	view(feedback, 'mentor', 1, '2026-09-12'),
	view(feedback, 'student', 1, '2026-11-14'),
	view(feedback, 'mentor', 1, '2026-11-14'),
	view(feedback, 'student', 1, '2027-02-06'),
	view(feedback, 'mentor', 1, '2027-02-06'),
	view(feedback, 'student', 1, '2027-04-17'),
	view(feedback, 'mentor', 1, '2027-04-17')
];

describe('growth timeline', () => {
	const timeline = buildTimeline([plannen, feedback], {
		assessments: year,
		evidence: [
			{
				id: 'ev1',
				setId: 'set1',
				criterionId: 'plannen',
				text: 'Weektaak zelf ingedeeld',
				photoId: null,
				outsideSchool: false,
				addedBy: 'student',
				authorName: 'Noor',
				on: '2027-01-20'
			},
			{
				id: 'ev2',
				setId: null,
				criterionId: null,
				text: 'Scouting',
				photoId: null,
				outsideSchool: true,
				addedBy: 'student',
				authorName: 'Noor',
				on: '2027-03-01'
			},
			{
				id: 'ev3',
				setId: 'gone',
				criterionId: 'x',
				text: 'Op een oude set',
				photoId: null,
				outsideSchool: false,
				addedBy: 'mentor',
				authorName: 'Mehmet',
				on: '2026-10-01'
			}
		],
		goals: [
			{ id: 'g1', text: 'Elke maandag plannen', agreedOn: '2026-11-14', reachedOn: '2027-02-06' },
			{ id: 'g2', text: 'Om feedback vragen', agreedOn: '2027-04-17', reachedOn: null }
		],
		talks
	});

	it('lists per criterion each talk, each level with its change and its evidence, by day', () => {
		const points = timeline.criteria[0]!.points.map((p) =>
			p.kind === 'level'
				? `${p.on} ${p.perspective} ${p.levelLabel} ${p.change}`
				: p.kind === 'talk'
					? `${p.on} talk ${p.title}`
					: `${p.on} ${p.kind}`
		);
		expect(points).toEqual([
			'2026-09-12 talk Driehoeksgesprek 1',
			'2026-09-12 student Ik begin met hulp first',
			'2026-09-12 mentor Ik begin met hulp first',
			'2026-11-14 talk Driehoeksgesprek 2',
			'2026-11-14 student Ik plan soms zelf step',
			'2026-11-14 mentor Ik plan soms zelf step',
			'2027-01-20 evidence',
			'2027-02-06 talk Driehoeksgesprek 3',
			'2027-02-06 student Ik plan soms zelf same',
			'2027-02-06 mentor Ik plan mijn werk zelf step',
			'2027-04-17 talk Driehoeksgesprek 4',
			'2027-04-17 student Ik plan mijn werk zelf step',
			'2027-04-17 mentor Ik plan mijn werk zelf same'
		]);
		expect(timeline.criteria[1]!.points.filter((p) => p.kind === 'level')).toHaveLength(8);
	});

	it('puts goals set and reached, talks and evidence on no current criterion in the general line', () => {
		expect(
			timeline.general.map(
				(p) => `${p.on} ${p.kind} ${p.kind === 'talk' ? p.title : 'text' in p ? p.text : ''}`
			)
		).toEqual([
			'2026-09-12 talk Driehoeksgesprek 1',
			'2026-10-01 evidence Op een oude set',
			'2026-11-14 talk Driehoeksgesprek 2',
			'2026-11-14 goal_set Elke maandag plannen',
			'2027-02-06 talk Driehoeksgesprek 3',
			'2027-02-06 goal_reached Elke maandag plannen',
			'2027-03-01 evidence Scouting',
			'2027-04-17 talk Driehoeksgesprek 4',
			'2027-04-17 goal_set Om feedback vragen'
		]);
	});

	it('keeps only a period’s points, and a first point inside it still knows it was a step', () => {
		const part = buildTimeline(
			[plannen],
			{ assessments: year, evidence: [], goals: [], talks },
			{ from: '2026-11-01', to: '2026-12-31' }
		);
		expect(part.criteria[0]!.points.map((p) => (p.kind === 'level' ? p.change : p.kind))).toEqual([
			'talk',
			'step',
			'step'
		]);
		expect(part.general.map((p) => p.on)).toEqual(['2026-11-14']);
	});
});

describe('stagnation signals per criterion', () => {
	it('asks about the stagnating criterion and not the growing one (exact set)', () => {
		expect(criterionSignals([plannen, feedback], year, '2027-05-01')).toEqual([
			{
				...feedback,
				since: '2026-09-12',
				perspectives: ['student', 'mentor'],
				views: 8,
				levelLabel: 'Ik plan soms zelf'
			}
		]);
	});

	it('waits six weeks after the last step', () => {
		const rows = [
			view(feedback, 'mentor', 0, '2027-01-01'),
			view(feedback, 'mentor', 1, '2027-02-01'),
			view(feedback, 'mentor', 1, '2027-03-01')
		];
		expect(criterionSignals([feedback], rows, '2027-03-14')).toEqual([]);
		expect(criterionSignals([feedback], rows, '2027-03-15')).toMatchObject([
			{ since: '2027-02-01', perspectives: ['mentor'], views: 2 }
		]);
	});

	it('gives no signal when nobody looked again, nor when one perspective saw a step', () => {
		const once = [view(feedback, 'student', 1, '2026-09-12')];
		expect(criterionSignals([feedback], once, '2027-05-01')).toEqual([]);
		const oneStep = [
			view(feedback, 'student', 1, '2026-09-12'),
			view(feedback, 'mentor', 1, '2026-09-12'),
			view(feedback, 'mentor', 1, '2027-04-01'),
			view(feedback, 'student', 2, '2027-04-01')
		];
		expect(criterionSignals([feedback], oneStep, '2027-05-01')).toEqual([]);
	});

	it('does not restart the clock on a parent’s first view, and names them when they looked', () => {
		const rows = [
			view(feedback, 'student', 1, '2026-09-12'),
			view(feedback, 'parent', 1, '2027-04-01')
		];
		expect(criterionSignals([feedback], rows, '2027-05-01')).toMatchObject([
			{ since: '2026-09-12', perspectives: ['parent'], views: 2 }
		]);
	});
});
