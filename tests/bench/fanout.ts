// Relay fan-out benchmark: the relay against a bare `ws` broadcast server, same sockets,
// same payload sizes, same load generator, same run.
//
// Each sender ("lane") keeps a window of messages in flight; a message is complete for its
// sender when the sender's own copy comes back (both servers deliver to every member,
// sender included), so both servers are driven the same way.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type SessionGrant } from '../../shared/protocol';
import { newId } from '../../shared/lib/ids';
import { startBareWsChild, startRelayChild, type Child } from './processes';

export interface FanoutOptions {
  users: number; // connected sockets, one user each
  groupSize: number;
  groupMessages: number;
  groupLanes: number;
  directMessages: number;
  window: number;
  latencySeconds: number;
}

export interface LoadResult {
  sends: number;
  deliveries: number;
  seconds: number;
  deliveriesPerSecond: number;
  sendsPerSecond: number;
  errors: number;
}

export interface LatencyResult {
  ratePerSecond: number;
  p50: number;
  p99: number;
  samples: number;
}

export interface ScenarioResult {
  load: LoadResult;
  latency: LatencyResult;
}

export interface FanoutResult {
  relay: { group: ScenarioResult; direct: ScenarioResult };
  bare: { group: ScenarioResult; direct: ScenarioResult };
}

/** One sender: how to wrap a text into the server's frame. */
interface Lane {
  socket: WebSocket;
  frame(text: string): string;
  /** Deliveries one message of this lane produces (every member's socket). */
  recipients: number;
}

const PASSWORD = 'bench-password-123';

// --- a tiny request client for the relay, kept lean so the load generator is not the bottleneck

