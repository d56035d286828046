/**
 * Dragging a card with touch, pen or mouse. A press on a card becomes a drag only once the
 * pointer has travelled a little, so a tap still opens the card's sheet; the sheet moves a card
 * without dragging (WCAG 2.5.7). On touch the cards allow vertical panning, so a swipe up or
 * down scrolls the column and a sideways pull picks the card up.
 */
import type { DragPosition } from '$lib/sync/board-session.svelte';
import type { Placement } from './live-board.svelte';

/** Far enough that a shaky tap on a wall stays a tap. */
const DRAG_THRESHOLD_PX = 12;

/** The column and neighbour under a point, read from the DOM (`data-area`, `data-card-id`). */
export function dropTarget(x: number, y: number, id: string): Placement | null {
	const under = document.elementFromPoint(x, y);
	const area = under?.closest<HTMLElement>('[data-area]')?.dataset.area;
	if (!area) return null;
	const cardEl = under?.closest<HTMLElement>('[data-card-id]');
	const overId = cardEl?.dataset.cardId;
	if (!cardEl || !overId) return { area: area as Placement['area'] };
	if (overId === id) return null;
	const rect = cardEl.getBoundingClientRect();
	return y > rect.top + rect.height / 2
		? { area: area as Placement['area'], afterId: overId }
		: { area: area as Placement['area'], beforeId: overId };
}

export class CardDrag {
	dragging = $state<DragPosition | null>(null);

	#press: (DragPosition & { pointerId: number }) | null = null;
	#justDropped = false;
	#publish: (position: DragPosition | null) => void;
	#drop: (id: string, to: Placement) => void;

	/** `publish` shows the live position to the others; `drop` places the card. */
	constructor(
		publish: (position: DragPosition | null) => void,
		drop: (id: string, to: Placement) => void
	) {
		this.#publish = publish;
		this.#drop = drop;
	}

	press(event: PointerEvent, id: string) {
		if (event.button !== 0) return;
		this.#press = { id, x: event.clientX, y: event.clientY, pointerId: event.pointerId };
	}

	move(event: PointerEvent) {
		const press = this.#press;
		if (!press || press.pointerId !== event.pointerId) return;
		if (!this.dragging) {
			const distance = Math.hypot(event.clientX - press.x, event.clientY - press.y);
			if (distance < DRAG_THRESHOLD_PX) return;
		}
		this.dragging = { id: press.id, x: event.clientX, y: event.clientY };
		this.#publish(this.dragging);
	}

	release(event: PointerEvent) {
		const dragging = this.dragging;
		this.#press = null;
		if (!dragging) return;
		this.dragging = null;
		this.#publish(null);
		// The click that follows a drop is not a tap on the card.
		this.#justDropped = true;
		setTimeout(() => (this.#justDropped = false), 0);
		const to = dropTarget(event.clientX, event.clientY, dragging.id);
		if (to) this.#drop(dragging.id, to);
	}

	/** The browser took the gesture over (a scroll): nothing moves. */
	cancel() {
		this.#press = null;
		if (this.dragging) this.#publish(null);
		this.dragging = null;
	}

	/** True once for the click that ends a drag. */
	consumeClick(): boolean {
		const dropped = this.#justDropped;
		this.#justDropped = false;
		return dropped;
	}
}
