/**
 * What "today" means on the first screen ("Vandaag"): the school week it falls in, whether a
 * board's weekly session is still to be held, and which actions on a board are someone's own
 * and due. Pure (no DB, no Svelte) so the server and the tests share one reading of a week.
 */
import { DAY_MS } from './dates';
import { mondayOf } from './planning';
import { personKey, today, type Card } from './verbeterbord';

/**
 * The week `now` falls in, Monday to Sunday, as `YYYY-MM-DD` (local days, like card dates), and
 * the moment it began.
 */
export function weekOf(now: Date): { start: string; end: string; startAt: Date } {
	const start = mondayOf(today(now));
	const [y, m, d] = start.split('-').map(Number) as [number, number, number];
	const startAt = new Date(y, m - 1, d);
	const end = new Date(Date.parse(`${start}T12:00:00Z`) + 6 * DAY_MS).toISOString().slice(0, 10);
	return { start, end, startAt };
}

/**
 * A weekly board session is due when none was started this week. `lastStartedAt` is the start
 * of the newest kept record (ISO), or null when the board never held one.
 */
export function sessionDue(lastStartedAt: string | null, now: Date): boolean {
	if (!lastStartedAt) return true;
	const at = Date.parse(lastStartedAt);
	return Number.isNaN(at) || at < weekOf(now).startAt.getTime();
}

export interface DueAction {
	id: string;
	title: string;
	due: string;
	overdue: boolean;
}

/**
 * The open actions on a board that are `person`'s (the card's "who" names them, compared the
 * way a check-in name is) and due by the end of this week, overdue ones included; earliest first.
 * Actions without a date are left out: nothing says they are for today.
 */
export function actionsDueFor(cards: readonly Card[], person: string, now: Date): DueAction[] {
	const me = personKey(person);
	if (!me) return [];
	const { end } = weekOf(now);
	const on = today(now);
	return cards
		.flatMap((card) =>
			card.type === 'actions' &&
			card.status !== 'done' &&
			card.due &&
			card.due <= end &&
			personKey(card.who) === me
				? [{ id: card.id, title: card.title, due: card.due, overdue: card.due < on }]
				: []
		)
		.sort((a, b) => a.due.localeCompare(b.due) || a.title.localeCompare(b.title, 'nl'));
}
