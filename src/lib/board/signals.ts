/**
 * Early signals of stagnation, as questions for the next meeting: never alarms, never scores.
 * Pure: history in, signals out, each carrying the facts that made it appear, so the wall can
 * say *why* ("orange since 12 October, in 4 weekly updates").
 *
 * Weeks are 7-day windows counted back from `now` (window 0 is the last 7 days), so the
 * answer does not jump at midnight on Sunday and does not depend on the server's time zone.
 */
import { DAY_MS, WEEK_MS } from './dates';
import { defaultThresholds, type Stoplight, type Thresholds } from './voortgang';

/** A `student_event` row as the signals need it; only kind 'update' feeds the light and flags. */
export interface SignalEvent {
	studentId: string;
	kind: string;
	at: Date;
	data: { stoplight?: Stoplight | null; flags?: string[] };
}

export interface SignalGoal {
	id: string;
	studentId: string;
	text: string;
	/** yyyy-mm-dd */
	dueDate: string | null;
	status: 'open' | 'progress' | 'done';
}

export type Signal =
	| {
			kind: 'streak';
			studentId: string;
			stoplight: 'orange' | 'red';
			/** Number of weekly windows the light has been this colour, counting this one. */
			weeks: number;
			since: string;
			updates: number;
	  }
	| { kind: 'silent'; studentId: string; weeks: number; lastUpdate: string }
	| { kind: 'concern'; studentId: string; flag: string; weeks: number; lookbackWeeks: number }
	| {
			kind: 'goal';
			studentId: string;
			goalId: string;
			text: string;
			dueDate: string;
			daysOver: number;
	  };

export type SignalKind = Signal['kind'];
const kindOrder: Record<SignalKind, number> = { streak: 0, silent: 1, concern: 2, goal: 3 };

const windowOf = (now: Date, at: Date) => Math.floor((now.getTime() - at.getTime()) / WEEK_MS);

export function computeSignals(
	events: SignalEvent[],
	now: Date,
	thresholds: Thresholds = defaultThresholds,
	goals: SignalGoal[] = []
): Signal[] {
	const signals: Signal[] = [];
	const byStudent = new Map<string, SignalEvent[]>();
	for (const e of events) {
		if (e.kind !== 'update' || e.at.getTime() > now.getTime()) continue;
		const list = byStudent.get(e.studentId) ?? [];
		list.push(e);
		byStudent.set(e.studentId, list);
	}

	for (const [studentId, list] of byStudent) {
		list.sort((a, b) => a.at.getTime() - b.at.getTime());
		const last = list[list.length - 1]!;

		// The same orange or red light, update after update.
		const light = last.data.stoplight;
		if (light === 'orange' || light === 'red') {
			let first = list.length - 1;
			while (first > 0 && list[first - 1]!.data.stoplight === light) first -= 1;
			const since = list[first]!.at;
			const weeks = windowOf(now, since) + 1;
			if (weeks >= thresholds.streakWeeks) {
				signals.push({
					kind: 'streak',
					studentId,
					stoplight: light,
					weeks,
					since: since.toISOString(),
					updates: list.length - first
				});
			}
		}

		// Nobody has looked at this student for a while.
		const silentWeeks = windowOf(now, last.at);
		if (silentWeeks >= thresholds.silentWeeks) {
			signals.push({
				kind: 'silent',
				studentId,
				weeks: silentWeeks,
				lastUpdate: last.at.toISOString()
			});
		}

		// The same concern (flag) raised in several different weeks.
		const weeksPerFlag = new Map<string, Set<number>>();
		for (const e of list) {
			const w = windowOf(now, e.at);
			if (w >= thresholds.lookbackWeeks) continue;
			for (const flag of e.data.flags ?? []) {
				const set = weeksPerFlag.get(flag) ?? new Set<number>();
				set.add(w);
				weeksPerFlag.set(flag, set);
			}
		}
		for (const [flag, set] of [...weeksPerFlag].sort(([a], [b]) => a.localeCompare(b))) {
			if (set.size >= thresholds.concernCount) {
				signals.push({
					kind: 'concern',
					studentId,
					flag,
					weeks: set.size,
					lookbackWeeks: thresholds.lookbackWeeks
				});
			}
		}
	}

	// A goal whose date has passed with nothing recorded since it was set.
	const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
	for (const goal of goals) {
		if (goal.status !== 'open' || !goal.dueDate) continue;
		const due = Date.parse(`${goal.dueDate}T00:00:00Z`);
		if (Number.isNaN(due) || due >= today) continue;
		signals.push({
			kind: 'goal',
			studentId: goal.studentId,
			goalId: goal.id,
			text: goal.text,
			dueDate: goal.dueDate,
			daysOver: Math.round((today - due) / DAY_MS)
		});
	}

	return signals.sort(
		(a, b) => a.studentId.localeCompare(b.studentId) || kindOrder[a.kind] - kindOrder[b.kind]
	);
}
