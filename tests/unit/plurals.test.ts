import { describe, expect, it } from 'vitest';
import { m } from '../../src/lib/paraglide/messages';

describe('counted messages read right in Dutch and English', () => {
	it('one question, two questions', () => {
		expect(m.vg_questions_count({ count: 1 }, { locale: 'nl' })).toBe('1 vraag voor het overleg');
		expect(m.vg_questions_count({ count: 2 }, { locale: 'nl' })).toBe('2 vragen voor het overleg');
		expect(m.vg_questions_count({ count: 1 }, { locale: 'en' })).toBe('1 question for the meeting');
		expect(m.vg_questions_count({ count: 3 }, { locale: 'en' })).toBe(
			'3 questions for the meeting'
		);
	});

	it('one big question, two big questions', () => {
		expect(m.rv_plenary_intro({ count: 1 }, { locale: 'nl' })).toMatch(/^1 grote vraag\./);
		expect(m.rv_plenary_intro({ count: 2 }, { locale: 'nl' })).toMatch(/^2 grote vragen\./);
		expect(m.rv_plenary_intro({ count: 1 }, { locale: 'en' })).toMatch(/^1 big question\./);
	});

	it('one success, one new action in a session’s line on the history page', () => {
		expect(m.vb_history_count_successes({ count: 1 }, { locale: 'nl' })).toBe('1 succes');
		expect(m.vb_history_count_successes({ count: 2 }, { locale: 'nl' })).toBe('2 successen');
		expect(m.vb_history_count_actions({ count: 1 }, { locale: 'nl' })).toBe('1 nieuwe actie');
		expect(m.vb_history_count_actions({ count: 3 }, { locale: 'nl' })).toBe('3 nieuwe acties');
		expect(m.vb_history_count_successes({ count: 1 }, { locale: 'en' })).toBe('1 success');
		expect(m.vb_history_count_checkins({ count: 1 }, { locale: 'en' })).toBe('1 check-in');
	});
});
