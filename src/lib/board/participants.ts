/**
 * Who takes part in a conversation board, and as what. Pure: no database, no Svelte.
 *
 * Everyone in a care meeting joins *as a role* and is shown with it next to their name, so a
 * child on the wall taps "Mama (ouder)" rather than typing a name. A guest picks the label when
 * joining (from the labels its link allows); staff get theirs from their relation to the child.
 */
import * as Y from 'yjs';
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
			// Ouder, verzorger, or someone else who brings the child up (a grandparent, a guardian):
			// shown with the name they type.
			return ['parent', 'carer', 'other'];
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
	/** The key their check-in is kept under when someone else (the child, staff) places it. */
	key: string;
	/**
	 * Every actor key that speaks for this person (`actorId` of each device they joined on, and
	 * `key`): one person however many devices, so their own device finds its own face.
	 */
	keys: string[];
	name: string;
	label: ParticipantLabel;
	initials: string;
	colour: string;
}

/**
 * A face's letters: first and last name ("Daan de Vries" is DV, as Dutch schools write it;
 * the tussenvoegsel does not count), so two letters always fit the circle.
 */
export function initials(name: string): string {
	const parts = name.trim().split(/\s+/).filter(Boolean);
	if (parts.length === 0) return '?';
	const first = parts[0]![0] ?? '';
	const last = parts.length > 1 ? (parts[parts.length - 1]![0] ?? '') : '';
	return (first + last).toUpperCase();
}

// Dark enough for white initials at AA contrast (>= 4.5:1).
const palette = ['#1f5f4a', '#8a3b12', '#3b4a9c', '#7a2e6e', '#0f5c73', '#6b4e00', '#8c2f39'];

/** A stable colour per key, so a face keeps its colour on every device. */
export function colourOf(key: string): string {
	let hash = 0;
	for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
	return palette[hash % palette.length]!;
}

export function makeParticipant(
	key: string,
	name: string,
	label: ParticipantLabel,
	keys: readonly string[] = [key]
): Participant {
	const all = keys.includes(key) ? [...keys] : [key, ...keys];
	return { key, keys: all, name, label, initials: initials(name), colour: colourOf(key) };
}

/** The person `actorKey` speaks for, if any. */
export function participantOf(
	list: readonly Participant[],
	actorKey: string
): Participant | undefined {
	return list.find((p) => p.keys.includes(actorKey));
}

/* ------------------------------------------------------------------ the live list in the doc */

/**
 * The participant list lives in the board's document (top-level map `participants`, one entry
 * per person keyed by `Participant.key`), written by the server alone from its database
 * (src/lib/server/zorgoverleg.ts `refreshMeetingParticipants`) whenever someone connects (and
 * when a link is revoked): so a
 * parent who joins appears on the wall at once, and no guest can add or change a face
 * (update-rules.ts refuses every client change to this map).
 */
export const PARTICIPANTS_ROOT = 'participants';

/** At most this many actor keys per person: a handful of devices, not a crowd. */
const MAX_KEYS = 20;

const storedParticipant = z.object({
	name: z.string().max(120),
	label: participantLabel,
	keys: z.array(z.string().min(1).max(80)).max(MAX_KEYS),
	/** Position in the list, so faces keep their place on every device. */
	order: z.number().int().min(0)
});

export function participantsMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap(PARTICIPANTS_ROOT);
}

/** Make the document's list equal `list`, writing only what differs. */
export function setParticipants(doc: Y.Doc, list: readonly Participant[], origin: unknown = null) {
	const map = participantsMap(doc);
	doc.transact(() => {
		const wanted = new Map(
			list.map((p, order) => [
				p.key,
				{ name: p.name, label: p.label, keys: p.keys.slice(0, MAX_KEYS), order }
			])
		);
		for (const key of [...map.keys()]) if (!wanted.has(key)) map.delete(key);
		for (const [key, value] of wanted) {
			if (JSON.stringify(map.get(key)) !== JSON.stringify(value)) map.set(key, value);
		}
	}, origin);
}

/** The document's list in its order; entries that do not parse are left out. */
export function listParticipants(doc: Y.Doc): Participant[] {
	const list: Array<Participant & { order: number }> = [];
	for (const [key, value] of participantsMap(doc)) {
		const parsed = storedParticipant.safeParse(value);
		if (!parsed.success) continue;
		const { name, label, keys, order } = parsed.data;
		list.push({ ...makeParticipant(key, name, label, keys), order });
	}
	return list.sort((a, b) => a.order - b.order).map(({ order: _order, ...p }) => p);
}
