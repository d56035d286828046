import { m } from '$lib/paraglide/messages';
import type { Perspective } from '$lib/board/criteria';

/** Whose view: "Leerling", "Mentor", "Thuis". */
export function perspectiveText(perspective: Perspective): string {
	return {
		student: m.talk_perspective_student,
		mentor: m.talk_perspective_mentor,
		parent: m.talk_perspective_parent
	}[perspective]();
}
