/**
 * Editing a criteria set in a form: the names of its inputs, reading them back into a draft,
 * and giving new criteria and levels an id made from their words. Pure: no database, no Svelte.
 *
 * Ids are what keep history attached: an assessment stores the criterion and level id, and a
 * criterion keeps its id across versions. So an existing criterion or level keeps the id it
 * came with (a hidden input), and a new one gets an id from its words that no earlier version
 * of the set used: reusing a removed criterion's id would hang its old assessments on a new
 * meaning.
 */
import {
	criteriaContent,
	type CriteriaContent,
	MAX_CRITERIA,
	MAX_LEVELS,
	SET_NAME_MAX
} from './criteria';
import { z } from 'zod';

export interface LevelDraft {
	id: string;
	label: string;
}
export interface CriterionDraft {
	id: string;
	title: string;
	levels: LevelDraft[];
}
export interface SetDraft {
	name: string;
	criteria: CriterionDraft[];
}

/** Input names: `c.<i>.title`, `c.<i>.id`, `c.<i>.l.<j>.label`, `c.<i>.l.<j>.id`. */
export const fieldName = {
	name: 'name',
	criterionId: (i: number) => `c.${i}.id`,
	criterionTitle: (i: number) => `c.${i}.title`,
	levelId: (i: number, j: number) => `c.${i}.l.${j}.id`,
	levelLabel: (i: number, j: number) => `c.${i}.l.${j}.label`,
	/** Where an error about a criterion's list of levels is shown. */
	levels: (i: number) => `c.${i}.levels`
};

const FIELD = /^c\.(\d{1,2})\.(?:(id|title)|l\.(\d{1,2})\.(id|label))$/;

/**
 * The draft a form describes, in the order of its indexes (gaps closed). Indexes beyond what a
 * set may hold are ignored rather than trusted: the form cannot make us build a huge array.
 */
export function readCriteriaForm(entries: Iterable<[string, unknown]>): SetDraft {
	let name = '';
	const criteria = new Map<
		number,
		{ id: string; title: string; levels: Map<number, LevelDraft> }
	>();
	for (const [key, raw] of entries) {
		const value = typeof raw === 'string' ? raw : '';
		if (key === fieldName.name) {
			name = value;
			continue;
		}
		const match = FIELD.exec(key);
		if (!match) continue;
		const i = Number(match[1]);
		if (i >= MAX_CRITERIA + 5) continue;
		const c = criteria.get(i) ?? { id: '', title: '', levels: new Map() };
		criteria.set(i, c);
		if (match[2] === 'id') c.id = value.trim();
		else if (match[2] === 'title') c.title = value;
		else {
			const j = Number(match[3]);
			if (j >= MAX_LEVELS + 5) continue;
			const l = c.levels.get(j) ?? { id: '', label: '' };
			c.levels.set(j, l);
			if (match[4] === 'id') l.id = value.trim();
			else l.label = value;
		}
	}
	const byIndex = <T>(m: Map<number, T>) =>
		[...m.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
	return {
		name,
		criteria: byIndex(criteria).map((c) => ({
			id: c.id,
			title: c.title,
			levels: byIndex(c.levels)
		}))
	};
}

/** An id from words: "Ik vraag óm hulp!" → "ik-vraag-om-hulp" (at most 40 characters). */
export function slugFromWords(words: string, fallback: string): string {
	const slug = words
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 36)
		.replace(/-+$/g, '');
	return slug || fallback;
}

function unique(base: string, taken: Set<string>): string {
	let id = base;
	for (let n = 2; taken.has(id); n++) id = `${base.slice(0, 36)}-${n}`;
	taken.add(id);
	return id;
}

/**
 * Gives every new criterion and level (empty id) an id from its words, unused in this draft
 * and in every earlier version of the set (`history`). Existing ids are kept as they are.
 */
export function assignIds(draft: SetDraft, history: CriteriaContent[] = []): SetDraft {
	const takenCriteria = new Set<string>(draft.criteria.map((c) => c.id).filter(Boolean));
	for (const v of history) for (const c of v.criteria) takenCriteria.add(c.id);
	return {
		name: draft.name,
		criteria: draft.criteria.map((c) => {
			const id = c.id || unique(slugFromWords(c.title, 'criterium'), takenCriteria);
			const takenLevels = new Set<string>(c.levels.map((l) => l.id).filter(Boolean));
			for (const v of history) {
				for (const old of v.criteria) {
					if (old.id === id) for (const l of old.levels) takenLevels.add(l.id);
				}
			}
			return {
				id,
				title: c.title,
				levels: c.levels.map((l) => ({
					id: l.id || unique(slugFromWords(l.label, 'niveau'), takenLevels),
					label: l.label
				}))
			};
		})
	};
}

export const setNameSchema = z
	.string()
	.trim()
	.min(1, 'required')
	.max(SET_NAME_MAX, 'too_long')
	.refine((s) => !s.includes('\u0000'), 'invalid_characters');

export type CriteriaFormResult =
	| { ok: true; name: string; content: CriteriaContent }
	| { ok: false; errors: Record<string, string> };

/**
 * Validates a draft (ids already assigned) with the one content schema, and says what is wrong
 * next to the input it is about: `c.1.l.2.label`, `c.1.levels` (3 to 5 levels), `criteria`.
 */
export function validateDraft(draft: SetDraft): CriteriaFormResult {
	const errors: Record<string, string> = {};
	const name = setNameSchema.safeParse(draft.name);
	if (!name.success) errors[fieldName.name] = name.error.issues[0]!.message;
	const content = criteriaContent.safeParse({ criteria: draft.criteria });
	if (!content.success) {
		for (const issue of content.error.issues) {
			const [, i, key, j] = issue.path as [string, number?, string?, number?];
			let field = 'criteria';
			if (typeof i === 'number' && key === 'levels' && typeof j === 'number') {
				// A bad level id is shown at the level's words: the id is a hidden input.
				field = fieldName.levelLabel(i, j);
			} else if (typeof i === 'number' && key === 'levels') field = fieldName.levels(i);
			else if (typeof i === 'number') field = fieldName.criterionTitle(i);
			errors[field] ??= issue.message;
		}
	}
	if (!name.success || !content.success) return { ok: false, errors };
	return { ok: true, name: name.data, content: content.data };
}
