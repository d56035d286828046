/**
 * Success criteria (succescriteria) and their levels (a rubric), as a team writes them. Pure:
 * no database, no Svelte.
 *
 * A criteria set is versioned: its content below is stored per version (`criteria_set_version`)
 * and never rewritten, so an assessment made against version 3 still reads as it was made. A
 * criterion keeps its `id` across versions (renaming it is a new version of the same
 * criterion), which is what lets a timeline per criterion run over several versions.
 *
 * Levels are words ("ik begin met hulp" … "ik doe het zelf en help anderen"), never numbers:
 * their order is the order of the list, and no page a student or parent sees shows a position,
 * a score or a percentage.
 */
import { z } from 'zod';

/** Whose view an assessment is: the student's self-evaluation, the mentor's, the home view. */
export const perspectives = ['student', 'mentor', 'parent'] as const;
export type Perspective = (typeof perspectives)[number];

export const CRITERION_TITLE_MAX = 120;
export const LEVEL_LABEL_MAX = 120;
export const SET_NAME_MAX = 80;
export const MIN_LEVELS = 3;
export const MAX_LEVELS = 5;
export const MAX_CRITERIA = 20;

const localId = z
	.string()
	.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'bad_id')
	.describe('stable within the set, across versions');

export const levelSchema = z.object({
	id: localId,
	label: z.string().trim().min(1, 'required').max(LEVEL_LABEL_MAX, 'too_long')
});

export const criterionSchema = z.object({
	id: localId,
	title: z.string().trim().min(1, 'required').max(CRITERION_TITLE_MAX, 'too_long'),
	levels: z
		.array(levelSchema)
		.min(MIN_LEVELS, 'too_few_levels')
		.max(MAX_LEVELS, 'too_many_levels')
		.refine((levels) => new Set(levels.map((l) => l.id)).size === levels.length, 'duplicate_id')
});

/** What one version of a criteria set holds (`criteria_set_version.content`). */
export const criteriaContent = z.object({
	criteria: z
		.array(criterionSchema)
		.min(1, 'required')
		.max(MAX_CRITERIA, 'too_many')
		.refine((cs) => new Set(cs.map((c) => c.id)).size === cs.length, 'duplicate_id')
});

export type Level = z.output<typeof levelSchema>;
export type Criterion = z.output<typeof criterionSchema>;
export type CriteriaContent = z.output<typeof criteriaContent>;

export function findCriterion(content: CriteriaContent, criterionId: string) {
	return content.criteria.find((c) => c.id === criterionId) ?? null;
}

export function findLevel(content: CriteriaContent, criterionId: string, levelId: string) {
	return findCriterion(content, criterionId)?.levels.find((l) => l.id === levelId) ?? null;
}

/**
 * The set a new team starts from (seed 001: a rubric on learning attitude), in Dutch, the
 * words a child reads. Teams rename and rewrite it; this is only where they begin.
 */
export const defaultLeerhouding: { name: string; content: CriteriaContent } = {
	name: 'Leerhouding',
	content: {
		criteria: [
			{
				id: 'plannen',
				title: 'Ik plan mijn werk',
				levels: [
					{ id: 'begin', label: 'Ik begin met hulp' },
					{ id: 'soms', label: 'Ik plan soms zelf' },
					{ id: 'zelf', label: 'Ik plan mijn werk zelf' },
					{ id: 'helpen', label: 'Ik plan zelf en help anderen plannen' }
				]
			},
			{
				id: 'hulp-vragen',
				title: 'Ik vraag om hulp',
				levels: [
					{ id: 'begin', label: 'Ik wacht tot iemand mij helpt' },
					{ id: 'soms', label: 'Ik vraag hulp als het echt niet lukt' },
					{ id: 'zelf', label: 'Ik vraag op tijd om hulp' },
					{ id: 'helpen', label: 'Ik weet wie mij kan helpen en help anderen' }
				]
			},
			{
				id: 'feedback',
				title: 'Ik doe iets met feedback',
				levels: [
					{ id: 'begin', label: 'Ik hoor de feedback' },
					{ id: 'soms', label: 'Ik probeer de feedback soms' },
					{ id: 'zelf', label: 'Ik gebruik feedback in mijn werk' },
					{ id: 'helpen', label: 'Ik vraag zelf om feedback en geef het ook' }
				]
			}
		]
	}
};
