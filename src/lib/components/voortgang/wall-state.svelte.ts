/**
 * Client state of one progress wall: the live Y.Doc (through BoardSession), the relational
 * data the page loaded, and the photos that may be shown right now (re-checked by a short
 * poll, so a withdrawn consent takes a photo off every open screen within seconds).
 */
import {
	addAction,
	applyStudentUpdate,
	readActions,
	readAllStates,
	type StudentState,
	type StudentUpdate,
	type WallAction,
	type WallCard
} from '$lib/board/voortgang';
import type { ProgressWallData, WallStudent } from '$lib/board/voortgang-data';
import { BoardSession } from '$lib/sync/board-session.svelte';

export const PHOTO_POLL_MS = 4000;

export class WallState {
	readonly boardId: string;
	/** Null while rendering on the server: the live part starts in the browser. */
	readonly session: BoardSession | null;
	data = $state.raw<ProgressWallData>() as ProgressWallData;
	photos = $state.raw<Record<string, string>>({});
	// Replaced as a whole on every Y.Doc change, never mutated: a plain Map in $state.raw is right.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	states = $state.raw<Map<string, StudentState>>(new Map());
	actions = $state.raw<WallAction[]>([]);

	cards: WallCard[] = $derived.by(() =>
		this.data.students.map((s) => ({
			id: s.id,
			name: s.name,
			mentorId: s.mentorId,
			mentorName: s.mentorName,
			state: this.stateOf(s),
			lastEventAt: s.last?.at ?? null
		}))
	);

	#timer: ReturnType<typeof setInterval> | undefined;
	#observer = () => this.#read();

	constructor(
		boardId: string,
		data: ProgressWallData,
		options: { readOnly: boolean; live: boolean }
	) {
		this.boardId = boardId;
		this.data = data;
		this.photos = Object.fromEntries(
			data.students.filter((s) => s.photoId).map((s) => [s.id, s.photoId!])
		);
		this.session = options.live ? new BoardSession(boardId, { readOnly: options.readOnly }) : null;
		if (!this.session) return;
		this.session.doc.getMap('students').observeDeep(this.#observer);
		this.session.doc.getMap('actions').observeDeep(this.#observer);
		this.#read();
		this.#timer = setInterval(() => void this.refreshPhotos(), PHOTO_POLL_MS);
	}

	#read() {
		if (!this.session) return;
		this.states = readAllStates(this.session.doc);
		this.actions = readActions(this.session.doc);
	}

	/** The live state when the wall has one, else the newest update from the history. */
	stateOf(s: WallStudent): StudentState {
		const live = this.states.get(s.id);
		if (live?.updatedAt && (!s.last || live.updatedAt >= s.last.at)) return live;
		if (s.last) {
			return {
				stoplight: s.last.stoplight,
				flags: s.last.flags,
				note: s.last.note,
				updatedBy: s.last.by,
				updatedAt: s.last.at
			};
		}
		return live ?? { stoplight: null, flags: [], note: '', updatedBy: null, updatedAt: null };
	}

	async refreshPhotos() {
		try {
			const res = await fetch(`/media/board/${this.boardId}`, { cache: 'no-store' });
			if (res.status === 404) {
				this.photos = {};
				return;
			}
			if (!res.ok) return;
			const body = (await res.json()) as { photos: Record<string, string> };
			this.photos = body.photos;
		} catch {
			// Offline: keep what we have; the next poll tries again.
		}
	}

	/**
	 * A weekly update is a change of the live board and nothing else: everyone sees it at once,
	 * and the server writes the history entry itself from the board when the change reaches it
	 * (server/student-history.ts), also when we were offline and it arrives later.
	 */
	async saveUpdate(studentId: string, update: StudentUpdate): Promise<boolean> {
		if (!this.session) return false;
		// A timestamp, not reactive state.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const now = new Date();
		applyStudentUpdate(
			this.session.doc,
			studentId,
			update,
			{ name: this.data.me.name, at: now },
			this.data.flags.map((f) => f.id)
		);
		this.#rememberLocally(studentId, update, now);
		return true;
	}

	/** Keep the strip and "changed this week" right without a reload. */
	#rememberLocally(studentId: string, update: StudentUpdate, at: Date) {
		this.data = {
			...this.data,
			students: this.data.students.map((s) => {
				if (s.id !== studentId) return s;
				const strip = [...s.strip];
				strip[strip.length - 1] = update.stoplight;
				return {
					...s,
					strip,
					last: { ...update, at: at.toISOString(), by: this.data.me.name }
				};
			})
		};
	}

	addAction(action: Omit<WallAction, 'id' | 'done'>) {
		if (this.session)
			addAction(this.session.doc, { ...action, id: crypto.randomUUID(), done: false });
	}

	destroy() {
		clearInterval(this.#timer);
		if (!this.session) return;
		this.session.doc.getMap('students').unobserveDeep(this.#observer);
		this.session.doc.getMap('actions').unobserveDeep(this.#observer);
		this.session.destroy();
	}
}
