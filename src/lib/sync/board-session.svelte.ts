/**
 * The client side of one live board: owns the Y.Doc, the WebSocket provider, connection and
 * save state, presence and the offline cache. Components read its `$state` fields; board
 * operations in `$lib/board` take `session.doc`.
 *
 * CONTRACT (other code relies on these names): `doc`, `status`, `saveState`, `synced`, `ready`,
 * `peers`, `readOnly`, `awareness`, `setEditing(id)`, `destroy()`.
 *
 * - saveState: 'saved' once the server reported (message 100) that the transaction storing
 *   all our edits committed; 'saving' while connected and it has not; 'offline' while
 *   disconnected with unsaved edits (they stay in the doc and the IndexedDB cache and are
 *   sent on reconnect).
 * - Reconnect: the stock provider's own retry is switched off after every close and replaced
 *   by exponential back-off with jitter (reconnect.ts). Close codes 4400-4499 are final.
 * - A refused change (4400): the server applied none of the update, and this copy would send it
 *   again on every reconnect (the offline cache too, after a reload). So the offline cache of
 *   the board is deleted at once and `startFresh()` (the "reload" button) opens the board again
 *   from the server's document; the unsaved edits that were refused with it are lost.
 * - ready: the doc holds what there is to show: the first sync is done, or the offline copy
 *   brought content, or we know we are offline (or closed for good), or READY_WAIT_MS passed. Latched: once true it stays
 *   true, so a reconnect (synced false, then true again) never takes the board off the page.
 * - Erasure and the offline copy: an open app client is told to drop its copy (message 101). A
 *   device that was away then (laptop closed) is not told; its copy still holds the rows the
 *   erased words came in. So after every completed sync, once the stored copy is in the doc, the
 *   copy is compacted to the doc's garbage-collected state (`OfflineCache.compact`): the
 *   server's deletions are in it, and so are edits not yet sent.
 * - Drags travel as awareness (`setDrag`), only the final position is written to the doc.
 */
import * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import * as idb from 'lib0/indexeddb';
import { fetchUpdates, IndexeddbPersistence } from 'y-indexeddb';
import { deleteDatabase } from '../client-storage';
import { WebsocketProvider } from 'y-websocket';
import { defaultBackoff, reconnectDelay } from './reconnect';

/** The longest the board waits for its first sync before it shows what it has (ms). */
export const READY_WAIT_MS = 5_000;
import { closeKindOf, type CloseKind } from './close-kind';
import { MESSAGE_DROP_CACHE, MESSAGE_SAVED, coveredBy } from './saved';

export type ConnectionStatus = 'connecting' | 'connected' | 'offline';
export type SaveState = 'saved' | 'saving' | 'offline';

export interface DragPosition {
	id: string;
	x: number;
	y: number;
}

export interface Peer {
	clientId: number;
	name: string;
	role: string;
	color: string;
	/** Id of the card or field this person is editing, if any. */
	editing: string | null;
	/** A card this person is dragging right now, with its live position. */
	drag: DragPosition | null;
	self: boolean;
}

export interface BoardSessionOptions {
	/** Base URL of the sync endpoint; defaults to this page's origin + /sync. */
	url?: string;
	readOnly?: boolean;
	/** Keep an offline copy in IndexedDB (default: true when IndexedDB exists). */
	offlineCache?: boolean;
	/** For tests outside the browser. */
	WebSocketPolyfill?: typeof WebSocket;
	/** For tests outside the browser: the offline cache (default: IndexedDB) and a page reload. */
	openCache?: (name: string, doc: Y.Doc) => OfflineCache;
	reload?: () => void;
}

/** What the session needs of its offline copy (y-indexeddb's IndexeddbPersistence). */
export interface OfflineCache {
	/** Resolves once the stored copy (if any) is in the doc. */
	whenLoaded?: Promise<unknown>;
	/**
	 * Replace the stored rows by the doc's whole current state, so nothing deleted from the doc
	 * (garbage-collected) stays readable on disk. Only once `whenLoaded` resolved: before that the
	 * stored rows are not in the doc yet.
	 */
	compact(): Promise<void>;
	/** Stop writing and delete the stored copy. */
	clearData(): Promise<void>;
	destroy(): Promise<void>;
}

/**
 * The offline copy in IndexedDB. y-indexeddb's own `clearData` resolves before the database is
 * deleted (it starts the deletion and does not wait), so a page that reloads at once after an
 * erasure could open the old copy again, erased text included, and send it back over the
 * socket: seen as the room's "dropped structs" warning. Here clearing waits for the deletion.
 */
