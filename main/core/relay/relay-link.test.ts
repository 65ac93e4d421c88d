import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { newId } from '../../../shared/lib/ids';
import { backoffDelay, RelayLink, type LinkStatus } from './relay-link';
import { testUser } from '../../../shared/protocol/user.test-fixture';

// A stand-in server speaking just enough of the protocol (hello, one request): the point is
// RelayLink's own behaviour on a real socket — dead-socket detection, reconnects, timeouts.
const user = testUser(newId(), 'A', { departmentIds: [newId()], createdAt: 1 });
let wss: WebSocketServer | null = null;
let link: RelayLink | null = null;

afterEach(async () => {
  await link?.stop();
  link = null;
  const server = wss;
  wss = null;
  if (!server) return;
  for (const c of server.clients) c.terminate();
  await new Promise((resolve) => server.close(resolve));
});

async function server(onSocket: (ws: WebSocket, n: number) => void): Promise<string> {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss!.once('listening', resolve));
  let n = 0;
  wss.on('connection', (ws) => {
    const index = ++n;
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { id: string; type: string };
      if (frame.type === 'hello') {
        ws.send(
          JSON.stringify({
            id: frame.id,
            type: 'result',
            payload: { ok: true, value: { user, deviceId: newId(), serverTime: 1 } },
          }),
        );
      }
    });
    onSocket(ws, index);
  });
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

describe('RelayLink', () => {
  it('keeps backoff delays growing, jittered and capped', () => {
    const b = { baseMs: 500, capMs: 30_000 };
    for (let i = 0; i < 50; i++) {
      expect(backoffDelay(0, b)).toBeGreaterThanOrEqual(250);
      expect(backoffDelay(0, b)).toBeLessThanOrEqual(500);
      expect(backoffDelay(3, b)).toBeGreaterThanOrEqual(2000);
      expect(backoffDelay(30, b)).toBeLessThanOrEqual(30_000);
    }
  });

  it('notices a socket that went silent, goes offline with a retry time, and reconnects', async () => {
    const url = await server((ws, n) => {
      // The first connection freezes after hello: no more frames, no pongs.
      if (n === 1) setTimeout(() => (ws as unknown as { _socket: { pause(): void } })._socket.pause(), 50);
    });
    const states: LinkStatus[] = [];
    link = new RelayLink({
      url,
      credentials: () => ({ token: 't', deviceId: newId() }),
      heartbeatMs: 100,
      backoff: { baseMs: 20, capMs: 50 },
    });
    link.onState((s) => states.push(s));
    const generations: number[] = [];
    link.onOnline((_h, g) => generations.push(g));
    link.start();
    await expect.poll(() => generations, { timeout: 3000 }).toEqual([1, 2]);
    const offline = states.find((s) => s.state === 'offline');
    expect(offline?.retryAt).toBeGreaterThan(0);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'online', 'offline', 'connecting', 'online']);
  });

  it('fails a request that gets no answer, and refuses requests while offline', async () => {
    const url = await server(() => undefined);
    link = new RelayLink({ url, credentials: () => ({ token: 't', deviceId: newId() }), requestTimeoutMs: 100 });
    await expect(link.request('sync.heads', {})).rejects.toMatchObject({ code: 'unavailable' });
    link.start();
    await link.whenOnline();
    await expect(link.request('sync.heads', {})).rejects.toThrow(/no answer/);
  });
});
