/**
 * `npm run dev`: boots the same runtime as production and attaches the same /sync upgrade
 * handler to Vite's HTTP server, so the dev server has the endpoint too. The server code is
 * loaded through Vite (ssrLoadModule) so it shares the app's module graph and TypeScript.
 */
import type { Plugin } from 'vite';

export function groeibordDevServer(): Plugin {
	return {
		name: 'groeibord-dev-server',
		apply: 'serve',
		async configureServer(server) {
			// Vitest also starts a Vite server; tests boot their own runtime.
			if (process.env.VITEST || !server.httpServer) return;
			const httpServer = server.httpServer;
			const dev = (await server.ssrLoadModule('/server/dev.ts')) as typeof import('./dev');
			const { sync, close } = await dev.startDevRuntime();
			httpServer.on('upgrade', (req, socket, head) => {
				// Leave Vite's own HMR socket alone.
				if (sync.handles(req)) sync.handleUpgrade(req, socket, head);
			});
			httpServer.once('close', () => void close());
		}
	};
}
