/**
 * Keeps a conversation's participant list live: whenever someone connects to a zorgoverleg or a
 * driehoeksgesprek (or
 * its family part), the server rewrites the list in the board's document from its database
 * (src/lib/server/zorgoverleg.ts `refreshMeetingParticipants`), and every open device shows the
 * newcomer without a reload. Refreshes of one board run one after another, so an older read of
 * the database never overwrites a newer one.
 */
import { personalBoardKinds } from '../src/lib/board/kinds';
import { refreshMeetingParticipants } from '../src/lib/server/zorgoverleg';
import type { Board } from '../src/lib/server/db/schema';
import type { Runtime } from '../src/lib/server/runtime';
import { log } from './log';

export function createParticipantRefresher(runtime: Runtime) {
	const queues = new Map<string, Promise<void>>();
	return function refresh(b: Board): Promise<void> {
		if (!personalBoardKinds.includes(b.kind)) return Promise.resolve();
		const previous = queues.get(b.id) ?? Promise.resolve();
		const next = previous
			.then(() => refreshMeetingParticipants(b, runtime))
			.catch((error: unknown) => {
				// The list is a convenience on top of the page's own: a failure only delays it.
				log.warn(`participants of board ${b.id} not refreshed: ${String(error)}`);
			});
		queues.set(b.id, next);
		void next.then(() => {
			if (queues.get(b.id) === next) queues.delete(b.id);
		});
		return next;
	};
}
