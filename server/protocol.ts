/**
 * The wire protocol of /sync/<boardId>: the y-websocket protocol (sync step 1/2, update,
 * awareness, query-awareness) plus one message of our own, and the close codes we use.
 *
 * Message 100 `saved`: server -> client, payload = the board's durably stored state vector
 * (Y.encodeStateVector format, varUint8Array). It is sent only after the database transaction
 * storing those updates committed, and only to clients that asked for it with the URL
 * parameter `saved=1`, so a stock y-websocket client never sees it. A client knows its edits
 * are safe when, for every client id in its own document's state vector, the stored clock is
 * at least as high.
 *
 * Message 101 `dropCache`: server -> client, no payload. Content was erased from the board
 * (privacy/erase.ts): the client deletes its offline copy of the board and opens it again from
 * the server. Like `saved`, sent only to clients that asked with `saved=1` (our own app), so a
 * stock y-websocket client never sees a message type it does not know.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MessageType = {
	sync: 0,
	awareness: 1,
	auth: 2,
	queryAwareness: 3,
	saved: 100,
	dropCache: 101
} as const;

/**
 * Close codes. 4400-4499 are permanent (the stock y-websocket client stops reconnecting);
 * 4500-4599 and 1xxx are transient (it reconnects with back-off).
 */
export const CloseCode = {
	/** Server shutting down or restarting: reconnect. */
	serviceRestart: 1012,
	/** Frame larger than SYNC_MAX_FRAME_BYTES (sent by `ws` itself). */
	messageTooBig: 1009,
	internalError: 1011,
	/** Message could not be decoded or applied. */
	malformed: 4400,
	/** An update the board's schema or the connection's role does not allow (update-guard.ts). */
	invalidUpdate: 4400,
	/** Session ended or expired. */
	unauthorized: 4401,
	/** Access to the board revoked. */
	forbidden: 4403,
	/** The board would grow beyond SYNC_MAX_BOARD_BYTES. */
	boardTooLarge: 4413,
	/** More than SYNC_MAX_PENDING_BYTES of updates waiting for missing dependencies. */
	pendingTooLarge: 4413,
	/** More than SYNC_MAX_MESSAGES_PER_SECOND. Transient: reconnect after back-off. */
	rateLimited: 4529,
	/** No message for SYNC_IDLE_TIMEOUT_MS. Transient. */
	idle: 4508,
	/** Unsent data passed SYNC_MAX_BUFFERED_BYTES: the reader is too slow. Transient. */
	slowReader: 4503,
	/** Role lowered to read-only: reconnect, then sync read-only. Transient. */
	roleChanged: 4509
} as const;

export type CloseReason = keyof typeof CloseCode;

export function closeCodeOf(reason: CloseReason): number {
	return CloseCode[reason];
}

export function encodeSaved(stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.saved);
	encoding.writeVarUint8Array(encoder, stateVector);
	return encoding.toUint8Array(encoder);
}

export function encodeDropCache(): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.dropCache);
	return encoding.toUint8Array(encoder);
}

export function decodeSaved(decoder: decoding.Decoder): Uint8Array {
	return decoding.readVarUint8Array(decoder);
}

export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.awareness);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

export interface AwarenessEntry {
	clientId: number;
	clock: number;
	state: Record<string, unknown> | null;
}

/** Largest awareness state (JSON) one connection may publish. */
export const MAX_AWARENESS_STATE_BYTES = 4096;

/**
 * Decode an untrusted awareness update (format of y-protocols/awareness). Throws on malformed
 * input or states that are too large.
 */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	if (count > 16) throw new Error('too many awareness entries');
	const entries: AwarenessEntry[] = [];
	for (let i = 0; i < count; i++) {
		const clientId = decoding.readVarUint(decoder);
		const clock = decoding.readVarUint(decoder);
		const json = decoding.readVarString(decoder);
		if (json.length > MAX_AWARENESS_STATE_BYTES) throw new Error('awareness state too large');
		const parsed: unknown = JSON.parse(json);
		if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
			throw new Error('awareness state must be an object or null');
		}
		entries.push({ clientId, clock, state: parsed as Record<string, unknown> | null });
	}
	if (decoding.hasContent(decoder)) throw new Error('trailing bytes in awareness update');
	return entries;
}

export function encodeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.clientId);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, JSON.stringify(entry.state));
	}
	return encoding.toUint8Array(encoder);
}

/** Whether the stored state vector covers every clock in the local one. */
export function stateVectorCovers(
	stored: Map<number, number>,
	local: Map<number, number>
): boolean {
	for (const [client, clock] of local) {
		if ((stored.get(client) ?? 0) < clock) return false;
	}
	return true;
}
