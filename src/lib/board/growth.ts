/**
 * Growth data outside a board's document: assessments from three perspectives, the student's
 * evidence and the goals agreed in a three-way talk. The zod schemas are the contract for a
 * form, an endpoint and the talk's end alike. Pure: no database, no Svelte.
 */
import { z } from 'zod';
import { isoDate } from './dates';
import { perspectives, type Perspective } from './criteria';
// A talk agrees one to three goals (domain.md): the talk's rule, and its record's bounds, live there.
import { RECORD_MAX_GOAL_ACTIONS, RECORD_MAX_GOALS } from './driehoeksgesprek';
import { TITLE_MAX } from './verbeterbord';

export const NOTE_MAX = 280;
export const EVIDENCE_TEXT_MAX = 500;
/**
 * An agreed goal and its actions are written on the talk's board first, as cards: their one
 * limit is the card's (verbeterbord.ts `TITLE_MAX`), so whatever the board took, growth takes.
 */
export const GOAL_TEXT_MAX = TITLE_MAX;
export const ACTION_TEXT_MAX = TITLE_MAX;
export const WHO_MAX = 80;

const noNul = (s: string) => !s.includes('\u0000');
const id = z.string().min(1).max(40);

/** One perspective's assessment on one criterion, as the server stores it. */
export const assessmentInput = z.object({
	schoolId: id,
	studentId: id,
	versionId: id,
	criterionId: id,
	levelId: id,
	perspective: z.enum(perspectives),
	note: z.string().trim().max(NOTE_MAX, 'too_long').refine(noNul, 'invalid_characters').default(''),
	evidenceId: id.nullable().default(null),
	authorName: z.string().trim().min(1, 'required').max(120, 'too_long').refine(noNul),
	authorUserId: id.nullable().default(null),
	boardId: id.nullable().default(null),
	assessedOn: isoDate()
});
export type AssessmentInput = z.input<typeof assessmentInput>;

export const agreedActionSchema = z.object({
	what: z.string().trim().min(1, 'required').max(ACTION_TEXT_MAX, 'too_long').refine(noNul),
	who: z.string().trim().max(WHO_MAX, 'too_long').refine(noNul).default(''),
	due: isoDate().nullable().default(null)
});

export const agreedGoalSchema = z.object({
	text: z.string().trim().min(1, 'required').max(GOAL_TEXT_MAX, 'too_long').refine(noNul),
	dueDate: isoDate().nullable().default(null),
	/** Who wrote this goal, when not the batch's `writtenBy`: 'student' for their own, taken up. */
	writtenBy: z.string().trim().min(1).max(120).optional(),
	actions: z.array(agreedActionSchema).max(RECORD_MAX_GOAL_ACTIONS, 'too_many').default([])
});

export const agreedGoalsInput = z.object({
	schoolId: id,
	studentId: id,
	/** The talk they were agreed in; null only for goals agreed outside a board (the demo). */
	boardId: id.nullable(),
	/** Who wrote them down: 'student' when the student did, else a staff member's name. */
	writtenBy: z.string().trim().min(1).max(120),
	agreedAt: z.date().optional(),
	goals: z.array(agreedGoalSchema).min(1, 'required').max(RECORD_MAX_GOALS, 'too_many')
});
export type AgreedGoalsInput = z.input<typeof agreedGoalsInput>;
export type AgreedAction = z.output<typeof agreedActionSchema>;

/** The evidence form: text and/or a photo (checked apart), an optional criterion. */
export const evidenceForm = z.object({
	text: z
		.string()
		.trim()
		.max(EVIDENCE_TEXT_MAX, 'too_long')
		.refine(noNul, 'invalid_characters')
		.default(''),
	outsideSchool: z
		.union([z.literal('on'), z.literal('true'), z.literal('')])
		.optional()
		.transform((v) => v === 'on' || v === 'true'),
	/** `<setId>:<criterionId>` from one select, or empty for none. */
	criterion: z
		.string()
		.max(90)
		.regex(/^$|^[A-Za-z0-9_-]{1,40}:[a-z0-9][a-z0-9-]{0,39}$/, 'unknown_criterion')
		.default('')
});

export interface PerspectiveView {
	levelId: string;
	levelLabel: string;
	note: string;
	assessedOn: string;
	authorName: string;
}

/**
 * Whether the perspectives present see a criterion differently. Words are compared, not
 * positions: a view says "bespreek het", never who is right or how far apart.
 */
export function perspectivesDiffer(views: Partial<Record<Perspective, PerspectiveView>>): boolean {
	const labels = new Set(
		Object.values(views)
			.filter((v): v is PerspectiveView => v !== undefined)
			.map((v) => v.levelLabel.trim().toLowerCase())
	);
	return labels.size > 1;
}

/** One line for a card: the newest goal and how many more there are. */
export function goalLine(
	goals: readonly { text: string }[]
): { text: string; more: number } | null {
	if (goals.length === 0) return null;
	return { text: goals[0]!.text, more: goals.length - 1 };
}

/**
 * A level recorded outside a talk (self-evaluation on the student's phone, or the mentor on the
 * student's page): which criterion (`<setId>:<criterionId>`), which level, an optional line.
 * Whether the criterion and level exist in the set's current version is the server's check.
 */
export const levelForm = z.object({
	criterion: z
		.string()
		.max(90)
		.regex(/^[A-Za-z0-9_-]{1,40}:[a-z0-9][a-z0-9-]{0,39}$/, 'invalid'),
	level: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'invalid'),
	note: z.string().trim().max(NOTE_MAX, 'too_long').refine(noNul, 'invalid').default('')
});

export type LevelForm = z.output<typeof levelForm>;

/** A level in the weekly pass on one criterion: the same form, for one student of the team. */
export const passLevelForm = levelForm.extend({
	studentId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'invalid')
});
