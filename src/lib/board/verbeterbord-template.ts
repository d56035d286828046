/**
 * Copy a verbeterbord as a template for a new board: the areas, their names and the settings
 * always; with `withCards` also the goals, actions (back to "open") and ideas; concerns only
 * with `withConfidential` (who may decide that: src/lib/server/auth/permissions.ts).
 * Never copied: successes (they belong to the team that earned them), check-ins and a
 * running session. Pure: reads one Y.Doc, writes another.
 */
import type * as Y from 'yjs';
import { cardsMap, listCards, settingsMap, type Area, type Origin } from './verbeterbord';

const templateAreas: Area[] = ['goals', 'actions', 'ideas'];
// A zorgbord's concerns are about children: confidential, copied only when asked for.
const confidentialAreas: Area[] = ['concerns'];

export function copyAsTemplate(
	source: Y.Doc,
	target: Y.Doc,
	options: { withCards: boolean; withConfidential?: boolean },
	origin: Origin = 'template'
): { cards: number } {
	let cards = 0;
	target.transact(() => {
		const settings = settingsMap(target);
		for (const [key, value] of settingsMap(source).entries()) settings.set(key, value);
		if (!options.withCards) return;
		const from = cardsMap(source);
		const to = cardsMap(target);
		const copied = options.withConfidential
			? [...templateAreas, ...confidentialAreas]
			: templateAreas;
		for (const area of copied) {
			for (const card of listCards(source, area)) {
				const original = from.get(card.id);
				if (!original) continue;
				const copy = original.clone();
				if (area === 'actions') copy.set('status', 'open');
				to.set(card.id, copy);
				cards++;
			}
		}
	}, origin);
	return { cards };
}