function indexedDbCache(name: string, doc: Y.Doc): OfflineCache {
	const persistence = new IndexeddbPersistence(name, doc);
	let closed = false;
	const close = () => {
		closed = true;
		return persistence.destroy();
	};
	return {
		whenLoaded: persistence.whenSynced,
		/**
		 * y-indexeddb's `storeState(persistence, true)` does the same, but its promise resolves
		 * before the write, a failed write is an unhandled rejection, and a persistence destroyed
		 * while it runs still deletes the rows another tab added, unread. So the same steps here,
		 * in one IndexedDB transaction: read the rows written since the load (another tab's
		 * offline edits) into the doc, add the doc's state, delete every older row.
		 */
		async compact() {
			if (closed || !persistence.synced) return;
			const updates = await fetchUpdates(persistence);
			if (closed) return;
			const key: IDBValidKey = await idb.rtop(updates.add(Y.encodeStateAsUpdate(doc)));
			await idb.rtop(updates.delete(IDBKeyRange.upperBound(key, true)));
			await committed(updates.transaction);
		},
		destroy: close,
		async clearData() {
			await close();
			await deleteDatabase(name);
		}
	};
}

function committed(transaction: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		transaction.oncomplete = () => resolve();
		transaction.onabort = transaction.onerror = () => reject(transaction.error);
	});
}

/** Awareness messages are rate-limited server-side; a drag sends at most this often. */
const DRAG_INTERVAL_MS = 50;

export class BoardSession {
	readonly boardId: string;
	readonly doc = new Y.Doc();
	readonly readOnly: boolean;

	status = $state<ConnectionStatus>('connecting');
	saveState = $state<SaveState>('saved');
	synced = $state(false);
	ready = $state(false);
	peers = $state.raw<Peer[]>([]);
	/** Set when the server closed for good (e.g. access revoked): no more reconnects. */
	closedReason = $state<string | null>(null);
	/** What the final close means for the person at the board (close-kind.ts). */
	closedKind = $state<CloseKind | null>(null);

	#provider: WebsocketProvider;
	#cache: OfflineCache | undefined;
	/** Resolves once a refused copy's offline cache is gone (see `startFresh`). */
	#clearing: Promise<void> = Promise.resolve();
	#reload: () => void;
	// Plain Map on purpose: read only inside #updateSaveState, never rendered.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#stored = new Map<number, number>();
	#attempt = 0;
	#reconnectTimer: ReturnType<typeof setTimeout> | undefined;
	#readyTimer: ReturnType<typeof setTimeout> | undefined;
	#dragTimer: ReturnType<typeof setTimeout> | undefined;
	#pendingDrag: DragPosition | null = null;
	#destroyed = false;

