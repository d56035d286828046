/**
 * Creating a board from the UI: on a team (verbeterbord, zorgbord, klassenbord, progress wall)
 * or on a student (zorgoverleg, driehoeksgesprek). Who may: mayCreateBoard in
 * ./auth/permissions.ts. The creator becomes the board's owner, so they alone (with the
 * school's admins, and for a conversation the student's mentor) decide who else is invited.
 *
 * Answers: 400 with field errors for bad input; 404 for a team or student id that is not in
 * the actor's school (the load is scoped in the query, so another school's id is not found,
 * like everywhere); 403 for one of the school that the actor may not create a board on.
 */
import { z } from 'zod';
import type { Actor } from './auth/actor';
import {
	actorSchool,
	conversationKinds,
	loadStudent,
	loadTeam,
	mayCreateBoard,
	teamCreateKinds,
	type ConversationKind,
	type CreateTarget,
	type TeamCreateKind
} from './auth/permissions';
import { newId } from './auth/tokens';
import { talkCriteriaVersion } from './criteria';
import type { Database } from './db';
import { board, boardMember } from './db/schema';
import { fieldErrors, text, type FieldErrors } from './validation';

export const TITLE_MAX = 120;

export const creatableKinds = [...teamCreateKinds, ...conversationKinds] as const;
export type CreatableKind = TeamCreateKind | ConversationKind;

/*
 * A board's title is shared by everyone on it (a Dutch school, its families, the wall), so the
 * default is Dutch whatever language the creator's screen is in.
 */
const dutchKindName: Record<CreatableKind, string> = {
	verbeterbord: 'Verbeterbord',
	zorgbord: 'Zorgbord',
	klassenbord: 'Klassenverbeterbord',
	voortgangsbord: 'Voortgangsbord',
	zorgoverleg: 'Zorgoverleg',
	driehoeksgesprek: 'Driehoeksgesprek'
};

const isConversation = (kind: CreatableKind): kind is ConversationKind =>
	(conversationKinds as readonly string[]).includes(kind);

/** A form field holding an id: absent and empty are the same. */
const optionalId = text()
	.trim()
	.max(40, 'too_long')
	.optional()
	.transform((v) => v || undefined);

export const createBoardSchema = z
	.object({
		kind: z.enum(creatableKinds, { error: 'required' }),
		// Empty means "the default title" (built from the team or the student below).
		title: text().trim().max(TITLE_MAX, 'too_long').optional(),
		teamId: optionalId,
		studentId: optionalId
	})
	.superRefine((input, ctx) => {
		if (isConversation(input.kind)) {
			if (!input.studentId)
				ctx.addIssue({ code: 'custom', path: ['studentId'], message: 'required' });
		} else if (!input.teamId) {
			ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'required' });
		}
	});

export type CreateBoardInput = z.input<typeof createBoardSchema>;

export type CreateBoardResult =
	| { ok: true; id: string }
	| { ok: false; status: 400; errors: FieldErrors }
	| { ok: false; status: 403 | 404 };

export async function createBoard(
	db: Database,
	actor: Actor,
	input: unknown
): Promise<CreateBoardResult> {
	const parsed = createBoardSchema.safeParse(input);
	if (!parsed.success) return { ok: false, status: 400, errors: fieldErrors(parsed.error) };
	const { kind, title, teamId, studentId } = parsed.data;
	const schoolId = actorSchool(actor);

	let target: CreateTarget;
	let subject: string;
	if (isConversation(kind)) {
		const s = await loadStudent(db, schoolId, studentId!);
		if (!s) return { ok: false, status: 404 };
		target = { kind, student: s };
		subject = `${s.firstName} ${s.lastName}`.trim();
	} else {
		const t = await loadTeam(db, schoolId, teamId!);
		if (!t) return { ok: false, status: 404 };
		target = { kind, team: t };
		subject = t.name;
	}
	if (!(await mayCreateBoard(db, actor, target))) return { ok: false, status: 403 };
	if (actor.kind !== 'user') return { ok: false, status: 403 }; // mayCreateBoard said so already

	const id = newId();
	// One transaction: a board without its owner (nobody but admins could share it) never exists.
	await db.transaction(async (tx) => {
		// A three-way talk is held against the team's success criteria as they read today.
		const criteriaVersionId =
			kind === 'driehoeksgesprek' && 'student' in target
				? await talkCriteriaVersion(tx, schoolId, target.student.teamId, actor.user.id)
				: null;
		await tx.insert(board).values({
			criteriaVersionId,
			id,
			schoolId,
			kind,
			title: title || `${dutchKindName[kind]} ${subject}`.slice(0, TITLE_MAX).trim(),
			...('student' in target
				? { studentId: target.student.id, teamId: target.student.teamId }
				: { teamId: target.team.id }),
			createdById: actor.user.id
		});
		await tx.insert(boardMember).values({ boardId: id, userId: actor.user.id, role: 'owner' });
	});
	return { ok: true, id };
}
