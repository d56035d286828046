/**
 * The /sync/<boardId> WebSocket endpoint: the y-websocket protocol on `ws` (noServer), with
 * authentication at the HTTP upgrade, rooms with durable group commits (rooms.ts), limits
 * with clear close codes (protocol.ts) and re-validation when access changes.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Redis } from 'ioredis';
import * as Y from 'yjs';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { RuleOptions } from '../src/lib/board/update-rules';
import { actorId, actorName } from '../src/lib/server/auth/actor';
import { canEdit, seesFamilyPartOnly } from '../src/lib/server/auth/permissions';
import type { Board } from '../src/lib/server/db/schema';
import { onAccessChanged, type AccessChange } from '../src/lib/server/access-events';
import type { Runtime } from '../src/lib/server/runtime';
import { loadBoardDoc } from '../src/lib/server/board-store';
import { recordBoardRead } from '../src/lib/server/privacy/audit';
import { startAccessRelay } from './access-relay';
import { RedisFanout } from './fanout';
import { attachFamilyMirror, ensureFamilyPart } from './family-mirror';
import { GroupCommit } from './group-commit';
import { log } from './log';
import { createParticipantRefresher } from './meeting-participants';
import { applyRemoteErasure, registerOpenBoards } from './open-boards';
import {
	closeConnection,
	Room,
	type Connection,
	type Fanout,
	type RoomBoard,
	type RoomOptions
} from './rooms';
import { CloseCode } from './protocol';
import { watchStudentHistory } from './student-history';
import { emptyPending } from './update-guard';
import { authorizeUpgrade, recheckAccess } from './upgrade-auth';

export const SYNC_PATH = /^\/sync\/([A-Za-z0-9_-]{1,64})\/?$/;

/**
 * Upgrades authenticating (and loading their room) at once. More wait in line rather than being
 * refused: after a restart a whole school reconnects within seconds, and a 503 sends a client
 * into a longer back-off than the line would have taken (B6 in tests/bench).
 */
const MAX_ACTIVE_UPGRADES = 64;
/** Upgrades waiting for a turn; beyond this, new ones get 503. */
const MAX_QUEUED_UPGRADES = 20_000;
/** Waiting, authentication and loading the room must finish within this time. */
const PRE_AUTH_TIMEOUT_MS = 10_000;
/**
 * Every open connection is re-validated this often (session expiry, lost rights), each on its
 * own schedule: checking thousands at one moment would queue every new upgrade behind them.
 */
const RECHECK_INTERVAL_MS = 30_000;
/** How often the due re-checks are collected. */
const RECHECK_TICK_MS = 1_000;
/** Protocol-level pings keep NAT/proxies open and find dead peers. */
const PING_INTERVAL_MS = 30_000;

export interface SyncService {
	handles(req: http.IncomingMessage): boolean;
	handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
	/** Flush every room and close every connection. Idempotent. */
	close(): Promise<void>;
}

export interface SyncServiceExtras {
	/** Open rooms by board id (tests, bench, fan-out). */
	rooms: Map<string, Room | Promise<Room>>;
	connectionCount(): number;
	/** Re-check every open connection now; resolves when done. */
	recheckAll(): Promise<void>;
	/** Re-check the connections whose periodic re-check is due at `at` (ms since the epoch). */
	recheckDue(at: number): Promise<void>;
	/** The Redis fan-out, when the runtime has Redis (fanout.ts). */
	fanout: RedisFanout | undefined;
	/** Resolves once the fan-out's connections were attempted (at once without Redis). */
	ready(): Promise<void>;
}

const PALETTE = ['#1f5f4a', '#8a3b12', '#234e8c', '#7a2d6b', '#5b5b0f', '#a0213b', '#0f6b6b'];

function colorFor(id: string): string {
	let hash = 0;
	for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
	return PALETTE[hash % PALETTE.length]!;
}