	constructor(boardId: string, options: BoardSessionOptions = {}) {
		this.boardId = boardId;
		this.readOnly = options.readOnly ?? false;
		this.#reload = options.reload ?? (() => location.reload());
		const base =
			options.url ?? `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/sync`;
		const params: Record<string, string> = { saved: '1' };
		if (this.readOnly) params.readonly = '1';
		this.#provider = new WebsocketProvider(base, boardId, this.doc, {
			connect: false,
			params,
			disableBc: true,
			...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {})
		});
		this.#provider.messageHandlers[MESSAGE_SAVED] = (
			_encoder: encoding.Encoder,
			decoder: decoding.Decoder
		) => {
			this.#stored = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
			this.#updateSaveState();
		};
		this.#provider.messageHandlers[MESSAGE_DROP_CACHE] = () => {
			// The erased content must not live on in this browser's offline copy, nor in the page.
			this.#dropCache();
			void this.startFresh();
		};
		this.#provider.on('status', ({ status }) => {
			this.status =
				status === 'connected' ? 'connected' : status === 'connecting' ? 'connecting' : 'offline';
			this.#updateSaveState();
		});
		this.#provider.on('sync', (isSynced: boolean) => {
			this.synced = isSynced;
			if (isSynced) {
				this.#attempt = 0;
				this.#markReady();
				this.#compactCache();
			}
		});
		this.#provider.on('connection-close', (event) => {
			// Take over from the provider's own fixed back-off.
			this.#provider.shouldConnect = false;
			this.status = 'offline';
			this.#markReady();
			this.#updateSaveState();
			const code = event?.code ?? 0;
			if (code >= 4400 && code < 4500) {
				this.closedReason = event?.reason || String(code);
				this.closedKind = closeKindOf(code);
				if (this.closedKind === 'refused') this.#dropCache();
				return;
			}
			this.#scheduleReconnect();
		});
		this.doc.on('update', () => this.#updateSaveState());

		const awareness = this.#provider.awareness;
		awareness.on('change', () => {
			const self = awareness.clientID;
			this.peers = [...awareness.getStates().entries()].map(([clientId, state]) => ({
				clientId,
				name: String(state.user?.name ?? ''),
				role: String(state.user?.role ?? ''),
				color: String(state.user?.color ?? '#1f5f4a'),
				editing: typeof state.editing === 'string' ? state.editing : null,
				drag: parseDrag(state.drag),
				self: clientId === self
			}));
		});

		const cacheName = `groeibord-board-${boardId}`;
		if (options.openCache) {
			this.#cache = options.openCache(cacheName, this.doc);
		} else if ((options.offlineCache ?? true) && typeof indexedDB !== 'undefined') {
			this.#cache = indexedDbCache(cacheName, this.doc);
		}
		// An empty offline copy (a first visit) shows nothing yet: wait for the server then.
		void this.#cache?.whenLoaded
			?.then(() => {
				if (this.doc.store.clients.size > 0) this.#markReady();
			})
			.catch(() => {});
		if (typeof navigator !== 'undefined' && navigator.onLine === false) this.#markReady();
		// A socket that hangs while connecting (no close, no sync) must not hide the board for
		// good: after READY_WAIT_MS it shows what it has, with the sync status saying why.
		this.#readyTimer = setTimeout(() => this.#markReady(), READY_WAIT_MS);
		if (typeof window !== 'undefined') {
			window.addEventListener('online', this.#onOnline);
			window.addEventListener('offline', this.#onOffline);
		}
		this.#provider.connect();
	}

	get awareness() {
		return this.#provider.awareness;
	}

	setEditing(id: string | null) {
		this.#provider.awareness.setLocalStateField('editing', id);
	}

	/** Live drag position as presence (not stored); `null` when the drag ends. */
	setDrag(drag: DragPosition | null) {
		this.#pendingDrag = drag;
		if (drag === null) {
			if (this.#dragTimer) clearTimeout(this.#dragTimer);
			this.#dragTimer = undefined;
			this.#provider.awareness.setLocalStateField('drag', null);
			return;
		}
		if (this.#dragTimer) return;
		this.#provider.awareness.setLocalStateField('drag', drag);
		this.#dragTimer = setTimeout(() => {
			this.#dragTimer = undefined;
			if (this.#pendingDrag) this.#provider.awareness.setLocalStateField('drag', this.#pendingDrag);
		}, DRAG_INTERVAL_MS);
	}

	/** Reconnect now (e.g. the user pressed "try again"). */
	reconnect() {
		if (this.#destroyed) return;
		if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
		this.#reconnectTimer = undefined;
		this.closedReason = null;
		this.closedKind = null;
		this.#provider.connect();
	}

	/**
	 * After a refused change: open the board again from the server's document. The page reloads
	 * (components hold this session's doc), and the offline cache is gone by then, so nothing
	 * of the refused copy comes back.
	 */
	async startFresh() {
		await this.#clearing;
		this.#reload();
	}

	#dropCache() {
		const cache = this.#cache;
		this.#cache = undefined;
		if (!cache) return;
		this.#clearing = cache.clearData().catch(() => {
			// A cache that cannot be deleted (private mode, blocked by another tab) is not
			// written to any more either; the reload still brings the server's document.
		});
	}

	/**
	 * After a sync the doc holds every deletion the server made, erasures this device missed
	 * included; the offline copy is rewritten to that state (see the header). Not before the
	 * stored copy is in the doc, or its rows would be rewritten without having been read.
	 */
	#compactCache() {
		const cache = this.#cache;
		if (!cache) return;
		void Promise.resolve(cache.whenLoaded)
			.then(() => {
				// Dropped (erasure, refused change) or destroyed meanwhile: left alone.
				if (this.#cache === cache && !this.#destroyed) return cache.compact();
			})
			.catch(() => {
				// Best effort (private mode, a full disk): the board works without it, and the
				// next sync tries again.
			});
	}

	destroy() {
		this.#destroyed = true;
		if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
		if (this.#readyTimer) clearTimeout(this.#readyTimer);
		if (this.#dragTimer) clearTimeout(this.#dragTimer);
		if (typeof window !== 'undefined') {
			window.removeEventListener('online', this.#onOnline);
			window.removeEventListener('offline', this.#onOffline);
		}
		this.#provider.destroy();
		void this.#cache?.destroy();
		this.doc.destroy();
	}

	/**
	 * The browser lost its network: say so now. The socket itself would notice only when its
	 * message timeout runs out (about 30 s), so close it; the `online` event reconnects.
	 */
	#onOffline = () => {
		if (this.#destroyed || this.closedReason) return;
		this.status = 'offline';
		this.#markReady();
		this.#updateSaveState();
		this.#provider.ws?.close();
	};

	#onOnline = () => {
		if (this.status !== 'offline' || this.closedReason) return;
		// Still jittered: every wall in the building sees the network return at once.
		if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
		this.#reconnectTimer = setTimeout(() => this.reconnect(), Math.random() * 1_000);
	};

	#markReady() {
		if (!this.ready && !this.#destroyed) this.ready = true;
	}

	#scheduleReconnect() {
		if (this.#destroyed || this.#reconnectTimer) return;
		const delay = reconnectDelay(this.#attempt++, defaultBackoff);
		this.#reconnectTimer = setTimeout(() => {
			this.#reconnectTimer = undefined;
			if (!this.#destroyed) this.#provider.connect();
		}, delay);
	}

	#updateSaveState() {
		if (this.readOnly) {
			this.saveState = 'saved';
			return;
		}
		const covered = coveredBy(this.doc, this.#stored);
		// Disconnected with nothing unsaved is still honestly "saved".
		this.saveState = covered ? 'saved' : this.status === 'connected' ? 'saving' : 'offline';
	}
}

function parseDrag(value: unknown): DragPosition | null {
	if (!value || typeof value !== 'object') return null;
	const { id, x, y } = value as Record<string, unknown>;
	if (typeof id !== 'string' || typeof x !== 'number' || typeof y !== 'number') return null;
	return { id, x, y };
}
