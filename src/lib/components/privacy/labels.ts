/** Dutch-first labels for audit actions and the people in an audit row. */
import { m } from '$lib/paraglide/messages';

const actionLabels: Record<string, () => string> = {
	'student.view': m.pv_action_student_view,
	'student.timeline.view': m.pv_action_student_timeline_view,
	'student.particulars.view': m.pv_action_student_particulars_view,
	'student.evidence.view': m.pv_action_student_evidence_view,
	'student.review.view': m.pv_action_student_review_view,
	'student.photo.view': m.pv_action_student_photo_view,
	'board.view': m.pv_action_board_view,
	'board.record.view': m.pv_action_board_record_view,
	'team.pass.view': m.pv_action_team_pass_view,
	'student.export': m.pv_action_student_export,
	'student.erase': m.pv_action_student_erase,
	'student.left': m.pv_action_student_left,
	'card.erase': m.pv_action_card_erase,
	'consent.change': m.pv_action_consent_change,
	'retention.run': m.pv_action_retention_run,
	'retention.settings': m.pv_action_retention_settings,
	'role.change': m.pv_action_role_change,
	'guest.invite': m.pv_action_guest_invite,
	'guest.join': m.pv_action_guest_join,
	'wall.pair': m.pv_action_wall_pair,
	'login.success': m.pv_action_login_success,
	'login.failure': m.pv_action_login_failure,
	'student_link.create': m.pv_action_student_link_create,
	'student_link.revoke': m.pv_action_student_link_revoke,
	'student_link.open': m.pv_action_student_link_open,
	'student.family_share': m.pv_action_student_family_share,
	'board.sibling_add': m.pv_action_board_sibling_add,
	'board.sibling_remove': m.pv_action_board_sibling_remove
};

export function auditActionLabel(action: string): string {
	return actionLabels[action]?.() ?? m.pv_action_other({ action });
}

const guestRoleLabels: Record<string, () => string> = {
	editor: m.pv_grole_editor,
	viewer: m.pv_grole_viewer,
	child: m.pv_grole_child,
	parent: m.pv_grole_parent,
	partner: m.pv_grole_partner
};

export type AuditWhoView =
	| { kind: 'user'; name: string; role: 'admin' | 'staff' | null }
	| { kind: 'guest'; role: string; boardTitle: string | null }
	| { kind: 'device'; teamName: string | null }
	| { kind: 'student'; name: string | null }
	| { kind: 'system' };

export function auditWhoLabel(who: AuditWhoView): string {
	switch (who.kind) {
		case 'user':
			if (!who.name) return m.pv_who_unknown_user();
			return `${who.name} (${who.role === 'admin' ? m.role_admin() : m.role_staff()})`;
		case 'guest': {
			const role = guestRoleLabels[who.role]?.() ?? who.role;
			return who.boardTitle
				? m.pv_who_guest({ role, board: who.boardTitle })
				: m.pv_who_guest_noboard({ role });
		}
		case 'device':
			return who.teamName ? m.pv_who_wall({ team: who.teamName }) : m.pv_who_wall_unknown();
		case 'student':
			return who.name ? m.pv_who_student({ name: who.name }) : m.pv_who_student_unknown();
		case 'system':
			return m.pv_who_system();
	}
}

/** Small facts of a row (reason codes, counts) as "key: value", never content. */
export function auditFacts(facts: Record<string, unknown>): string {
	const flat = (v: unknown): string =>
		v && typeof v === 'object'
			? Object.entries(v)
					.map(([k, x]) => `${k} ${flat(x)}`)
					.join(', ')
			: String(v);
	return Object.entries(facts)
		.map(([k, v]) => `${k}: ${flat(v)}`)
		.join(' · ');
}