function refuse(socket: Duplex, status: 401 | 403 | 404 | 429 | 503): void {
	const text = {
		401: 'Unauthorized',
		403: 'Forbidden',
		404: 'Not Found',
		429: 'Too Many Requests',
		503: 'Service Unavailable'
	}[status];
	if (!socket.writable) {
		socket.destroy();
		return;
	}
	socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function createSyncUpgradeHandler(
	runtime: Runtime,
	options: {
		/** Instead of the Redis fan-out the runtime's Redis would give (tests). */
		fanout?: Fanout;
		/** What clients may write; `serverEndsSession` is off by default (update-rules.ts). */
		rules?: RuleOptions;
	} = {}
): SyncService & SyncServiceExtras {
	const { config } = runtime;
	const roomOptions: RoomOptions = {
		// PostgreSQL: the group commit batches what arrives while a commit runs, so the window only
		// adds latency to the saved-ack. PGlite runs each commit on this thread: fewer, larger ones.
		flushMs: config.SYNC_FLUSH_MS ?? (runtime.database.driver === 'postgres' ? 2 : 25),
		commit: new GroupCommit(() => runtime.database.db),
		unloadMs: config.SYNC_ROOM_UNLOAD_MS,
		restMs: config.SYNC_ROOM_REST_MS,
		maxBoardBytes: config.SYNC_MAX_BOARD_BYTES,
		compactAfterUpdates: config.SYNC_COMPACT_AFTER_UPDATES,
		maxPendingBytes: config.SYNC_MAX_PENDING_BYTES,
		rules: options.rules
	};
	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: config.SYNC_MAX_FRAME_BYTES,
		perMessageDeflate: false
	});
	const rooms = new Map<string, Room | Promise<Room>>();
	const redis = runtime.services.redis as Redis | undefined;
	const redisFanout =
		!options.fanout && redis
			? new RedisFanout(redis, {
					prefix: config.REDIS_KEY_PREFIX,
					loadStored: async (boardId) => {
						const { doc } = await loadBoardDoc(runtime.database.db, boardId);
						const state = Y.encodeStateAsUpdate(doc);
						doc.destroy();
						return state;
					},
					erased: (boardId, mode) => void applyRemoteErasure(runtime, rooms, boardId, mode)
				})
			: undefined;
	const fanout = options.fanout ?? redisFanout;
	let stopAccessRelay: (() => Promise<void>) | undefined;
	const ready = (async () => {
		if (!redis || !redisFanout) return;
		redisFanout.start();
		try {
			stopAccessRelay = await startAccessRelay(runtime, redis, {
				prefix: config.REDIS_KEY_PREFIX,
				instanceId: redisFanout.instanceId
			});
		} catch (error) {
			// The periodic re-check still closes what lost access (access-relay.ts).
			log.warn(`sync: access relay not started: ${(error as Error).message}`);
		}
	})();
	// Server-side board edits (src/lib/server/board-edit.ts) reach these rooms through the runtime.
	const unregisterOpenBoards = registerOpenBoards(runtime, rooms, redisFanout);
	/** Open connections, each with the time of its next access re-check. */
	const connections = new Map<Connection, number>();
	/** Open connections per session id (the per-login cap, without a scan per upgrade). */
	const perSession = new Map<string, number>();
	const refreshParticipants = createParticipantRefresher(runtime);
	let activeUpgrades = 0;
	/** Upgrades waiting for a turn, first come first served, from `waitingHead` on. */
	let waiting: Array<() => void> = [];
	let waitingHead = 0;
	let nextId = 1;
	let closing: Promise<void> | undefined;

	async function openRoom(boardId: string, known?: RoomBoard): Promise<Room> {
		const existing = rooms.get(boardId);
		if (existing) return existing;
		const loading = Room.load(
			runtime,
			boardId,
			roomOptions,
			fanout,
			(room) => {
				if (rooms.get(room.boardId) === room) rooms.delete(room.boardId);
				redisFanout?.leave(room);
			},
			known
		).then(
			(room) => {
				rooms.set(boardId, room);
				redisFanout?.join(room);
				watchStudentHistory(runtime, room);
				return room;
			},
			(error: unknown) => {
				rooms.delete(boardId);
				throw error;
			}
		);
		rooms.set(boardId, loading);
		return loading;
	}

	/** Open the board's room and keep it loaded until `release()`. */
	async function holdRoom(boardId: string): Promise<Room> {
		for (let attempt = 0; ; attempt++) {
			const room = await openRoom(boardId);
			room.hold();
			if (!room.destroyed) return room;
			// It unloaded just before our hold: load it again.
			room.release();
			if (attempt >= 2) throw new Error(`board ${boardId} keeps unloading`);
		}
	}

	/**
	 * The room of `main`'s family part (family-mirror.ts), created on first use. It holds the
	 * main room loaded for the mirror; unloading it releases that hold.
	 */
	async function openFamilyRoom(main: Board): Promise<Room> {
		const partId = await ensureFamilyPart(runtime.database.db, main);
		const existing = rooms.get(partId);
		if (existing) return existing;
		const loading = (async () => {
			const mainRoom = await holdRoom(main.id);
			let detach = () => {};
			try {
				const family = await Room.load(runtime, partId, roomOptions, fanout, (room) => {
					if (rooms.get(room.boardId) === room) rooms.delete(room.boardId);
					redisFanout?.leave(room);
					detach();
					mainRoom.release();
				});
				// Synchronously after loading: no connection sees the part before it is reconciled.
				detach = attachFamilyMirror(mainRoom, family);
				rooms.set(partId, family);
				redisFanout?.join(family);
				return family;
			} catch (error) {
				mainRoom.release();
				throw error;
			}
		})();
		rooms.set(partId, loading);
		loading.catch(() => {
			if (rooms.get(partId) === loading) rooms.delete(partId);
		});
		return loading;
	}

	function attach(ws: WebSocket, room: Room, conn: Connection): void {
		connections.set(conn, Date.now() + recheckDelay());
		const sessionId = conn.actor.session.id;
		perSession.set(sessionId, (perSession.get(sessionId) ?? 0) + 1);
		room.add(conn);
		let alive = true;
		ws.on('pong', () => {
			alive = true;
		});
		const ping = setInterval(
			() => {
				if (!alive) return ws.terminate();
				alive = false;
				ws.ping();
				if (Date.now() - conn.lastMessageAt > config.SYNC_IDLE_TIMEOUT_MS) {
					closeConnection(conn, 'idle');
				}
			},
			Math.min(PING_INTERVAL_MS, config.SYNC_IDLE_TIMEOUT_MS)
		);
		ws.on('message', (data: RawData, isBinary: boolean) => {
			if (conn.closed) return;
			const now = Date.now();
			conn.lastMessageAt = now;
			if (now - conn.windowStart >= 1000) {
				conn.windowStart = now;
				conn.windowCount = 0;
			}
			if (++conn.windowCount > config.SYNC_MAX_MESSAGES_PER_SECOND) {
				return closeConnection(conn, 'rateLimited');
			}
			if (!isBinary) return closeConnection(conn, 'malformed');
			const bytes = toUint8Array(data);
			const reason = room.receive(conn, bytes);
			if (reason) closeConnection(conn, reason);
		});
		ws.on('error', () => ws.terminate());
		ws.on('close', () => {
			conn.closed = true;
			clearInterval(ping);
			if (connections.delete(conn)) {
				const left = (perSession.get(sessionId) ?? 1) - 1;
				if (left > 0) perSession.set(sessionId, left);
				else perSession.delete(sessionId);
			}
			room.remove(conn);
		});
	}

	async function upgrade(
		req: http.IncomingMessage,
		socket: Duplex,
		head: Buffer,
		boardId: string,
		params: URLSearchParams
	): Promise<void> {
		const decision = await authorizeUpgrade(runtime, req, boardId, params.get('readonly') === '1');
		if (!decision.ok) return refuse(socket, decision.status);
		if (closing) return refuse(socket, 503);
		// Opening a care or conversation board live is a read of a child's file (one row per view:
		// privacy/audit.ts). No row, no read: a failed insert refuses the connection.
		try {
			await recordBoardRead(runtime.database.db, decision.actor, decision.board, { via: 'sync' });
		} catch (error) {
			log.error(`sync: audit of a read of board ${boardId} failed: ${(error as Error).message}`);
			return refuse(socket, 503);
		}
		// A parent on a conversation board is attached to its family part, transparently: same
		// URL, same protocol; the care team's cards are not in that document at all.
		const family = seesFamilyPartOnly(decision.role, decision.board);
		const room = family
			? await openFamilyRoom(decision.board)
			: await openRoom(boardId, decision.board);
		if (socket.destroyed) return;
		if (overCap(decision.actor.session.id, room)) return refuse(socket, 429);
		wss.handleUpgrade(req, socket, head, (ws) => {
			if (room.destroyed || closing) {
				ws.close(1012, 'serviceRestart');
				return;
			}
			// Checked again: other upgrades of this session may have finished meanwhile.
			if (overCap(decision.actor.session.id, room)) {
				ws.close(CloseCode.rateLimited, 'rateLimited');
				return;
			}
			const now = Date.now();
			const conn: Connection = {
				id: nextId++,
				ws,
				boardId,
				family,
				token: decision.token,
				actor: decision.actor,
				role: decision.role,
				readOnly: decision.readOnly,
				wantsSaved: params.get('saved') === '1',
				maxBufferedBytes: config.SYNC_MAX_BUFFERED_BYTES,
				user: {
					name: actorName(decision.actor),
					role: decision.role,
					color: colorFor(actorId(decision.actor))
				},
				awarenessClientId: null,
				pending: emptyPending(),
				windowStart: now,
				windowCount: 0,
				lastMessageAt: now,
				closed: false
			};
			attach(ws, room, conn);
			// Whoever arrives at a care meeting appears on every open device (meeting-participants.ts).
			void refreshParticipants(decision.board);
		});
	}

	/** Start the next waiting upgrade, if there is room. */
	function next(): void {
		while (activeUpgrades < MAX_ACTIVE_UPGRADES && waitingHead < waiting.length) {
			waiting[waitingHead++]!();
		}
		if (waitingHead === waiting.length) {
			waiting = [];
			waitingHead = 0;
		} else if (waitingHead > 1024 && waitingHead * 2 > waiting.length) {
			waiting = waiting.slice(waitingHead);
			waitingHead = 0;
		}
	}

	/** Too many sockets for this login or on this board already. */
	function overCap(sessionId: string, room: Room): boolean {
		if (room.connections.size >= config.SYNC_MAX_CONNECTIONS_PER_BOARD) return true;
		return (perSession.get(sessionId) ?? 0) >= config.SYNC_MAX_CONNECTIONS_PER_SESSION;
	}

	/** A re-check's delay, jittered by ±10 % so connections made together drift apart. */
	function recheckDelay(): number {
		return RECHECK_INTERVAL_MS * (0.9 + Math.random() * 0.2);
	}

	/**
	 * Re-check `targets`: one access query set per login and board, however many sockets that
	 * login holds on the board (a wall with several tabs, or a bench's thousands).
	 */
	async function recheck(targets: Iterable<Connection>): Promise<void> {
		const groups = new Map<string, Connection[]>();
		for (const conn of targets) {
			if (conn.closed) continue;
			if (connections.has(conn)) connections.set(conn, Date.now() + recheckDelay());
			const key = `${conn.token}\n${conn.boardId}`;
			const group = groups.get(key);
			if (group) group.push(conn);
			else groups.set(key, [conn]);
		}
		await Promise.all(
			[...groups.values()].map(async (group) => {
				const first = group[0]!;
				let result: Awaited<ReturnType<typeof recheckAccess>>;
				try {
					result = await recheckAccess(runtime, first.token, first.boardId);
				} catch (error) {
					log.warn(`sync: access re-check failed: ${(error as Error).message}`);
					return;
				}
				for (const conn of group) {
					if (conn.closed) continue;
					if ('reason' in result) {
						closeConnection(conn, result.reason);
						continue;
					}
					conn.actor = result.actor;
					conn.role = result.role;
					// Now belongs in the other room (family part or board): reconnect there.
					if (seesFamilyPartOnly(result.role, result.board) !== conn.family) {
						closeConnection(conn, 'roleChanged');
					} else if (!conn.readOnly && !canEdit(result.role)) {
						// Lost the right to edit: reconnect as read-only.
						closeConnection(conn, 'roleChanged');
					}
				}
			})
		);
	}

	/** The connections whose re-check is due. */
	function due(now: number): Connection[] {
		const found: Connection[] = [];
		for (const [conn, at] of connections) if (at <= now) found.push(conn);
		return found;
	}

	function affected(change: AccessChange): Connection[] {
		return [...connections.keys()].filter((conn) => {
			const actor = conn.actor;
			switch (change.kind) {
				case 'session':
					return actor.session.id === change.sessionId;
				case 'user':
					return actor.kind === 'user' && actor.user.id === change.userId;
				case 'invite':
					return actor.kind === 'guest' && actor.session.inviteId === change.inviteId;
				case 'pairing':
					return actor.kind === 'device' && actor.wallPairingId === change.pairingId;
				case 'board':
					return conn.boardId === change.boardId;
			}
		});
	}

	const unsubscribe = onAccessChanged((change) => {
		void recheck(affected(change));
	}, runtime);
	let rechecking = false;
	const recheckTimer = setInterval(() => {
		// One round at a time: a slow database makes rounds larger, not concurrent.
		if (rechecking) return;
		rechecking = true;
		void recheck(due(Date.now())).finally(() => (rechecking = false));
	}, RECHECK_TICK_MS);
	recheckTimer.unref();

	return {
		rooms,
		fanout: redisFanout,
		ready: () => ready,
		connectionCount: () => connections.size,
		recheckAll: () => recheck([...connections.keys()]),
		recheckDue: (at) => recheck(due(at)),
		handles: (req) => SYNC_PATH.test(new URL(req.url ?? '/', 'http://x').pathname),
		handleUpgrade(req, socket, head) {
			const url = new URL(req.url ?? '/', 'http://x');
			const match = SYNC_PATH.exec(url.pathname);
			if (!match) return refuse(socket, 404);
			if (closing || waiting.length - waitingHead >= MAX_QUEUED_UPGRADES) {
				return refuse(socket, 503);
			}
			socket.on('error', () => socket.destroy());
			const timer = setTimeout(() => socket.destroy(), PRE_AUTH_TIMEOUT_MS);
			const run = () => {
				// Gone while waiting (timed out, or the client gave up): nothing to do.
				if (socket.destroyed) return clearTimeout(timer);
				if (closing) {
					clearTimeout(timer);
					return refuse(socket, 503);
				}
				activeUpgrades++;
				upgrade(req, socket, head, match[1]!, url.searchParams)
					.catch((error: unknown) => {
						log.error(`sync: upgrade failed: ${(error as Error).message}`);
						refuse(socket, 503);
					})
					.finally(() => {
						activeUpgrades--;
						clearTimeout(timer);
						next();
					});
			};
			if (activeUpgrades < MAX_ACTIVE_UPGRADES) run();
			else waiting.push(run);
		},
		close() {
			closing ??= (async () => {
				unsubscribe();
				unregisterOpenBoards();
				clearInterval(recheckTimer);
				const open = await Promise.allSettled([...rooms.values()]);
				await Promise.allSettled(
					open.map((r) => (r.status === 'fulfilled' ? r.value.shutdown() : undefined))
				);
				for (const conn of connections.keys()) conn.ws.terminate();
				wss.close();
				await ready;
				await stopAccessRelay?.();
				await redisFanout?.close();
			})();
			return closing;
		}
	};
}

function toUint8Array(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	// A copy: decoded Yjs content may keep views into this memory.
	return new Uint8Array(data instanceof ArrayBuffer ? data : new Uint8Array(data));
}
