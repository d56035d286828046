/** Who is making a request. Every permission check starts from one of these. */
import type { GuestRole } from '../../board/capabilities';
import { m } from '../../paraglide/messages';
import type { Session, User } from '../db/schema';

export type { GuestRole };

export type Actor =
	| {
			kind: 'user';
			session: Session;
			user: Pick<User, 'id' | 'schoolId' | 'email' | 'name' | 'role' | 'locale'>;
	  }
	| { kind: 'device'; session: Session; schoolId: string; teamId: string; wallPairingId: string }
	| {
			kind: 'guest';
			session: Session;
			schoolId: string;
			boardId: string;
			role: GuestRole;
			displayName: string;
			/**
			 * A `child` link's own child (board_invite.student_id): the one child this device speaks,
			 * reads and writes as. Null (or absent) for other roles and on a board with no child.
			 */
			childId?: string | null;
	  }
	/**
	 * A student on their own device, through their personal link (`student_link`): no account,
	 * the child on their own conversation boards and the author of their own preparation.
	 */
	| {
			kind: 'student';
			session: Session;
			schoolId: string;
			studentId: string;
			displayName: string;
	  };

export function actorName(actor: Actor): string {
	switch (actor.kind) {
		case 'user':
			return actor.user.name;
		case 'device':
			// In the viewer's language ("Wand" in the Dutch UI; outside a request, Dutch).
			return m.wl_actor_name();
		case 'guest':
		case 'student':
			return actor.displayName;
	}
}

/**
 * The child an actor is on a conversation board, as a student id: a student through their own
 * link, or a `child` guest link bound to its child. Null for everyone else (and for a child
 * link on a board with no child).
 */
export function actorChildId(actor: Actor): string | null {
	if (actor.kind === 'student') return actor.studentId;
	if (actor.kind === 'guest' && actor.role === 'child') return actor.childId ?? null;
	return null;
}

/**
 * The key a person's cards and check-ins are kept under. A student is the same person on every
 * phone and every session their link opens, and the same child the care meeting already lists
 * (zorgoverleg.ts `meetingParticipants`): `student:<id>`.
 */
export function actorId(actor: Actor): string {
	if (actor.kind === 'user') return actor.user.id;
	if (actor.kind === 'student') return `student:${actor.studentId}`;
	return actor.session.id;
}
