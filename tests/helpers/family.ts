/**
 * Helpers for the family part tests: a stock y-websocket client that keeps every raw frame its
 * sockets received (across reconnects), and entry-by-entry views of a board document.
 */
import { eq } from 'drizzle-orm';
import type { RawData } from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { familySees } from '../../src/lib/board/family-view';
import type { Database } from '../../src/lib/server/db';
import { board, boardSnapshot, boardUpdate } from '../../src/lib/server/db/schema';
import { cookieWebSocket, type TestClient } from './sync-client';

export interface RecordingClient extends TestClient {
	/** Every frame any socket of this client received, in order. */
	frames: Buffer[];
	/** Close codes the server sent this client. */
	closeCodes: number[];
	/** Whether any received frame contains `text` (as UTF-8 bytes, as Yjs encodes strings). */
	received(text: string): boolean;
}

export function connectRecording(
	baseUrl: string,
	boardId: string,
	token: string,
	doc: Y.Doc = new Y.Doc()
): RecordingClient {
	const frames: Buffer[] = [];
	const closeCodes: number[] = [];
	const Base = cookieWebSocket(token);
	class Recording extends Base {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols);
			this.on('message', (data: RawData) => {
				if (data instanceof ArrayBuffer) frames.push(Buffer.from(new Uint8Array(data)));
				else if (Array.isArray(data)) frames.push(Buffer.concat(data));
				else frames.push(Buffer.from(data));
			});
		}
	}
	const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/sync', boardId, doc, {
		WebSocketPolyfill: Recording as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		maxBackoffTime: 500
	});
	provider.on('connection-close', (event) => {
		if (event) closeCodes.push(event.code);
	});
	return {
		doc,
		provider,
		frames,
		closeCodes,
		received: (text) => {
			const bytes = Buffer.from(text, 'utf8');
			return frames.some((frame) => frame.includes(bytes));
		},
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

export const boardRoots = ['cards', 'checkins', 'settings', 'session'] as const;

function sorted(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sorted);
	if (typeof value !== 'object' || value === null) return value;
	return Object.fromEntries(
		Object.entries(value)
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([k, v]) => [k, sorted(v)])
	);
}

/** Every top-level entry as `root/key` -> JSON; `family` keeps only what the family may see. */
export function entriesOf(doc: Y.Doc, { family = false } = {}): Record<string, string> {
	const out: Record<string, string> = {};
	for (const root of boardRoots) {
		for (const [key, value] of doc.getMap<unknown>(root).entries()) {
			const plain = value instanceof Y.AbstractType ? value.toJSON() : value;
			if (family && !familySees(root, plain)) continue;
			out[`${root}/${key}`] = JSON.stringify(sorted(plain));
		}
	}
	return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** The id of a board's family part, or null while it has none. */
export async function familyPartOf(db: Database, boardId: string): Promise<string | null> {
	const [row] = await db
		.select({ id: board.id })
		.from(board)
		.where(eq(board.partOf, boardId))
		.limit(1);
	return row?.id ?? null;
}

/** Whether a board's stored rows (snapshot and update log) contain `text` anywhere. */
export async function storageContains(db: Database, boardId: string, text: string) {
	const bytes = Buffer.from(text, 'utf8');
	const snapshots = await db
		.select({ data: boardSnapshot.data })
		.from(boardSnapshot)
		.where(eq(boardSnapshot.boardId, boardId));
	const updates = await db
		.select({ data: boardUpdate.data })
		.from(boardUpdate)
		.where(eq(boardUpdate.boardId, boardId));
	return [...snapshots, ...updates].some((row) => Buffer.from(row.data).includes(bytes));
}
