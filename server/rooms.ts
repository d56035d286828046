/**
 * Rooms: one in-memory Y.Doc + Awareness per open board, the connections on it, and the
 * group commit that turns accepted updates into durable rows before acknowledging them.
 *
 * Flow of an edit: a client update is applied to the room doc (inside try/catch) -> the doc's
 * `update` event broadcasts it to the other connections at once and queues it -> every
 * SYNC_FLUSH_MS the queue goes to the group commit, which writes it in one transaction with
 * every other room's (group-commit.ts) -> after commit, every connection that asked for
 * acknowledgements gets `saved` with the stored state vector.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { capabilitiesOf } from '../src/lib/board/capabilities';
import type { BoardKind } from '../src/lib/board/kinds';
import { defaultRuleOptions, rootMapsOf, type RuleOptions } from '../src/lib/board/update-rules';
import { actorChildId, actorId, type Actor } from '../src/lib/server/auth/actor';
import type { BoardRole } from '../src/lib/server/auth/permissions';
import { board as boardTable, type Board } from '../src/lib/server/db/schema';
import { and, eq, isNull } from 'drizzle-orm';
import type { Runtime } from '../src/lib/server/runtime';
import { log } from './log';
import type { CriteriaContent } from '../src/lib/board/criteria';
import { talkFacts } from '../src/lib/board/driehoeksgesprek';
import { childrenOf } from '../src/lib/board/zorgoverleg';
import { loadCriteriaVersion } from '../src/lib/server/criteria';
import type { GroupCommit } from './group-commit';
import {
	compactBoard,
	loadBoardDocs,
	loadClientOwnersOf,
	type ClientClaim,
	type LoadedBoard
} from './persistence';
import { batched } from './batch';
import {
	CloseCode,
	MessageType,
	decodeAwarenessUpdate,
	encodeAwarenessMessage,
	encodeAwarenessUpdate,
	encodeSaved,
	type CloseReason
} from './protocol';
import { StoredClock } from './stored-clock';
import { UpdateGuard, type PendingState } from './update-guard';

/**
 * Where a change to a room doc came from, so nothing is echoed back to its source.
 * `'family-mirror'`: a copy between a conversation board and its family part (family-mirror.ts).
 */
export type UpdateOrigin = Connection | 'redis' | 'server' | 'family-mirror';

export interface PresenceUser {
	name: string;
	role: BoardRole;
	color: string;
}

export interface Connection {
	readonly id: number;
	readonly ws: WebSocket;
	/** The board in the URL (what access is re-checked against), also for a family-part room. */
	readonly boardId: string;
	/** Attached to the board's family part rather than the board itself (family-mirror.ts). */
	readonly family: boolean;
	readonly token: string;
	actor: Actor;
	role: BoardRole;
	readonly readOnly: boolean;
	/** Unsent bytes beyond which this socket is closed as a slow reader. */
	readonly maxBufferedBytes: number;
	/** Asked for `saved` messages (URL parameter saved=1). */
	readonly wantsSaved: boolean;
	readonly user: PresenceUser;
	/** The one awareness client id this connection may speak for (fixed by its first message). */
	awarenessClientId: number | null;
	/** Updates from this connection waiting for missing dependencies (see update-guard.ts). */
	pending: PendingState;
	windowStart: number;
	windowCount: number;
	lastMessageAt: number;
	closed: boolean;
}

/** Messages between instances (see fanout.ts). */
export interface Fanout {
	/** Returns the update's sequence number, which a later `publishStored` confirms. */
	publishUpdate(boardId: string, update: Uint8Array): number;
	publishAwareness(boardId: string, update: Uint8Array): void;
	/** Every update this instance published on the board up to `seq` is committed. */
	publishStored(boardId: string, seq: number): void;
}

/**
 * How long a remote update may wait for its origin's `stored` before this instance stores it
 * itself (its origin may have died before committing). Storing twice is harmless: Yjs updates
 * are idempotent and compaction folds duplicates.
 */
const ADOPT_MS = 3_000;

interface RemoteUpdate {
	instance: string;
	/** 0: an answer to a resync question, which no `stored` ever confirms. */
	seq: number;
	update: Uint8Array;
	at: number;
}

const storedRooms = new WeakMap<
	Runtime,
	(boardId: string) => Promise<{ loaded: LoadedBoard; clientOwners: Map<number, string> }>
>();

/**
 * What rooms opening together read from storage, read together: after a restart hundreds of
 * boards open within seconds (batch.ts; at most 32 boards per transaction, their histories in
 * memory at once).
 */
function storedRoomOf(runtime: Runtime) {
	let load = storedRooms.get(runtime);
	if (!load) {
		load = batched(async (boardIds: string[]) => {
			const db = runtime.database.db;
			const [docs, owners] = await Promise.all([
				loadBoardDocs(db, boardIds),
				loadClientOwnersOf(db, boardIds)
			]);
			return boardIds.map((_, i) => ({ loaded: docs[i]!, clientOwners: owners[i]! }));
		}, 32);
		storedRooms.set(runtime, load);
	}
	return load;
}