class RelaySocket {
  private nextId = 1;
  private pending = new Map<string, (payload: { ok: boolean; value?: unknown; error?: unknown }) => void>();
  errors = 0;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = data.toString();
      if (!text.startsWith('{"id"')) return;
      const frame = JSON.parse(text) as { id: string | null; type: string; payload: { ok: boolean } };
      if (frame.type !== 'result') return;
      if (!frame.payload.ok) this.errors++;
      const done = frame.id === null ? undefined : this.pending.get(frame.id);
      if (done) {
        this.pending.delete(frame.id!);
        done(frame.payload);
      }
    });
  }

  static async open(url: string, grant: SessionGrant): Promise<RelaySocket> {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), { perMessageDeflate: false });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const client = new RelaySocket(socket);
    await client.request('hello', { protocolVersion: PROTOCOL_VERSION, token: grant.token, deviceId: grant.deviceId });
    return client;
  }

  request<T>(type: string, payload: unknown): Promise<T> {
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      this.pending.set(id, (result) =>
        result.ok ? resolve(result.value as T) : reject(new Error(`${type}: ${JSON.stringify(result.error)}`)),
      );
      this.socket.send(JSON.stringify({ id, type, payload }));
    });
  }

  sendFrame(id: string, conversationId: string, text: string): string {
    return JSON.stringify({ id: String(this.nextId++), type: 'msg.send', payload: { id, conversationId, text } });
  }
}

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function inBatches<T, R>(items: T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

// --- measuring

/** Counts deliveries on every socket and notices each lane's own copies coming back. */
class Meter {
  deliveries = 0;
  latencies: number[] | null = null;
  private echo = new Map<WebSocket, () => void>();
  private waiters: Array<{ target: number; resolve: () => void }> = [];

  watch(sockets: WebSocket[]) {
    for (const socket of sockets) {
      socket.on('message', (data) => {
        const text = data.toString();
        // Only deliveries count: the relay's result frame for a send also carries the text.
        if (!text.startsWith('{"type":"msg.new"')) return;
        const at = text.indexOf('"text":"b');
        if (at < 0) return;
        this.deliveries++;
        const end = text.indexOf('"', at + 9);
        const [lane, sentAt] = text.slice(at + 9, end).split(':');
        if (this.latencies) this.latencies.push(performance.now() - Number(sentAt));
        if (Number(lane) === laneIds.get(socket)) this.echo.get(socket)?.();
        if (this.waiters.length) this.settle();
      });
    }
  }

  onEcho(socket: WebSocket, fn: () => void) {
    this.echo.set(socket, fn);
  }

  until(target: number, stallMs = 5000): Promise<boolean> {
    return new Promise((resolve) => {
      let last = this.deliveries;
      const timer = setInterval(() => {
        if (this.deliveries === last) {
          clearInterval(timer);
          resolve(false);
        }
        last = this.deliveries;
      }, stallMs);
      this.waiters.push({
        target,
        resolve: () => {
          clearInterval(timer);
          resolve(true);
        },
      });
      this.settle();
    });
  }

  private settle() {
    this.waiters = this.waiters.filter((w) => {
      if (this.deliveries < w.target) return true;
      w.resolve();
      return false;
    });
  }
}

const laneIds = new Map<WebSocket, number>();

async function saturate(meter: Meter, lanes: Lane[], messages: number, window: number): Promise<LoadResult> {
  lanes.forEach((lane, i) => laneIds.set(lane.socket, i));
  const perLane = lanes.map((_, i) => Math.floor(messages / lanes.length) + (i < messages % lanes.length ? 1 : 0));
  const expected = lanes.reduce((sum, lane, i) => sum + perLane[i]! * lane.recipients, 0);
  const start = meter.deliveries;
  const t0 = performance.now();
  lanes.forEach((lane, i) => {
    let sent = 0;
    const sendOne = () => {
      if (sent >= perLane[i]!) return;
      sent++;
      lane.socket.send(lane.frame(`b${i}:${performance.now().toFixed(3)}`));
    };
    meter.onEcho(lane.socket, sendOne);
    for (let k = 0; k < window; k++) sendOne();
  });
  await meter.until(start + expected);
  const seconds = (performance.now() - t0) / 1000;
  const deliveries = meter.deliveries - start;
  return {
    sends: messages,
    deliveries,
    seconds,
    deliveriesPerSecond: deliveries / seconds,
    sendsPerSecond: messages / seconds,
    errors: expected - deliveries,
  };
}

async function paced(meter: Meter, lanes: Lane[], ratePerSecond: number, seconds: number): Promise<LatencyResult> {
  lanes.forEach((lane, i) => {
    laneIds.set(lane.socket, i);
    meter.onEcho(lane.socket, () => {});
  });
  meter.latencies = [];
  const t0 = performance.now();
  let sent = 0;
  let expected = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = (performance.now() - t0) / 1000;
      const due = Math.min(Math.floor(elapsed * ratePerSecond), Math.floor(seconds * ratePerSecond));
      for (; sent < due; sent++) {
        const i = sent % lanes.length;
        const lane = lanes[i]!;
        expected += lane.recipients;
        lane.socket.send(lane.frame(`b${i}:${performance.now().toFixed(3)}`));
      }
      if (elapsed >= seconds) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  const base = meter.deliveries - meter.latencies.length;
  await meter.until(base + expected);
  const samples = meter.latencies.sort((a, b) => a - b);
  meter.latencies = null;
  const pick = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN;
  return { ratePerSecond, p50: pick(0.5), p99: pick(0.99), samples: samples.length };
}

async function scenario(meter: Meter, lanes: Lane[], messages: number, window: number, latencySeconds: number) {
  // A short warm-up so both servers are measured with hot code paths.
  await saturate(meter, lanes, Math.min(messages / 10, 200), window);
  const load = await saturate(meter, lanes, messages, window);
  const latency = await paced(meter, lanes, load.sendsPerSecond / 2, latencySeconds);
  return { load, latency };
}

// --- the two servers

async function benchRelay(options: FanoutOptions, log: (line: string) => void) {
  const relay = await startRelayChild({ QIXIN_BENCH: '1' });
  try {
    const admin = await postJson<SessionGrant>(`${relay.url}/api/setup`, {
      enterpriseName: '基准测试有限公司',
      adminName: '管理员',
      account: 'admin',
      password: PASSWORD,
      deviceName: 'bench',
    });
    const adminSockets = await Promise.all(Array.from({ length: 4 }, () => RelaySocket.open(relay.url, admin)));
    log(`relay: creating ${options.users - 1} members`);
    const accounts = Array.from({ length: options.users - 1 }, (_, i) => `user${i + 1}`);
    await inBatches(accounts, 4, (account, i) =>
      adminSockets[i % 4]!.request('admin.addMember', { name: `成员${i + 1}`, account, password: PASSWORD }),
    );
    log('relay: signing in and connecting');
    const grants = [
      admin,
      ...(await inBatches(accounts, 8, (login) =>
        postJson<SessionGrant>(`${relay.url}/api/sessions`, { login, password: PASSWORD, deviceName: 'bench' }),
      )),
    ];
    const clients = await inBatches(grants, 32, (grant) => RelaySocket.open(relay.url, grant));
    for (const s of adminSockets) s.socket.close();

    const group = await clients[0]!.request<{ conversation: { id: string } }>('conv.create', {
      type: 'group',
      name: '全员群',
      memberIds: grants.slice(1, options.groupSize).map((g) => g.user.id),
    });
    const directs = await inBatches(
      Array.from({ length: options.users / 2 }, (_, i) => i),
      16,
      (i) =>
        clients[2 * i]!.request<{ conversation: { id: string } }>('conv.create', {
          type: 'direct',
          memberIds: [grants[2 * i + 1]!.user.id],
        }),
    );

    const meter = new Meter();
    meter.watch(clients.map((c) => c.socket));
    const lane = (client: RelaySocket, conversationId: string, recipients: number): Lane => ({
      socket: client.socket,
      recipients,
      frame: (text) => client.sendFrame(newId(), conversationId, text),
    });
    log('relay: group fan-out');
    const groupLanes = clients
      .slice(0, options.groupLanes)
      .map((c) => lane(c, group.conversation.id, options.groupSize));
    const groupResult = await scenario(
      meter,
      groupLanes,
      options.groupMessages,
      options.window,
      options.latencySeconds,
    );
    log('relay: 1:1 traffic');
    const directLanes = clients.map((c, i) => lane(c, directs[Math.floor(i / 2)]!.conversation.id, 2));
    const directResult = await scenario(meter, directLanes, options.directMessages, 2, options.latencySeconds);
    const errors = clients.reduce((sum, c) => sum + c.errors, 0);
    if (errors) log(`relay: ${errors} error results`);
    for (const c of clients) c.socket.close();
    return { group: groupResult, direct: directResult };
  } finally {
    await relay.stop();
  }
}

/** The same shapes of frame the relay sends, so both servers move the same bytes. */
function deliveryFrame(conversationId: string, senderId: string, seq: number, text: string): string {
  return JSON.stringify({
    type: 'msg.new',
    payload: {
      message: { id: newId(), conversationId, seq, senderId, kind: 'text', text, system: null, createdAt: Date.now() },
    },
  });
}

async function benchBare(options: FanoutOptions, log: (line: string) => void) {
  const bare: Child = await startBareWsChild();
  try {
    const url = bare.url.replace(/^http/, 'ws');
    const sockets = await inBatches(
      Array.from({ length: options.users }, () => 0),
      32,
      async () => {
        const socket = new WebSocket(url, { perMessageDeflate: false });
        await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
        return socket;
      },
    );
    const groupId = newId();
    sockets.slice(0, options.groupSize).forEach((s) => s.send(`join:${groupId}`));
    const directIds = Array.from({ length: options.users / 2 }, () => newId());
    sockets.forEach((s, i) => s.send(`join:${directIds[Math.floor(i / 2)]}`));
    await new Promise((r) => setTimeout(r, 300));

    const meter = new Meter();
    meter.watch(sockets);
    let seq = 0;
    const userIds = sockets.map(() => newId());
    const lane = (socket: WebSocket, room: string, recipients: number, senderId: string): Lane => ({
      socket,
      recipients,
      frame: (text) => `${room}|${deliveryFrame(room, senderId, ++seq, text)}`,
    });
    log('bare ws: group fan-out');
    const groupLanes = sockets
      .slice(0, options.groupLanes)
      .map((s, i) => lane(s, groupId, options.groupSize, userIds[i]!));
    const group = await scenario(meter, groupLanes, options.groupMessages, options.window, options.latencySeconds);
    log('bare ws: 1:1 traffic');
    const directLanes = sockets.map((s, i) => lane(s, directIds[Math.floor(i / 2)]!, 2, userIds[i]!));
    const direct = await scenario(meter, directLanes, options.directMessages, 2, options.latencySeconds);
    for (const s of sockets) s.close();
    return { group, direct };
  } finally {
    await bare.stop();
  }
}

export async function benchFanout(options: FanoutOptions, log: (line: string) => void): Promise<FanoutResult> {
  const bare = await benchBare(options, log);
  const relay = await benchRelay(options, log);
  return { relay, bare };
}
