/** The dev-server half of vite-plugin.ts: same boot and /sync handler as production. */
import { bootRuntime } from './boot';
import { createSyncUpgradeHandler } from './sync';

export async function startDevRuntime() {
	const runtime = await bootRuntime();
	const sync = createSyncUpgradeHandler(runtime);
	return {
		sync,
		close: async () => {
			await sync.close();
			for (const close of runtime.closers) await close();
			await runtime.database.close();
		}
	};
}
