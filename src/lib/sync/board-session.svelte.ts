/**
 * The client side of one live board: owns the Y.Doc, the WebSocket provider, connection and
 * save state, and presence. Components read its `$state` fields; board operations in
 * `$lib/board` take `session.doc`.
 *
 * CONTRACT (other code relies on these names): `doc`, `status`, `saveState`, `synced`,
 * `peers`, `readOnly`, `setEditing(id)`, `destroy()`. The live-sync issue fills in durable
 * acknowledgements, reconnect with jitter and the offline cache behind them.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

export type ConnectionStatus = 'connecting' | 'connected' | 'offline';
export type SaveState = 'saved' | 'saving' | 'offline';

export interface Peer {
	clientId: number;
	name: string;
	role: string;
	color: string;
	/** Id of the card or field this person is editing, if any. */
	editing: string | null;
	self: boolean;
}

export interface BoardSessionOptions {
	/** Base URL of the sync endpoint; defaults to this page's origin + /sync. */
	url?: string;
	readOnly?: boolean;
}

export class BoardSession {
	readonly boardId: string;
	readonly doc = new Y.Doc();
	readonly readOnly: boolean;

	status = $state<ConnectionStatus>('connecting');
	saveState = $state<SaveState>('saved');
	synced = $state(false);
	peers = $state.raw<Peer[]>([]);

	#provider: WebsocketProvider;

	constructor(boardId: string, options: BoardSessionOptions = {}) {
		this.boardId = boardId;
		this.readOnly = options.readOnly ?? false;
		const base =
			options.url ?? `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/sync`;
		this.#provider = new WebsocketProvider(base, boardId, this.doc);
		this.#provider.on('status', ({ status }) => {
			this.status =
				status === 'connected' ? 'connected' : status === 'connecting' ? 'connecting' : 'offline';
		});
		this.#provider.on('sync', (isSynced: boolean) => {
			this.synced = isSynced;
		});
		const awareness = this.#provider.awareness;
		awareness.on('change', () => {
			const self = awareness.clientID;
			this.peers = [...awareness.getStates().entries()].map(([clientId, state]) => ({
				clientId,
				name: String(state.user?.name ?? ''),
				role: String(state.user?.role ?? ''),
				color: String(state.user?.color ?? '#1f5f4a'),
				editing: typeof state.editing === 'string' ? state.editing : null,
				self: clientId === self
			}));
		});
	}

	get awareness() {
		return this.#provider.awareness;
	}

	setEditing(id: string | null) {
		this.#provider.awareness.setLocalStateField('editing', id);
	}

	destroy() {
		this.#provider.destroy();
		this.doc.destroy();
	}
}
