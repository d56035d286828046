/**
 * Access changed somewhere (a member removed, an invite or wall pairing revoked, a user
 * deactivated, a session ended). The sync server listens and re-checks the open board
 * connections it holds, closing those that lost access; with Redis the event also reaches the
 * other instances. Kept tiny so routes never need to know about sockets.
 */
import { getRuntime, hasRuntime } from './runtime';

export type AccessChange =
	| { kind: 'session'; sessionId: string }
	| { kind: 'user'; userId: string }
	| { kind: 'invite'; inviteId: string; boardId: string }
	| { kind: 'pairing'; pairingId: string }
	| { kind: 'board'; boardId: string };

export type AccessListener = (change: AccessChange) => void;

export function onAccessChanged(listener: AccessListener): () => void {
	const listeners = accessListeners();
	listeners.add(listener);
	return () => listeners.delete(listener);
}

export function accessChanged(change: AccessChange): void {
	if (!hasRuntime()) return;
	for (const listener of accessListeners()) {
		try {
			listener(change);
		} catch (error) {
			console.error('access listener failed', error);
		}
	}
}

function accessListeners(): Set<AccessListener> {
	const services = getRuntime().services;
	services.accessListeners ??= new Set<AccessListener>();
	return services.accessListeners as Set<AccessListener>;
}
