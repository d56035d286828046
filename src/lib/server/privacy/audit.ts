/**
 * The audit log's one home: who did or read what, when, about which object. Never content,
 * never tokens (issue "privacy"): an entry names an action and ids, and `meta` holds only
 * small facts (a role, a count, a reason code), never text a person wrote.
 *
 * Every read of a child's file and every privacy-relevant change goes through `recordAudit`,
 * so the admin's audit page, the student's export and retention see one table.
 */
import type { Queryable } from '../db';
import { auditLog } from '../db/schema';
import type { Actor } from '../auth/actor';

/** What can be logged. New actions are added here, so the admin page can name them all. */
export const auditActions = [
	// reads of a child's file
	'student.view',
	'student.timeline.view',
	'student.particulars.view',
	'student.evidence.view',
	'board.view',
	// privacy operations
	'student.export',
	'student.erase',
	'student.left',
	'card.erase',
	'consent.change',
	'retention.run',
	'retention.settings',
	// access
	'role.change',
	'guest.invite',
	'guest.join',
	'wall.pair',
	'login.success',
	'login.failure',
	'student_link.create',
	'student_link.revoke',
	'student_link.open',
	'student.family_share'
] as const;
export type AuditAction = (typeof auditActions)[number];

/** Who did it: an actor of a request, or the system (the retention job). */
export type AuditWho = Actor | { kind: 'system' } | { kind: 'anonymous' };

export interface AuditEntry {
	schoolId: string | null;
	who: AuditWho;
	action: AuditAction;
	subjectType?: string;
	subjectId?: string;
	/** The student the entry is about, when there is one: it goes into their export. */
	studentId?: string | null;
	/** Small facts only (role, board id, counts, reason codes); never content or tokens. */
	meta?: Record<string, unknown>;
}

/** The stored actor columns: a staff member's user id; for others their session id. */
export function auditActor(who: AuditWho): {
	actorKind: 'user' | 'device' | 'guest' | 'student' | 'system';
	actorId: string | null;
	meta: Record<string, string>;
} {
	switch (who.kind) {
		case 'user':
			return { actorKind: 'user', actorId: who.user.id, meta: {} };
		case 'device':
			return { actorKind: 'device', actorId: who.wallPairingId, meta: { teamId: who.teamId } };
		case 'guest':
			// A guest has no account: the session names them, with the role and board they came in as.
			return {
				actorKind: 'guest',
				actorId: who.session.id,
				meta: { guestRole: who.role, guestBoardId: who.boardId }
			};
		case 'student':
			return { actorKind: 'student', actorId: `student:${who.studentId}`, meta: {} };
		case 'system':
		case 'anonymous':
			return { actorKind: 'system', actorId: null, meta: {} };
	}
}

export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
	const { actorKind, actorId, meta } = auditActor(entry.who);
	await db.insert(auditLog).values({
		schoolId: entry.schoolId,
		actorKind,
		actorId,
		action: entry.action,
		subjectType: entry.subjectType ?? null,
		subjectId: entry.subjectId ?? null,
		studentId: entry.studentId ?? null,
		meta: { ...meta, ...(entry.meta ?? {}) }
	});
}
