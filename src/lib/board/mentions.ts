/**
 * Does a piece of free text name a student? Erasing a student (privacy/erase.ts) removes what is
 * keyed by their id; a card on a team board whose own words name them ("Noor de Jong helpt
 * bij…") is found by name instead, and shown to the admin to tick before it goes.
 *
 * A mention is the full name, or the first name with the last name's initial ("Noor J",
 * "Noor J.", "Noor de J."): what teachers write when they keep it short. Case does not matter,
 * nor the amount of white space; a name inside a longer word does not count ("Noortje", "Noor
 * Jansen" for Noor de Jong). Pure: plain strings, no Yjs, no database.
 */

export interface StudentName {
	firstName: string;
	lastName: string;
}

// Not a letter or digit of any script: a name begins and ends at such a place (or the edge).
const EDGE_BEFORE = '(?<![\\p{L}\\p{N}])';
const EDGE_AFTER = '(?![\\p{L}\\p{N}])';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const words = (text: string) => text.trim().split(/\s+/).filter(Boolean);

/** One expression that finds every mention of the student, or null for an empty name. */
export function mentionPattern(name: StudentName): RegExp | null {
	const first = words(name.firstName);
	const last = words(name.lastName);
	if (first.length === 0) return null;
	const firstPart = first.map(escape).join('\\s+');
	const alternatives: string[] = [];
	if (last.length > 0) {
		alternatives.push(`${firstPart}\\s+${last.map(escape).join('\\s+')}`);
		// The initial of the family name proper: "de Jong" -> J, "van der Berg" -> B.
		const surname = last.at(-1)!;
		const prefixes = last.slice(0, -1).map(escape);
		const initial = escape(surname[0]!);
		const between = prefixes.length > 0 ? `(?:${prefixes.join('\\s+')}\\s+)?` : '';
		alternatives.push(`${firstPart}\\s+${between}${initial}\\.?`);
	} else {
		alternatives.push(firstPart);
	}
	return new RegExp(`${EDGE_BEFORE}(?:${alternatives.join('|')})${EDGE_AFTER}`, 'iu');
}

/** Whether any of `texts` names the student. */
export function mentionsStudent(texts: readonly string[], name: StudentName): boolean {
	const pattern = mentionPattern(name);
	return pattern !== null && texts.some((text) => pattern.test(text));
}
