/**
 * Erase one card from a board *and its history* (AVG art. 17): the server does it
 * (`POST /boards/<id>/erase`, privacy/erase.ts), because a browser cannot reach the stored update
 * log. The card then leaves every open copy of the board through the live room, this one too.
 */
export async function eraseCardForGood(boardId: string, cardId: string): Promise<boolean> {
	try {
		const response = await fetch(`/boards/${encodeURIComponent(boardId)}/erase`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ kind: 'card', cardId })
		});
		return response.ok;
	} catch {
		// Offline: nothing was erased, and the caller says so.
		return false;
	}
}