/** What a room needs of its board's row. */
export type RoomBoard = Pick<Board, 'kind' | 'schoolId' | 'partOf' | 'criteriaVersionId'>;

export interface RoomOptions {
	/** How long the first queued update waits, so a burst of edits goes into one commit. */
	flushMs: number;
	/** Writes this room's queue together with every other room's (group-commit.ts). */
	commit: GroupCommit;
	unloadMs: number;
	/**
	 * How long the document goes unchanged before it rests (see `Room`); 0 or absent: never.
	 */
	restMs?: number;
	maxBoardBytes: number;
	compactAfterUpdates: number;
	/** Bytes of pending (dependency-waiting) updates one connection may hold. */
	maxPendingBytes: number;
	/** What clients may write (update-rules.ts); defaults to `defaultRuleOptions`. */
	rules?: RuleOptions;
}

const RETRY_FLUSH_MS = 1_000;

/** How often a room tells clients other than the authors what is stored (see `#sendSaved`). */
const SAVED_TRAILING_MS = 250;

/** An update that came from a client socket (not Redis, the server or a mirror). */
export function isConnection(origin: unknown): origin is Connection {
	return typeof origin === 'object' && origin !== null && 'actor' in origin && 'ws' in origin;
}

/**
 * Owner of the room document's own client id (undo of refused updates, server edits). Never
 * stored: each load has a fresh random id. No actor key contains a colon.
 */
const SERVER_ACTOR_KEY = ':server';

/** What `Room.observeDocument` keeps: how to attach, and how to let go of the current document. */
interface DocumentObserver {
	attach: (doc: Y.Doc) => () => void;
	detach?: () => void;
}

/**
 * One open board. Its Yjs document is in memory while it changes; once unchanged for
 * `restMs` it *rests*: the room keeps it as one encoded update (a 300-card board: 86 KB; the
 * room in all about 0.15 MiB instead of 1.2 MiB, bench B4) and answers sync requests from
 * those bytes (`Y.diffUpdate`, `Y.encodeStateVectorFromUpdate`).
 * Anything that needs the document (an update to check, a server edit, a reader of `doc`)
 * wakes it again, in a few ms. A wall screen or a laptop left open on a board costs little.
 */
export class Room {
	readonly boardId: string;
	readonly kind: BoardKind;
	readonly awareness: awarenessProtocol.Awareness;
	readonly connections = new Set<Connection>();
	/** Stored size estimate: snapshot + log bytes; checked against SYNC_MAX_BOARD_BYTES. */
	bytes: number;
	logCount: number;
	storedStateVector: Uint8Array;

	#runtime: Runtime;
	#options: RoomOptions;
	#fanout: Fanout | undefined;
	#pending: Uint8Array[] = [];
	/** Connections whose own updates are in `#pending`: they hear `saved` the moment it commits. */
	#pendingAuthors = new Set<Connection>();
	#savedTimer: ReturnType<typeof setTimeout> | undefined;
	#flushTimer: ReturnType<typeof setTimeout> | undefined;
	#flushing: Promise<void> | undefined;
	#unloadTimer: ReturnType<typeof setTimeout> | undefined;
	#onUnload: (room: Room) => void;
	/** The live document and its guard; null while the room rests (then `#resting` holds it). */
	#doc: Y.Doc | null = null;
	#guard: UpdateGuard | null = null;
	#resting: Uint8Array | null = null;
	/** Who observes the document, re-attached whenever it wakes (see `observeDocument`). */
	#observers = new Set<DocumentObserver>();
	#lastChangeAt = 0;
	#restTimer: ReturnType<typeof setTimeout> | undefined;
	#criteria: CriteriaContent | null;
	/**
	 * Which actor key first wrote each Yjs client id on this board (table board_client), so an
	 * update is checked against it without a query. Loaded with the room, written through in the
	 * group commit that stores the claiming update.
	 */
	#clientOwners: Map<number, string>;
	#claims: ClientClaim[] = [];
	/** Others that need this room loaded without a connection (a family part's mirror). */
	#holds = 0;
	#storesAfter: Room | null = null;
	/** With fan-out only: what is known stored, for the saved-ack (stored-clock.ts). */
	#stored: StoredClock | null;
	/** Remote updates applied here whose origin has not confirmed storing them yet. */
	#remote: RemoteUpdate[] = [];
	#adoptTimer: ReturnType<typeof setTimeout> | undefined;
	/** Sequence number of the last update this room published (fan-out). */
	#publishedSeq = 0;
	/**
	 * This document's state vector, and the document as an update for a replica that has every
	 * struct (no structs, only the delete set). Encoded on demand and dropped on every change:
	 * after a restart every client of a board asks with the same state vector and answers with
	 * the same delete set (see `#receiveSync`).
	 */
	#encoded: { stateVector?: Uint8Array; deletesOnly?: Uint8Array } = {};
	destroyed = false;

