import type { Attachment } from 'svelte/attachments';

/**
 * Caps an element's height at what is left of the viewport below its top, so a full column on
 * a wall scrolls inside itself and the page never does. Re-measured when the window or what
 * sits above it changes size (the session panel opening, the intro being closed).
 */
export function fitToViewport(margin = 16, least = 320): Attachment<HTMLElement> {
	return (element) => {
		const fit = () => {
			const top = element.getBoundingClientRect().top + window.scrollY;
			const room = Math.max(least, window.innerHeight - top - margin);
			element.style.setProperty('--fit-height', `${room}px`);
		};
		fit();
		const observer = new ResizeObserver(fit);
		observer.observe(document.body);
		window.addEventListener('resize', fit);
		return () => {
			observer.disconnect();
			window.removeEventListener('resize', fit);
		};
	};
}
