/**
 * Who takes part in a conversation board, and as what. Pure: no database, no Svelte.
 *
 * Everyone in a care meeting joins *as a role* and is shown with it next to their name, so a
 * child on the wall taps "Mama (ouder)" rather than typing a name. A guest picks the label when
 * joining (from the labels its link allows); staff get theirs from their relation to the child.
 */
import { z } from 'zod';
import type { GuestRole } from './capabilities';

export const participantLabels = [
	'child',
	'parent',
	'carer',
	'mentor',
	'school',
	'youth_care',
	'leerplicht',
	'social_work',
	'other'
] as const;
export type ParticipantLabel = (typeof participantLabels)[number];
export const participantLabel = z.enum(participantLabels);

/** The labels a guest may join as, per the role its link carries; none for other roles. */
export function joinLabelsFor(role: GuestRole): readonly ParticipantLabel[] {
	switch (role) {
		case 'child':
			return ['child'];
		case 'parent':
			return ['parent', 'carer'];
		case 'partner':
			return ['youth_care', 'leerplicht', 'social_work', 'other'];
		default:
			return [];
	}
}

/** Parse the label a guest chose at join time against what its link allows. */
export function parseJoinLabel(
	role: GuestRole,
	value: unknown
): ParticipantLabel | null | 'invalid' {
	const allowed = joinLabelsFor(role);
	if (allowed.length === 0) return null;
	if (allowed.length === 1) return allowed[0]!;
	const parsed = participantLabel.safeParse(value);
	return parsed.success && allowed.includes(parsed.data) ? parsed.data : 'invalid';
}

export interface Participant {
	/** The actor key check-ins and cards are keyed by (`actorId`). */
	key: string;
	name: string;
	label: ParticipantLabel;
	initials: string;
	colour: string;
}

export function initialsOf(name: string): string {
	return name
		.split(/\s+/)
		.filter(Boolean)
		.map((part) => part[0]!.toUpperCase())
		.join('')
		.slice(0, 3);
}

// Dark enough for white initials at AA contrast (>= 4.5:1).
const palette = ['#1f5f4a', '#8a3b12', '#3b4a9c', '#7a2e6e', '#0f5c73', '#6b4e00', '#8c2f39'];

/** A stable colour per key, so a face keeps its colour on every device. */
export function colourOf(key: string): string {
	let hash = 0;
	for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
	return palette[hash % palette.length]!;
}

export function makeParticipant(key: string, name: string, label: ParticipantLabel): Participant {
	return { key, name, label, initials: initialsOf(name) || '?', colour: colourOf(key) };
}
