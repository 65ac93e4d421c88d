// Baseline for the fan-out benchmark: a bare `ws` server with no auth, storage or
// validation. A client joins a named room with `join:<room>`; any other text frame
// `<room>|<payload>` is sent as is to every socket in that room.
// Run as a child process; prints {"port":N} once listening.
import { WebSocketServer, type WebSocket } from 'ws';

const rooms = new Map<string, Set<WebSocket>>();
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 });

server.on('connection', (socket) => {
  const joined: string[] = [];
  socket.on('message', (data) => {
    const text = data.toString();
    if (text.startsWith('join:')) {
      const room = text.slice(5);
      if (!rooms.has(room)) rooms.set(room, new Set());
      rooms.get(room)!.add(socket);
      joined.push(room);
      return;
    }
    const bar = text.indexOf('|');
    const members = rooms.get(text.slice(0, bar));
    if (!members) return;
    const payload = text.slice(bar + 1);
    for (const member of members) member.send(payload);
  });
  socket.on('close', () => {
    for (const room of joined) rooms.get(room)?.delete(socket);
  });
});

server.on('listening', () => {
  const address = server.address();
  process.stdout.write(JSON.stringify({ port: address && typeof address === 'object' ? address.port : 0 }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
