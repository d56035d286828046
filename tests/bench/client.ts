/**
 * One bench editor: a real Y.Doc speaking the sync protocol over a raw `ws` socket, so every
 * server is driven by the same client code. `yws` framing is the y-websocket protocol (room in
 * the URL path); `hocuspocus` prefixes every message with the document name and starts with an
 * auth message. Our `saved` message (type 100) is read when the server sends it.
 */
import http from 'node:http';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Ready } from './servers/control';

const SYNC = 0;
const AWARENESS = 1;
const AUTH = 2;
const SAVED = 100;

export interface ClientOptions {
	/**
	 * Reconnect after the socket closes (B6), waiting `delay(attempt)` ms; `attempt` counts the
	 * failed tries since the last completed sync. Without it a closed client stays closed.
	 */
	reconnect?: (attempt: number) => number;
}

export class BenchClient {
	readonly doc = new Y.Doc();
	ws!: WebSocket;
	/** Whether the current socket finished the first sync (step 2 from the server arrived). */
	synced = false;
	/** Our clock the server says is durably stored (our server only). */
	storedClock = 0;
	awarenessReceived = 0;
	/** When this client last sent one of its own document updates (performance.now()). */
	lastSendAt = 0;
	/** When the current socket was opened (its connection attempt began; performance.now()). */
	attemptAt = 0;
	/** Called after a remote document update was applied. */
	onRemoteUpdate: () => void = () => {};
	/** Called when the server's stored state vector arrives. */
	onSaved: () => void = () => {};
	/** Called with the server's state vector from its sync step 1 (sent on every connect). */
	onServerState: (stateVector: Map<number, number>) => void = () => {};
	/** Called when the current socket finished its first sync. */
	onSynced: () => void = () => {};
	private readonly opened: Promise<void>;
	private whenSynced: (() => void) | null = null;
	private awareness: awarenessProtocol.Awareness | null = null;
	private closed = false;
	private attempt = 0;

	constructor(
		private readonly server: Ready,
		private readonly room: string,
		private readonly options: ClientOptions = {}
	) {
		this.opened = this.connect();
		// Only the first socket's failure is reported (through ready()); later ones reconnect.
		this.opened.catch(() => {});
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === this) return;
			this.lastSendAt = performance.now();
			this.send(SYNC, (e) => syncProtocol.writeUpdate(e, update));
		});
	}

	/** Open a socket; resolves when it is open. Edits made while closed go in the next sync. */
	private connect(): Promise<void> {
		const hocus = this.server.framing === 'hocuspocus';
		const url = `${this.server.url}${hocus ? '' : `/${this.room}`}${this.server.query ? `?${this.server.query}` : ''}`;
		this.synced = false;
		this.attemptAt = performance.now();
		const ws = new WebSocket(url, {
			agent: new http.Agent({ keepAlive: false }),
			headers: this.server.headers ?? {},
			perMessageDeflate: false
		});
		this.ws = ws;
		ws.binaryType = 'nodebuffer';
		const opened = new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('error', reject);
			// Listening for it means ws leaves the failed handshake to us: only without reconnecting.
			if (!this.options.reconnect) {
				ws.once('unexpected-response', (_req, res) =>
					reject(new Error(`HTTP ${res.statusCode} from ${url}`))
				);
			}
		});
		ws.on('error', () => {});
		ws.on('open', () => {
			if (hocus) {
				this.send(AUTH, (e) => {
					encoding.writeVarUint(e, 0);
					encoding.writeVarString(e, 'bench');
				});
			}
			this.send(SYNC, (e) => syncProtocol.writeSyncStep1(e, this.doc));
		});
		ws.on('message', (data: Buffer) => {
			if (ws === this.ws) this.receive(new Uint8Array(data));
		});
		ws.on('close', () => {
			const { reconnect } = this.options;
			if (this.closed || ws !== this.ws || !reconnect) return;
			setTimeout(() => {
				if (!this.closed) void this.connect().catch(() => {});
			}, reconnect(this.attempt++));
		});
		return opened;
	}

	/**
	 * Resolves once the socket is open (and, with a stateful server, the first sync is done). A
	 * reconnecting client's failed first socket is not an error: it waits for a later one.
	 */
	async ready(timeoutMs = 60_000): Promise<void> {
		if (!this.options.reconnect) await this.opened;
		if (!this.server.syncs || this.synced) return;
		// Resolved by the sync step 2 itself (B5 times this: a polling loop would add its period).
		let timer: ReturnType<typeof setTimeout> | undefined;
		await new Promise<void>((resolve) => {
			this.whenSynced = resolve;
			timer = setTimeout(resolve, timeoutMs);
		});
		clearTimeout(timer);
		this.whenSynced = null;
	}

	/** Publish presence (a cursor), as a board does while someone drags. */
	setPresence(state: Record<string, unknown>): void {
		this.awareness ??= new awarenessProtocol.Awareness(this.doc);
		this.awareness.setLocalState(state);
		const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]);
		this.send(AWARENESS, (e) => encoding.writeVarUint8Array(e, update));
	}

	close(): void {
		this.closed = true;
		this.ws.terminate();
		this.awareness?.destroy();
		this.doc.destroy();
	}

	private send(type: number, write: (e: encoding.Encoder) => void): void {
		if (this.ws.readyState !== WebSocket.OPEN) return;
		const e = encoding.createEncoder();
		if (this.server.framing === 'hocuspocus') encoding.writeVarString(e, this.room);
		encoding.writeVarUint(e, type);
		write(e);
		this.ws.send(encoding.toUint8Array(e));
	}

	private receive(bytes: Uint8Array): void {
		const d = decoding.createDecoder(bytes);
		if (this.server.framing === 'hocuspocus') decoding.readVarString(d);
		const type = decoding.readVarUint(d);
		if (type === SYNC) {
			const peek = decoding.createDecoder(bytes);
			peek.pos = d.pos;
			if (decoding.readVarUint(peek) === syncProtocol.messageYjsSyncStep1) {
				this.onServerState(Y.decodeStateVector(decoding.readVarUint8Array(peek)));
			}
			const reply = encoding.createEncoder();
			const kind = syncProtocol.readSyncMessage(d, reply, this.doc, this);
			if (kind === syncProtocol.messageYjsSyncStep2 && !this.synced) {
				this.synced = true;
				this.attempt = 0;
				this.onSynced();
				this.whenSynced?.();
			}
			if (encoding.length(reply) > 0) {
				this.send(SYNC, (e) => encoding.writeUint8Array(e, encoding.toUint8Array(reply)));
			}
			if (kind !== syncProtocol.messageYjsSyncStep1) this.onRemoteUpdate();
		} else if (type === AWARENESS) {
			this.awarenessReceived++;
		} else if (type === SAVED) {
			const stored = Y.decodeStateVector(decoding.readVarUint8Array(d));
			this.storedClock = stored.get(this.doc.clientID) ?? 0;
			this.onSaved();
		}
	}
}

/** Connect `count` clients to one room, in parallel; resolves when all are ready. */
export async function connectAll(server: Ready, room: string, count: number) {
	const clients = Array.from({ length: count }, () => new BenchClient(server, room));
	await Promise.all(clients.map((c) => c.ready()));
	return clients;
}
