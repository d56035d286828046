/**
 * The floor: a raw `ws` relay that forwards every frame to the other sockets of the same room
 * (the URL path) and understands nothing. No server can deliver faster than this.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { serve } from './control';

const rooms = new Map<string, Set<WebSocket>>();
const server = http.createServer();
const wss = new WebSocketServer({ server });
wss.on('connection', (ws, req) => {
	const name = (req.url ?? '/').split('?')[0]!;
	const room = rooms.get(name) ?? new Set<WebSocket>();
	rooms.set(name, room);
	room.add(ws);
	ws.on('message', (data, isBinary) => {
		for (const other of room) if (other !== ws) other.send(data, { binary: isBinary });
	});
	ws.on('close', () => {
		room.delete(ws);
		if (room.size === 0) rooms.delete(name);
	});
});
server.listen(0, '127.0.0.1', () => {
	const { port } = server.address() as AddressInfo;
	serve({ url: `ws://127.0.0.1:${port}`, framing: 'yws', syncs: false, actor: 'bench' });
});
