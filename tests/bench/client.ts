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

export class BenchClient {
	readonly doc = new Y.Doc();
	readonly ws: WebSocket;
	synced = false;
	/** Our clock the server says is durably stored (our server only). */
	storedClock = 0;
	awarenessReceived = 0;
	/** When this client last sent one of its own document updates (performance.now()). */
	lastSendAt = 0;
	/** Called after a remote document update was applied. */
	onRemoteUpdate: () => void = () => {};
	/** Called when the server's stored state vector arrives. */
	onSaved: () => void = () => {};
	private readonly opened: Promise<void>;
	private whenSynced: (() => void) | null = null;
	private awareness: awarenessProtocol.Awareness | null = null;

	constructor(
		private readonly server: Ready,
		private readonly room: string
	) {
		const hocus = server.framing === 'hocuspocus';
		const url = `${server.url}${hocus ? '' : `/${room}`}${server.query ? `?${server.query}` : ''}`;
		this.ws = new WebSocket(url, {
			agent: new http.Agent({ keepAlive: false }),
			headers: server.headers ?? {},
			perMessageDeflate: false
		});
		this.ws.binaryType = 'nodebuffer';
		this.opened = new Promise((resolve, reject) => {
			this.ws.once('open', () => resolve());
			this.ws.once('error', reject);
			this.ws.once('unexpected-response', (_req, res) =>
				reject(new Error(`HTTP ${res.statusCode} from ${url}`))
			);
		});
		this.ws.on('open', () => {
			if (hocus) {
				this.send(AUTH, (e) => {
					encoding.writeVarUint(e, 0);
					encoding.writeVarString(e, 'bench');
				});
			}
			this.send(SYNC, (e) => syncProtocol.writeSyncStep1(e, this.doc));
		});
		this.ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data)));
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === this) return;
			this.lastSendAt = performance.now();
			this.send(SYNC, (e) => syncProtocol.writeUpdate(e, update));
		});
	}

	/** Resolves once the socket is open (and, with a stateful server, the first sync is done). */
	async ready(timeoutMs = 60_000): Promise<void> {
		await this.opened;
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
			const reply = encoding.createEncoder();
			const kind = syncProtocol.readSyncMessage(d, reply, this.doc, this);
			if (kind === syncProtocol.messageYjsSyncStep2) {
				this.synced = true;
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
