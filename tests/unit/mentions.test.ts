import { describe, expect, it } from 'vitest';
import { mentionPattern, mentionsStudent } from '../../src/lib/board/mentions';

const noor = { firstName: 'Noor', lastName: 'de Jong' };
const named = (text: string, name = noor) => mentionsStudent([text], name);

describe('finding a student named in free text', () => {
	it('finds the full name, in any case and spacing', () => {
		expect(named('Noor de Jong helpt bij het lezen')).toBe(true);
		expect(named('gesprek met NOOR DE JONG')).toBe(true);
		expect(named('noor  de\njong komt later')).toBe(true);
	});

	it('finds the first name with the initial of the family name', () => {
		expect(named('Noor J. helpt bij rekenen')).toBe(true);
		expect(named('vraag: noor j?')).toBe(true);
		expect(named('Noor de J. zit nu vooraan')).toBe(true);
		expect(named('(Noor J)')).toBe(true);
	});

	it('does not find another child or a name inside a word', () => {
		expect(named('Noor Jansen helpt bij rekenen')).toBe(false);
		expect(named('Noortje de Jong')).toBe(false);
		expect(named('Noor helpt bij rekenen')).toBe(false);
		expect(named('Sanne de Jong')).toBe(false);
		expect(named('Noor K. en Jong')).toBe(false);
	});

	it('reads names with several words and letters outside ASCII', () => {
		const name = { firstName: 'Zoë Anne', lastName: 'van der Berg' };
		expect(named('Zoë Anne van der Berg', name)).toBe(true);
		expect(named('ZOË ANNE B.', name)).toBe(true);
		expect(named('zoë anne van der b', name)).toBe(true);
		expect(named('Zoë Anne Bakker', name)).toBe(false);
		expect(named('Zoë Berg', name)).toBe(false);
	});

	it('treats characters of the name literally', () => {
		const name = { firstName: 'A.J.', lastName: "d'Ancona (jr)" };
		expect(named("A.J. d'Ancona (jr) komt", name)).toBe(true);
		expect(named('AxJx dxAncona', name)).toBe(false);
	});

	it('an empty first name matches nothing', () => {
		expect(mentionPattern({ firstName: ' ', lastName: 'de Jong' })).toBeNull();
		expect(named('de Jong', { firstName: '', lastName: 'de Jong' })).toBe(false);
	});
});
