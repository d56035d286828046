/**
 * The student's own home (`/me`), opened through their personal link: their conversation
 * boards, the review rounds they can prepare for, and (from 16) what their parents see.
 * Everything is loaded for the student actor itself, through the one policy.
 */
import type { Actor } from './auth/actor';
import { ageOn } from './photos/consent';
import { loadStudent, mayChooseFamilyShare } from './auth/permissions';
import { listConversationsFor } from './boards';
import type { Queryable } from './db';
import { openRoundsForStudent } from './review';

export async function studentHome(
	db: Queryable,
	actor: Extract<Actor, { kind: 'student' }>,
	now = new Date()
) {
	const s = await loadStudent(db, actor.schoolId, actor.studentId);
	if (!s) return null;
	const [conversations, rounds] = await Promise.all([
		listConversationsFor(db, actor, s),
		openRoundsForStudent(db, s)
	]);
	const roundLinks = rounds.map((r) => ({
		id: r.id,
		title: r.title,
		href: `/reviews/${r.id}/prepare/${s.id}`
	}));
	const evidenceHref = `/students/${s.id}/evidence`;
	return {
		name: `${s.firstName} ${s.lastName}`.trim(),
		next: nextStep(roundLinks, conversations, evidenceHref),
		firstName: s.firstName,
		conversations,
		rounds: roundLinks,
		evidenceHref,
		growthHref: `/students/${s.id}/growth`,
		// Under 16 the setting is not theirs: not offered (and not applied: permissions.ts).
		familyShare: mayChooseFamilyShare(s, now) ? s.familyShare : null
	};
}

/**
 * The one thing to do next, at the top of the student's home: a review to prepare comes first
 * (it has a date), then a conversation not held yet, else adding their own work.
 */
export function nextStep(
	rounds: Array<{ title: string; href: string }>,
	conversations: Array<{ id: string; title: string; lastRecordAt: Date | null }>,
	evidenceHref: string
): { kind: 'review' | 'talk' | 'evidence'; title: string; href: string } {
	const round = rounds[0];
	if (round) return { kind: 'review', title: round.title, href: round.href };
	const talk = conversations.find((c) => c.lastRecordAt === null);
	if (talk) return { kind: 'talk', title: talk.title, href: `/boards/${talk.id}` };
	return { kind: 'evidence', title: '', href: evidenceHref };
}

/** What the mentor sees of a 16+ student's choice; null under 16 (nothing to show). */
export function familyChoiceOf(
	s: { firstName: string; birthDate: string | null; familyShare: 'family' | 'none' },
	now = new Date()
) {
	if (!mayChooseFamilyShare(s, now) || !s.birthDate) return null;
	return { name: s.firstName, age: ageOn(s.birthDate, now), choice: s.familyShare };
}
