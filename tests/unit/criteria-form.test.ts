import { describe, expect, it } from 'vitest';
import { defaultLeerhouding } from '../../src/lib/board/criteria';
import {
	assignIds,
	readCriteriaForm,
	slugFromWords,
	validateDraft
} from '../../src/lib/board/criteria-form';
import { goalLine, perspectivesDiffer } from '../../src/lib/board/growth';

const view = (levelLabel: string) => ({
	levelId: 'x',
	levelLabel,
	note: '',
	assessedOn: '2026-11-01',
	authorName: 'X'
});

describe('criteria form', () => {
	it('reads inputs back in index order, closing gaps', () => {
		const draft = readCriteriaForm([
			['name', 'Leerhouding'],
			['c.3.title', 'Tweede'],
			['c.3.l.0.label', 'b0'],
			['c.0.id', 'plannen'],
			['c.0.title', 'Ik plan'],
			['c.0.l.2.label', 'a2'],
			['c.0.l.2.id', 'zelf'],
			['c.0.l.0.label', 'a0'],
			['c.99.title', 'too far'],
			['other', 'ignored']
		]);
		expect(draft).toEqual({
			name: 'Leerhouding',
			criteria: [
				{
					id: 'plannen',
					title: 'Ik plan',
					levels: [
						{ id: '', label: 'a0' },
						{ id: 'zelf', label: 'a2' }
					]
				},
				{ id: '', title: 'Tweede', levels: [{ id: '', label: 'b0' }] }
			]
		});
	});

	it('makes ids from words and keeps existing ones', () => {
		expect(slugFromWords('Ik vraag óm hulp!', 'c')).toBe('ik-vraag-om-hulp');
		expect(slugFromWords('?!', 'niveau')).toBe('niveau');
		const withIds = assignIds({
			name: 'x',
			criteria: [
				{ id: 'plannen', title: 'Ik plan anders', levels: [{ id: '', label: 'Ik begin' }] },
				{
					id: '',
					title: 'Ik plan',
					levels: [
						{ id: '', label: 'Zelf' },
						{ id: '', label: 'Zelf' }
					]
				}
			]
		});
		expect(withIds.criteria.map((c) => c.id)).toEqual(['plannen', 'ik-plan']);
		expect(withIds.criteria[1]!.levels.map((l) => l.id)).toEqual(['zelf', 'zelf-2']);
	});

	it('never gives a new criterion the id of one an earlier version had', () => {
		const draft = { name: 'x', criteria: [{ id: '', title: 'Plannen', levels: [] }] };
		expect(assignIds(draft, [defaultLeerhouding.content]).criteria[0]!.id).toBe('plannen-2');
		expect(assignIds(draft).criteria[0]!.id).toBe('plannen');
	});

	it('puts each error next to its input: name, level words, 3–5 levels', () => {
		const result = validateDraft(
			assignIds({
				name: '',
				criteria: [
					{
						id: '',
						title: 'Plannen',
						levels: [
							{ id: '', label: 'a' },
							{ id: '', label: '' },
							{ id: '', label: 'c' }
						]
					},
					{ id: '', title: 'Hulp', levels: [{ id: '', label: 'a' }] },
					{
						id: '',
						title: '',
						levels: [
							{ id: '', label: 'a' },
							{ id: '', label: 'b' },
							{ id: '', label: 'c' }
						]
					}
				]
			})
		);
		expect(result).toEqual({
			ok: false,
			errors: {
				name: 'required',
				'c.0.l.1.label': 'required',
				'c.1.levels': 'too_few_levels',
				'c.2.title': 'required'
			}
		});
		const ok = validateDraft({
			name: ' Leerhouding ',
			criteria: defaultLeerhouding.content.criteria
		});
		expect(ok).toEqual({ ok: true, name: 'Leerhouding', content: defaultLeerhouding.content });
	});
});

describe('growth views', () => {
	it('sees a difference in words, not in who is right', () => {
		expect(perspectivesDiffer({})).toBe(false);
		expect(perspectivesDiffer({ student: view('Ik plan zelf') })).toBe(false);
		expect(
			perspectivesDiffer({ student: view('Ik plan zelf'), mentor: view('ik plan zelf ') })
		).toBe(false);
		expect(perspectivesDiffer({ student: view('Ik plan zelf'), parent: view('Ik begin') })).toBe(
			true
		);
	});

	it('puts the newest goal on one line with how many more', () => {
		expect(goalLine([])).toBeNull();
		expect(goalLine([{ text: 'a' }, { text: 'b' }])).toEqual({ text: 'a', more: 1 });
	});
});
