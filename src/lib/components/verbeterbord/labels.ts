import { m } from '$lib/paraglide/messages';
import type { ActionStatus, Area, BoardSettings, SessionStep } from '$lib/board/verbeterbord';

export function statusLabel(status: ActionStatus): string {
	return {
		open: m.vb_status_open,
		doing: m.vb_status_doing,
		done: m.vb_status_done,
		stuck: m.vb_status_stuck
	}[status]();
}

/** The area's own name, unless the team renamed it in the board settings. */
export function areaLabel(area: Area, settings?: BoardSettings, pupil = false): string {
	const renamed = settings?.areaNames[area]?.trim();
	if (renamed) return renamed;
	if (pupil) {
		return {
			successes: m.vb_pupil_area_successes,
			goals: m.vb_pupil_area_goals,
			actions: m.vb_pupil_area_actions,
			ideas: m.vb_pupil_area_ideas,
			concerns: m.vb_area_concerns,
			wishes: m.zo_area_wishes,
			views: m.talk_area_views,
			evidence: m.talk_area_evidence
		}[area]();
	}
	return {
		successes: m.vb_area_successes,
		goals: m.vb_area_goals,
		actions: m.vb_area_actions,
		ideas: m.vb_area_ideas,
		concerns: m.vb_area_concerns,
		wishes: m.zo_area_wishes,
		views: m.talk_area_views,
		evidence: m.talk_area_evidence
	}[area]();
}

export function stepLabel(step: SessionStep): string {
	return {
		checkin: m.vb_step_checkin,
		successes: m.vb_step_successes,
		review: m.vb_step_review,
		goals: m.vb_step_goals,
		actions: m.vb_step_actions
	}[step]();
}

/** Words for check-in values per scale (the face itself is drawn, this is its name). */
export function moodLabel(value: number, scale: string): string {
	const words =
		scale === 'weather'
			? [m.vb_weather_red, m.vb_weather_orange, m.vb_weather_green]
			: scale === 'five'
				? [m.vb_mood_1, m.vb_mood_2, m.vb_mood_3, m.vb_mood_4, m.vb_mood_5]
				: [m.vb_mood_sad, m.vb_mood_neutral, m.vb_mood_happy];
	return words[value - 1]?.() ?? String(value);
}