	constructor(
		runtime: Runtime,
		boardId: string,
		kind: BoardKind,
		loaded: {
			doc: Y.Doc;
			logCount: number;
			bytes: number;
			clientOwners?: Map<number, string>;
			/** A three-way talk's criteria version (its views are checked against it). */
			criteria?: CriteriaContent | null;
		},
		options: RoomOptions,
		fanout: Fanout | undefined,
		onUnload: (room: Room) => void
	) {
		this.#runtime = runtime;
		this.boardId = boardId;
		this.kind = kind;
		this.#criteria = loaded.criteria ?? null;
		this.#clientOwners = loaded.clientOwners ?? new Map();
		this.logCount = loaded.logCount;
		this.bytes = loaded.bytes;
		this.storedStateVector = Y.encodeStateVector(loaded.doc);
		this.#stored = fanout ? new StoredClock(this.storedStateVector) : null;
		this.#options = options;
		this.#fanout = fanout;
		this.#onUnload = onUnload;
		// Presence is per room: a family part's room has its own awareness, so a parent sees who is
		// on the family part and nobody's presence travels between the two rooms. Its own small
		// document, so presence does not keep the board's document in memory.
		this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
		// The server itself is not present on the board.
		this.awareness.setLocalState(null);
		this.#attach(loaded.doc);
		this.awareness.on(
			'update',
			(
				{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
				origin: unknown
			) => {
				const changed = [...added, ...updated, ...removed];
				if (changed.length === 0) return;
				const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
				const message = encodeAwarenessMessage(update);
				for (const conn of this.connections) send(conn, message);
				if (origin !== 'redis') this.#fanout?.publishAwareness(this.boardId, update);
			}
		);
	}

	/** The board's document, woken if the room rests. */
	get doc(): Y.Doc {
		return this.#doc ?? this.#wake();
	}

	/** Whether the document is in memory (false while the room rests). */
	get awake(): boolean {
		return this.#doc !== null;
	}

	#attach(doc: Y.Doc): void {
		// Define the kind's root maps before any update arrives. A root Yjs has only seen in
		// updates is a generic type, replaced by a typed one on the first getMap; if an observer
		// did that during a transaction's cleanup, the transaction would point at a type the
		// document no longer holds and the guard could not name what changed.
		for (const name of rootMapsOf(this.kind)) doc.getMap(name);
		this.#doc = doc;
		this.#guard = new UpdateGuard(doc);
		this.#clientOwners.set(doc.clientID, SERVER_ACTOR_KEY);
		doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
			this.#encoded = {};
			this.#lastChangeAt = Date.now();
			// Refused updates and their undo never leave the room (update-guard.ts).
			if (!this.#guard?.suppresses(tr)) this.#relay(update, origin);
		});
		for (const observer of this.#observers) observer.detach = observer.attach(doc);
		this.#lastChangeAt = Date.now();
		this.#armRest(this.#options.restMs ?? 0);
	}

