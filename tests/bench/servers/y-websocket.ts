/**
 * The reference y-websocket server (@y/websocket-server 0.1.1, the last release on Yjs 13) as
 * its own bin runs it: one in-memory Y.Doc per URL path, no persistence configured.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { docs, setupWSConnection } from '@y/websocket-server/utils';
import { serve } from './control';

const server = http.createServer();
const wss = new WebSocketServer({ server });
wss.on('connection', (ws, req) => setupWSConnection(ws, req));
server.listen(0, '127.0.0.1', () => {
	const { port } = server.address() as AddressInfo;
	serve(
		{ url: `ws://127.0.0.1:${port}`, framing: 'yws', syncs: true, actor: 'bench' },
		{ loaded: async () => docs.size }
	);
});
