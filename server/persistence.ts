/**
 * Board storage for the sync server. The functions live in src/lib/server/board-store.ts so
 * SvelteKit routes (copying a board as a template) use the very same code.
 */
export * from '../src/lib/server/board-store';