	/** Back in memory from the resting bytes; nothing changes, so nothing is relayed or stored. */
	#wake(): Y.Doc {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, this.#resting ?? new Uint8Array([0, 0]));
		// A destroyed room hands out a copy (a late reader) but keeps nothing.
		if (this.destroyed) return doc;
		this.#resting = null;
		this.#attach(doc);
		return doc;
	}

	#armRest(delay: number): void {
		if (!delay || this.#restTimer || this.destroyed) return;
		this.#restTimer = setTimeout(() => {
			this.#restTimer = undefined;
			this.#rest();
		}, delay);
		this.#restTimer.unref?.();
	}

	/**
	 * Put the document to rest if it has been unchanged for `restMs` and nothing is under way
	 * that needs it (a commit, a claim, a remote update waiting for its origin, a connection's
	 * updates waiting for their dependencies); else look again later.
	 */
	#rest(): void {
		const restMs = this.#options.restMs ?? 0;
		const doc = this.#doc;
		if (!doc || this.destroyed || !restMs) return;
		const quietFor = Date.now() - this.#lastChangeAt;
		const busy =
			this.#pending.length > 0 ||
			this.#claims.length > 0 ||
			this.#flushing !== undefined ||
			this.#flushTimer !== undefined ||
			this.#remote.length > 0 ||
			[...this.connections].some((conn) => conn.pending.updates.length > 0);
		if (quietFor < restMs || busy) {
			this.#armRest(Math.max(restMs - quietFor, Math.min(restMs, 1_000)));
			return;
		}
		// Encoded now, while the document is here; valid for as long as it rests (no change).
		this.stateVector();
		this.#deletesOnly();
		this.#resting = Y.encodeStateAsUpdate(doc);
		// Each wake is a new document with a new client id; one that never wrote is forgotten.
		if (!doc.store.clients.has(doc.clientID)) this.#clientOwners.delete(doc.clientID);
		this.#detachObservers();
		this.#doc = null;
		this.#guard = null;
		doc.destroy();
	}

	#detachObservers(): void {
		for (const observer of this.#observers) {
			observer.detach?.();
			observer.detach = undefined;
		}
	}

	/**
	 * Run `attach` on the document now, and again each time it wakes after resting; the function
	 * it returns runs when the document leaves memory (it rests, or the room is destroyed).
	 * Returns the function that stops observing.
	 */
	observeDocument(attach: (doc: Y.Doc) => () => void): () => void {
		const observer: DocumentObserver = { attach };
		this.#observers.add(observer);
		if (this.#doc) observer.detach = attach(this.#doc);
		return () => {
			observer.detach?.();
			observer.detach = undefined;
			this.#observers.delete(observer);
		};
	}

	static async load(
		runtime: Runtime,
		boardId: string,
		options: RoomOptions,
		fanout: Fanout | undefined,
		onUnload: (room: Room) => void,
		/** The board's row, when the upgrade that opens the room just read it (one query less). */
		known?: RoomBoard
	): Promise<Room> {
		// A room is opened only for an upgrade that was authorised for this board id (its school
		// checked by boardRole), so the id alone names the board here.
		const [board] = known
			? [known]
			: await runtime.database.db
					.select({
						kind: boardTable.kind,
						schoolId: boardTable.schoolId,
						partOf: boardTable.partOf,
						criteriaVersionId: boardTable.criteriaVersionId
					})
					.from(boardTable)
					.where(and(eq(boardTable.id, boardId), isNull(boardTable.archivedAt)))
					.limit(1);
		if (!board) throw new Error(`board ${boardId} not found`);
		const [{ loaded, clientOwners }, criteria] = await Promise.all([
			storedRoomOf(runtime)(boardId),
			board.kind === 'driehoeksgesprek' ? talkCriteriaOf(runtime, board) : null
		]);
		return new Room(
			runtime,
			boardId,
			board.kind,
			{ ...loaded, clientOwners, criteria },
			options,
			fanout,
			onUnload
		);
	}

	/**
	 * Broadcast an accepted update to the other connections and queue it for storage. An update
	 * from another instance is stored by that instance (see `applyRemote`).
	 */
	#relay(update: Uint8Array, origin: unknown): void {
		const remote = origin === 'redis';
		this.bytes += update.byteLength;
		if (!remote) {
			this.#pending.push(update);
			if (isConnection(origin)) this.#pendingAuthors.add(origin);
			this.#scheduleFlush();
		}
		const message = encodeUpdateMessage(update);
		for (const conn of this.connections) {
			if (conn !== origin) send(conn, message);
		}
		if (!remote && this.#fanout) {
			this.#publishedSeq = this.#fanout.publishUpdate(this.boardId, update);
		}
	}

	add(conn: Connection): void {
		if (this.#unloadTimer) clearTimeout(this.#unloadTimer);
		this.#unloadTimer = undefined;
		this.connections.add(conn);
		// Like the y-websocket server: send step 1 so the client sends what we lack, and the
		// present awareness states.
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MessageType.sync);
		encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1);
		encoding.writeVarUint8Array(encoder, this.stateVector());
		send(conn, encoding.toUint8Array(encoder));
		const states = [...this.awareness.getStates().keys()];
		if (states.length > 0) {
			send(
				conn,
				encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states))
			);
		}
		if (conn.wantsSaved) send(conn, encodeSaved(this.storedStateVector));
	}

	remove(conn: Connection): void {
		if (!this.connections.delete(conn)) return;
		if (conn.awarenessClientId !== null) {
			awarenessProtocol.removeAwarenessStates(this.awareness, [conn.awarenessClientId], 'server');
		}
		this.#scheduleUnload();
	}

	/** Keep this room loaded until `release()`, even without connections. */
	hold(): void {
		this.#holds++;
		if (this.#unloadTimer) clearTimeout(this.#unloadTimer);
		this.#unloadTimer = undefined;
	}

	release(): void {
		if (this.#holds === 0) return;
		this.#holds--;
		this.#scheduleUnload();
	}

	/**
	 * Store this room's updates only after `upstream` stored everything it holds now. A family
	 * part's room stores after its board's: a parent's change is in the board's storage before
	 * it is in the family part's (and before the parent's `saved`), so a crash in between never
	 * leaves it in the part alone, where reconciling with the board would remove it.
	 */
	storesAfter(upstream: Room | null): void {
		this.#storesAfter = upstream;
	}

	#scheduleUnload(): void {
		if (this.connections.size > 0 || this.#holds > 0 || this.destroyed || this.#unloadTimer) return;
		this.#unloadTimer = setTimeout(() => void this.unload(), this.#options.unloadMs);
	}

	/**
	 * Whether a transaction of this room's doc stands: false for a client update the guard
	 * refused and for the undo that reverted it (update-guard.ts). Valid from `afterTransaction`
	 * on, after the guard judged.
	 */
	accepts(transaction: Y.Transaction): boolean {
		return !this.#guard?.suppresses(transaction);
	}

	/**
	 * Handle one message from a connection. Returns a close reason when the connection must go;
	 * never throws.
	 */
	receive(conn: Connection, data: Uint8Array): CloseReason | null {
		try {
			const decoder = decoding.createDecoder(data);
			const type = decoding.readVarUint(decoder);
			switch (type) {
				case MessageType.sync:
					return this.#receiveSync(conn, decoder);
				case MessageType.awareness:
					return this.#receiveAwareness(conn, decoding.readVarUint8Array(decoder));
				case MessageType.queryAwareness: {
					const states = [...this.awareness.getStates().keys()];
					send(
						conn,
						encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states))
					);
					return null;
				}
				case MessageType.auth:
					return null;
				default:
					return 'malformed';
			}
		} catch {
			return 'malformed';
		}
	}

	#receiveSync(conn: Connection, decoder: decoding.Decoder): CloseReason | null {
		const subtype = decoding.readVarUint(decoder);
		if (subtype === syncProtocol.messageYjsSyncStep1) {
			const stateVector = decoding.readVarUint8Array(decoder);
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MessageType.sync);
			encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
			encoding.writeVarUint8Array(
				encoder,
				// A client in sync lacks no struct: what it gets is the delete set alone.
				sameBytes(stateVector, this.stateVector()) ? this.#deletesOnly() : this.diffFor(stateVector)
			);
			send(conn, encoding.toUint8Array(encoder));
			return null;
		}
		if (subtype !== syncProtocol.messageYjsSyncStep2 && subtype !== syncProtocol.messageYjsUpdate) {
			return 'malformed';
		}
		let update = decoding.readVarUint8Array(decoder);
		// Read-only connections: dropped, never applied, stored or broadcast.
		if (conn.readOnly) return null;
		// Nothing pending waits for this connection's next update, so a no-op is only a no-op.
		if (conn.pending.updates.length === 0 && this.#bringsNothing(update)) return null;
		// Pending bytes count too: a small update can integrate them all at once.
		const growth = conn.pending.bytes + update.byteLength;
		if (this.bytes + growth > this.#options.maxBoardBytes && !onlyDeletes(update)) {
			// A full board still takes deletions, so people can make room again.
			return 'boardTooLarge';
		}
		const clients = this.#checkClientIds(conn, update);
		if (!clients.ok) {
			// Refused before anything is applied: nothing to undo, relay or store.
			closeConnection(conn, 'invalidUpdate', `board ${this.boardId}: ${clients.problem}`);
			return null;
		}
		if (clients.foreign.length > 0) {
			// Someone else's edits this client received earlier and the room no longer has (they
			// were lost with a killed server before they were stored): only their writer may bring
			// them back. Dropped, not refused: the client is honest and keeps its connection; its
			// own edits that build on them wait as pending until the writer returns.
			log.warn(
				`sync: board ${this.boardId}: dropped structs of ${clients.foreign.length} client id(s) of other actors`
			);
			update = withoutClients(update, clients.foreign);
		}
		// The guard applies to the document: wake it if it rests.
		if (!this.#doc) this.#wake();
		const result = this.#guard!.apply(update, conn, this.rulesFor(conn), conn.pending);
		if (result.ok) {
			this.#claim(clients.unclaimed, actorId(conn.actor));
			return conn.pending.bytes > this.#options.maxPendingBytes ? 'pendingTooLarge' : null;
		}
		closeConnection(conn, 'invalidUpdate', `board ${this.boardId}: ${result.problem}`);
		if (result.repair) this.#relay(result.repair, 'server');
		return null;
	}

	/**
	 * Whether `update` (V1) holds nothing this document lacks: no structs, and exactly this
	 * document's delete set or no deletions at all (a new client). Every client that reconnects in sync answers our sync step 1 with
	 * such an update (Yjs sends the whole delete set whatever the state vector), and a restart
	 * brings thousands at once; applying each through the guard costs a transaction, its
	 * observers and the rule check, all to change nothing. Anything else takes the full path.
	 */
	#bringsNothing(update: Uint8Array): boolean {
		// The first varuint counts the clients with structs; 0 is the single byte 0. An empty
		// update (no structs, no deletions: a new client's answer) is the two bytes 0 0.
		if (update[0] !== 0) return false;
		return (update.byteLength === 2 && update[1] === 0) || sameBytes(update, this.#deletesOnly());
	}

	#deletesOnly(): Uint8Array {
		return (this.#encoded.deletesOnly ??= this.diffFor(this.stateVector()));
	}

	/**
	 * Every struct of `update` must be written under a client id that is free or this actor's
	 * own. Yjs trusts a struct's (client, clock): structs under a mentor's id at the clocks the
	 * mentor uses next would make the server skip the mentor's real edits as already known.
	 * Deletions may name anyone's structs (that is what the capability rules judge); only
	 * structs claim ids.
	 *
	 * An id in the loaded document but not in board_client (written before the table existed,
	 * or by a server edit of a closed board) goes to the first actor who writes under it after
	 * load. That is no worse than before ids were bound, and such ids are old: live clients
	 * that wrote them have since claimed theirs again or reconnected with new ones.
	 */
	#checkClientIds(
		conn: Connection,
		update: Uint8Array
	): { ok: true; unclaimed: number[]; foreign: number[] } | { ok: false; problem: string } {
		const actorKey = actorId(conn.actor);
		const unclaimed: number[] = [];
		const foreign: number[] = [];
		for (const clientId of Y.parseUpdateMeta(update).from.keys()) {
			const owner = this.#clientOwners.get(clientId);
			if (owner === actorKey) continue;
			// Not written yet, but a live connection of someone else announced it as its presence
			// id (a y-websocket client uses its document's client id there): theirs in waiting.
			if (owner === undefined && !this.#presenceOfOther(clientId, actorKey)) {
				unclaimed.push(clientId);
				continue;
			}
			// A connection that speaks as that very id, or could not get a presence of its own
			// (a stock client announces its document's client id before it sends any update, and
			// one taken already is refused), is an impostor; anyone else merely passes on what it
			// received.
			if (conn.awarenessClientId === null || clientId === conn.awarenessClientId) {
				return {
					ok: false,
					problem: `client id ${clientId} is ${owner === undefined ? "another connection's" : 'another actor’s'}`
				};
			}
			foreign.push(clientId);
		}
		return { ok: true, unclaimed, foreign };
	}

	#presenceOfOther(clientId: number, actorKey: string): boolean {
		for (const other of this.connections) {
			if (other.awarenessClientId === clientId && actorId(other.actor) !== actorKey) return true;
		}
		return false;
	}

	/** Bind ids to the actor that first wrote them; stored with the next group commit. */
	#claim(clientIds: number[], actorKey: string): void {
		if (clientIds.length === 0) return;
		for (const clientId of clientIds) {
			this.#clientOwners.set(clientId, actorKey);
			this.#claims.push({ clientId, actorKey });
		}
		this.#scheduleFlush();
	}

	/** The rules a connection's updates are checked with. */
	rulesFor(conn: Connection) {
		return {
			kind: this.kind,
			caps: capabilitiesOf(conn.role),
			actorKey: actorId(conn.actor),
			options: this.#options.rules ?? defaultRuleOptions,
			...(this.kind === 'driehoeksgesprek' ? { talk: talkFacts(this.doc, this.#criteria) } : {}),
			...(this.kind === 'zorgoverleg'
				? { children: childrenOf(this.doc), child: actorChildId(conn.actor) }
				: {})
		};
	}

	#receiveAwareness(conn: Connection, update: Uint8Array): CloseReason | null {
		const entries = decodeAwarenessUpdate(update);
		if (conn.awarenessClientId === null) {
			// The first id nobody else speaks for becomes this connection's. An id another
			// connection holds (or a presence from another instance) is never taken over: a
			// viewer sending a mentor's client id first would otherwise own the mentor's entry.
			const free = entries.find((entry) => !this.#presenceTaken(entry.clientId, conn));
			if (free) conn.awarenessClientId = free.clientId;
		}
		// Stock y-websocket clients relay every awareness change they see, so entries for other
		// client ids are expected: they are dropped, never applied. Only our own id counts.
		const own = entries.filter((entry) => entry.clientId === conn.awarenessClientId);
		if (own.length === 0) return null;
		for (const entry of own) {
			// Name, role and colour come from the session, whatever the client claims.
			if (entry.state !== null) entry.state = { ...entry.state, user: conn.user };
		}
		awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(own), conn);
		return null;
	}

	/** Whether another live connection (here or, through Redis, elsewhere) holds this id. */
	#presenceTaken(clientId: number, conn: Connection): boolean {
		for (const other of this.connections) {
			if (other !== conn && other.awarenessClientId === clientId) return true;
		}
		return this.awareness.getStates().has(clientId);
	}

	/**
	 * Apply an update that arrived from another instance (validated there). Its origin stores
	 * it; until the origin confirms (`confirmRemote`) it does not count for our saved-ack, and
	 * if no confirmation comes in ADOPT_MS we store it ourselves.
	 */
	applyRemote(update: Uint8Array, from: { instance: string; seq: number }): void {
		Y.applyUpdate(this.doc, update, 'redis');
		if (!this.#stored) return;
		this.#remote.push({ ...from, update, at: Date.now() });
		this.#armAdoption();
	}

	/** `instance` committed its updates up to `seq` on this board. */
	confirmRemote(instance: string, seq: number): void {
		const stored = this.#stored;
		if (!stored) return;
		const before = this.#remote.length;
		this.#remote = this.#remote.filter((r) => {
			if (r.instance !== instance || r.seq === 0 || r.seq > seq) return true;
			stored.addUpdate(r.update);
			return false;
		});
		if (this.#remote.length !== before) this.#sendSaved();
	}

	/** Merge the state stored in PostgreSQL (a resync after missed fan-out entries). */
	mergeStored(state: Uint8Array): void {
		Y.applyUpdate(this.doc, state, 'redis');
		this.#stored?.addStateVector(Y.encodeStateVectorFromUpdate(state));
		this.#sendSaved();
	}

	/** Queue remote updates older than `minAge` for our own group commit. */
	#adoptRemote(minAge: number): void {
		const now = Date.now();
		const adopted = this.#remote.filter((r) => now - r.at >= minAge);
		this.#remote = this.#remote.filter((r) => now - r.at < minAge);
		for (const r of adopted) {
			// An answer to a resync question repeats what others hold; only what is not known
			// stored is worth a row. A numbered update stays: its origin may have died unstored.
			if (r.seq === 0 && this.#stored?.covers(r.update)) continue;
			this.#pending.push(r.update);
		}
		if (adopted.length > 0 && !this.destroyed) this.#scheduleFlush();
		// Younger ones get their turn later, even if nothing else arrives (their origin died).
		this.#armAdoption();
	}

	#armAdoption(): void {
		if (this.#remote.length === 0 || this.destroyed) return;
		this.#adoptTimer ??= setTimeout(() => {
			this.#adoptTimer = undefined;
			this.#adoptRemote(ADOPT_MS);
		}, ADOPT_MS);
	}

	/**
	 * Tell the clients what is stored. The authors of what was just stored hear it at once (their
	 * "opgeslagen" and the B11 ack wait for it); everyone else gets one trailing message per
	 * SAVED_TRAILING_MS: sending every commit to every socket doubled the messages per edit
	 * (a board of 30 at 100 edits/s: 3,000 `saved` a second beside 2,900 updates).
	 */
	#sendSaved(authors: ReadonlySet<Connection> = new Set()): void {
		if (this.#stored) this.storedStateVector = this.#stored.encode();
		const saved = encodeSaved(this.storedStateVector);
		for (const conn of authors) {
			if (conn.wantsSaved && this.connections.has(conn)) send(conn, saved);
		}
		this.#savedTimer ??= setTimeout(() => {
			this.#savedTimer = undefined;
			if (this.destroyed) return;
			const latest = encodeSaved(this.storedStateVector);
			for (const conn of this.connections) if (conn.wantsSaved) send(conn, latest);
		}, SAVED_TRAILING_MS);
	}

	applyRemoteAwareness(update: Uint8Array): void {
		awarenessProtocol.applyAwarenessUpdate(this.awareness, update, 'redis');
	}

	/** Presence of this instance's own connections (answered to a joining instance). */
	ownAwareness(): Uint8Array | null {
		const states = this.awareness.getStates();
		const ids = [...this.connections]
			.map((conn) => conn.awarenessClientId)
			.filter((id): id is number => id !== null && states.has(id));
		return ids.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids) : null;
	}

	/** Encoded once per change of the document; never modify the returned bytes. */
	stateVector(): Uint8Array {
		return (this.#encoded.stateVector ??= this.#doc
			? Y.encodeStateVector(this.#doc)
			: Y.encodeStateVectorFromUpdate(this.#resting!));
	}

	/** What a replica at `stateVector` lacks; from the resting bytes without waking them. */
	diffFor(stateVector: Uint8Array): Uint8Array {
		return this.#doc
			? Y.encodeStateAsUpdate(this.#doc, stateVector)
			: Y.diffUpdate(this.#resting!, stateVector);
	}

	#scheduleFlush(delay = this.#options.flushMs): void {
		if (this.#flushTimer || this.#flushing) return;
		this.#flushTimer = setTimeout(() => {
			this.#flushTimer = undefined;
			void this.flush().catch(() => {});
		}, delay);
	}

	/** Write every queued update; resolves after commit (rejects if the database fails). */
	async flush(): Promise<void> {
		if (this.#flushTimer) clearTimeout(this.#flushTimer);
		this.#flushTimer = undefined;
		while (this.#flushing) await this.#flushing.catch(() => {});
		if (this.#pending.length === 0 && this.#claims.length === 0) return;
		const batch = this.#pending;
		const claims = this.#claims;
		const authors = this.#pendingAuthors;
		const publishedSeq = this.#publishedSeq;
		this.#pending = [];
		this.#claims = [];
		this.#pendingAuthors = new Set();
		const stateVector = this.stateVector();
		let failed = false;
		this.#flushing = (async () => {
			try {
				// What this room mirrored into another is stored there first (see `storesAfter`).
				if (this.#storesAfter && !this.#storesAfter.destroyed) await this.#storesAfter.flush();
				await this.#options.commit.append({ boardId: this.boardId, updates: batch, claims });
			} catch (error) {
				failed = true;
				this.#pending = [...batch, ...this.#pending];
				this.#claims = [...claims, ...this.#claims];
				for (const conn of authors) this.#pendingAuthors.add(conn);
				log.error(`sync: storing board ${this.boardId} failed: ${(error as Error).message}`);
				throw error;
			}
			this.logCount += batch.length;
			if (this.#stored) {
				for (const update of batch) this.#stored.addUpdate(update);
				if (publishedSeq > 0) this.#fanout?.publishStored(this.boardId, publishedSeq);
			} else {
				this.storedStateVector = stateVector;
			}
			this.#sendSaved(authors);
			if (this.logCount >= this.#options.compactAfterUpdates) await this.#compact();
		})();
		try {
			await this.#flushing;
		} finally {
			this.#flushing = undefined;
			if ((this.#pending.length > 0 || this.#claims.length > 0) && !this.destroyed) {
				this.#scheduleFlush(failed ? RETRY_FLUSH_MS : this.#options.flushMs);
			}
		}
	}

	async #compact(): Promise<void> {
		try {
			const { bytes } = await compactBoard(this.#runtime.database.db, this.boardId);
			this.logCount = 0;
			this.bytes = bytes;
		} catch (error) {
			log.warn(`sync: compacting board ${this.boardId} failed: ${(error as Error).message}`);
		}
	}

	/**
	 * Store everything this room holds unstored, remote updates not yet confirmed by their
	 * origin included; resolves with whether it wrote any row.
	 */
	async storeAll(): Promise<boolean> {
		const before = this.logCount;
		this.#adoptRemote(0);
		await this.flush();
		return this.logCount !== before;
	}

	/** Flush, then drop the room if nobody came back meanwhile; compact what it left. */
	async unload(): Promise<void> {
		this.#unloadTimer = undefined;
		// Nothing unconfirmed may leave memory unstored with the room.
		this.#adoptRemote(0);
		try {
			await this.flush();
		} catch {
			// Keep the room (and its pending updates) in memory; try again later.
			this.#scheduleUnload();
			return;
		}
		if (this.connections.size > 0 || this.#holds > 0 || this.destroyed) return;
		this.destroy();
		if (this.logCount > 0) {
			await this.#compact();
		}
	}

	/** Close every connection and flush; used at shutdown. */
	async shutdown(): Promise<void> {
		for (const conn of [...this.connections]) closeConnection(conn, 'serviceRestart');
		this.#adoptRemote(0);
		try {
			await this.flush();
		} finally {
			this.destroy();
		}
	}

	destroy(): void {
		if (this.destroyed) return;
		this.destroyed = true;
		if (this.#unloadTimer) clearTimeout(this.#unloadTimer);
		if (this.#flushTimer) clearTimeout(this.#flushTimer);
		if (this.#adoptTimer) clearTimeout(this.#adoptTimer);
		if (this.#savedTimer) clearTimeout(this.#savedTimer);
		if (this.#restTimer) clearTimeout(this.#restTimer);
		this.#remote = [];
		this.#onUnload(this);
		this.awareness.destroy();
		this.awareness.doc.destroy();
		this.#detachObservers();
		this.#observers.clear();
		this.#doc?.destroy();
	}
}

export function encodeUpdateMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.sync);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** An update that only deletes (no new structs): what a full board still accepts. */
function onlyDeletes(update: Uint8Array): boolean {
	try {
		return Y.decodeUpdate(update).structs.length === 0;
	} catch {
		return false;
	}
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.byteLength !== b.byteLength) return false;
	for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
	return true;
}

export function send(conn: Connection, message: Uint8Array): void {
	if (conn.closed || conn.ws.readyState !== conn.ws.OPEN) return;
	// Back-pressure: one large message (the first sync of a big board) may queue on an idle
	// socket, but a socket that keeps more than the bound unsent is not reading; buffering
	// every later update for it would cost the server a board's size per slow reader.
	const buffered = conn.ws.bufferedAmount;
	if (buffered > 0 && buffered + message.byteLength > conn.maxBufferedBytes) {
		closeConnection(conn, 'slowReader', `${buffered} bytes unsent`);
		return;
	}
	conn.ws.send(message, (error) => {
		if (error) {
			log.warn(`sync: send failed on connection ${conn.id}: ${error.message}`);
			closeConnection(conn, 'internalError');
		}
	});
}

export function closeConnection(conn: Connection, reason: CloseReason, detail?: string): void {
	if (conn.closed) return;
	conn.closed = true;
	if (reason !== 'serviceRestart') {
		log.info(`sync: closing connection ${conn.id}: ${reason}${detail ? ` (${detail})` : ''}`);
	}
	try {
		conn.ws.close(CloseCode[reason], reason);
	} catch {
		conn.ws.terminate();
	}
	// A peer that never answers the close handshake must not hold the socket.
	setTimeout(() => conn.ws.terminate(), 2_000).unref();
}

/**
 * The criteria version a talk's views are checked against; a family part reads its board's
 * (the part row carries none of its own).
 */
async function talkCriteriaOf(
	runtime: Runtime,
	b: { schoolId: string; partOf: string | null; criteriaVersionId: string | null }
): Promise<CriteriaContent | null> {
	const database = runtime.database.db;
	let versionId = b.criteriaVersionId;
	if (!versionId && b.partOf) {
		const [main] = await database
			.select({ criteriaVersionId: boardTable.criteriaVersionId })
			.from(boardTable)
			.where(and(eq(boardTable.id, b.partOf), eq(boardTable.schoolId, b.schoolId)))
			.limit(1);
		versionId = main?.criteriaVersionId ?? null;
	}
	return loadCriteriaVersion(database, b.schoolId, versionId);
}

/** `update` without any struct written under `clients` (their deletions of others stay). */
export function withoutClients(update: Uint8Array, clients: readonly number[]): Uint8Array {
	const ends = Y.parseUpdateMeta(update).to;
	// A state vector that already "has" everything of those clients: diffUpdate leaves them out.
	const known = encoding.createEncoder();
	encoding.writeVarUint(known, clients.length);
	for (const client of clients) {
		encoding.writeVarUint(known, client);
		encoding.writeVarUint(known, ends.get(client) ?? 0);
	}
	return Y.diffUpdate(update, encoding.toUint8Array(known));
}
