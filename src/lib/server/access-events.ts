/**
 * Access changed somewhere (a member removed, an invite or wall pairing revoked, a user
 * deactivated, a session ended). The sync server listens and re-checks the open board
 * connections it holds, closing those that lost access; with Redis the event also reaches the
 * other instances. Kept tiny so routes never need to know about sockets.
 */
import { getRuntime, hasRuntime, type Runtime } from './runtime';

export type AccessChange =
	| { kind: 'session'; sessionId: string }
	| { kind: 'user'; userId: string }
	| { kind: 'invite'; inviteId: string; boardId: string }
	| { kind: 'pairing'; pairingId: string }
	| { kind: 'board'; boardId: string };

/** `remote`: the change happened on another instance (server/access-relay.ts). */
export type AccessListener = (change: AccessChange, remote: boolean) => void;

export function onAccessChanged(
	listener: AccessListener,
	runtime: Runtime = getRuntime()
): () => void {
	const listeners = accessListeners(runtime);
	listeners.add(listener);
	return () => listeners.delete(listener);
}

export function accessChanged(change: AccessChange): void {
	if (!hasRuntime()) return;
	notifyAccessListeners(getRuntime(), change, false);
}

export function notifyAccessListeners(runtime: Runtime, change: AccessChange, remote: boolean) {
	for (const listener of accessListeners(runtime)) {
		try {
			listener(change, remote);
		} catch (error) {
			console.error('access listener failed', error);
		}
	}
}

function accessListeners(runtime: Runtime): Set<AccessListener> {
	const services = runtime.services;
	services.accessListeners ??= new Set<AccessListener>();
	return services.accessListeners as Set<AccessListener>;
}
