/**
 * A TCP proxy a test can cut and restore, to take Redis away from one app instance without
 * touching the Redis server other test runs share.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
	port: number;
	/** Drop every connection and refuse new ones until `restore()`. */
	cut(): void;
	restore(): void;
	close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
	const sockets = new Set<net.Socket>();
	let open = true;
	const server = net.createServer((client) => {
		if (!open) return client.destroy();
		const upstream = net.connect(target.port, target.host);
		const end = () => {
			client.destroy();
			upstream.destroy();
			sockets.delete(client);
			sockets.delete(upstream);
		};
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('error', end);
			socket.on('close', end);
		}
		client.pipe(upstream).pipe(client);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		cut() {
			open = false;
			for (const socket of sockets) socket.destroy();
		},
		restore() {
			open = true;
		},
		close() {
			open = false;
			for (const socket of sockets) socket.destroy();
			return new Promise((resolve) => server.close(() => resolve()));
		}
	};
}
