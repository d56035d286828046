import type { Actor } from '$lib/server/auth/actor';

declare global {
	namespace App {
		interface Locals {
			/** Who is asking: a staff user, a paired wall or a guest; null when nobody. */
			actor: Actor | null;
		}
		interface Error {
			message: string;
		}
		interface PageData {
			locale?: 'nl' | 'en';
		}
	}
}

export {};
