import { m } from '$lib/paraglide/messages';
import type { ParticipantLabel } from '$lib/board/participants';
import type { Visibility } from '$lib/board/verbeterbord';
import type { MeetingStep } from '$lib/board/zorgoverleg';

export function labelText(label: ParticipantLabel): string {
	return {
		child: m.zo_label_child,
		parent: m.zo_label_parent,
		carer: m.zo_label_carer,
		mentor: m.zo_label_mentor,
		school: m.zo_label_school,
		youth_care: m.zo_label_youth_care,
		leerplicht: m.zo_label_leerplicht,
		social_work: m.zo_label_social_work,
		other: m.zo_label_other
	}[label]();
}

export function stepText(step: MeetingStep): string {
	return {
		checkin: m.zo_step_checkin,
		successes: m.zo_step_successes,
		wishes: m.zo_step_wishes,
		actions: m.zo_step_actions,
		end: m.zo_step_end
	}[step]();
}

export function visibilityText(visibility: Visibility): string {
	return { meeting: m.zo_vis_meeting, care: m.zo_vis_care, family: m.zo_vis_family }[visibility]();
}
