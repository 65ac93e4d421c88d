import type { Server as HttpServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { MAX_FRAME_BYTES } from '../../shared/protocol';
import type { Bus, BusMessage } from '../bus/bus';
import type { Domain } from '../domain';
import { createLogger } from '../log';
import { CloseCode, Connection, type ConnectionOptions } from './connection';
import { TokenBucket } from './token-bucket';

const log = createLogger('relay.gateway');

/** A user's sockets together (laptop, phone, a second window) may send this many times one socket's rate. */
const USER_RATE_FACTOR = 2;

export interface GatewayOptions extends ConnectionOptions {
  heartbeatMs: number;
}

/**
 * The WebSocket side of the relay: accepts sockets, keeps userId/deviceId → sockets
 * of this node, delivers bus messages to them and drops sockets that stop answering pings.
 */
export class Gateway {
  private readonly wss: WebSocketServer;
  private readonly all = new Set<Connection>();
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly byDevice = new Map<string, Set<Connection>>();
  private readonly userBuckets = new Map<string, TokenBucket>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    server: HttpServer,
    private readonly domain: Domain,
    bus: Bus,
    private readonly options: GatewayOptions,
  ) {
    this.wss = new WebSocketServer({ server, maxPayload: MAX_FRAME_BYTES });
    this.wss.on('connection', (socket) => this.accept(socket));
    this.wss.on('error', (err) => log.error({ err }, 'websocket server error'));
    bus.onMessage((message) => this.deliver(message));
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
    this.heartbeat.unref();
  }

  get connectionCount(): number {
    return this.all.size;
  }

  private accept(socket: ConstructorParameters<typeof Connection>[0]): void {
    const connection = new Connection(
      socket,
      this.domain,
      {
        authenticated: (c) => {
          const userId = c.session!.userId;
          add(this.byUser, userId, c);
          add(this.byDevice, c.session!.deviceId, c);
          let bucket = this.userBuckets.get(userId);
          if (!bucket) {
            const { burst, perSecond } = this.options.rateLimit;
            bucket = new TokenBucket(burst * USER_RATE_FACTOR, perSecond * USER_RATE_FACTOR);
            this.userBuckets.set(userId, bucket);
          }
          return bucket;
        },
        closed: (c) => {
          this.all.delete(c);
          if (c.session) {
            remove(this.byUser, c.session.userId, c);
            if (!this.byUser.has(c.session.userId)) this.userBuckets.delete(c.session.userId);
            remove(this.byDevice, c.session.deviceId, c);
          }
        },
      },
      this.options,
      log,
    );
    this.all.add(connection);
  }

  private deliver(message: BusMessage): void {
    if (message.kind === 'kick') {
      for (const deviceId of message.deviceIds) {
        for (const c of this.byDevice.get(deviceId) ?? []) c.kick(message.reason);
      }
      return;
    }
    if (message.kind === 'deliverEach') {
      for (const { userId, head, tail } of message.frames) {
        const sockets = this.byUser.get(userId);
        if (!sockets) continue;
        const data = Buffer.from(head + message.shared + tail);
        for (const c of sockets) c.send(data);
      }
      return;
    }
    // Encoded once: every socket gets the same bytes (ws would re-encode a string per socket).
    const data = Buffer.from(message.frame);
    if (message.userIds === 'everyone') {
      for (const c of this.all) if (c.session) c.send(data);
      return;
    }
    for (const userId of message.userIds) {
      const sockets = this.byUser.get(userId);
      if (sockets) for (const c of sockets) c.send(data);
    }
  }

  private beat(): void {
    const now = Date.now();
    for (const c of this.all) {
      if (!c.alive) {
        c.socket.terminate();
        continue;
      }
      if (!c.session && now - c.openedAt >= this.options.heartbeatMs) {
        c.close(CloseCode.unauthenticated, 'no hello in time');
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const c of this.all) c.close(1001, 'relay shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    // Sockets that do not finish the closing handshake promptly are cut.
    if (this.all.size > 0) await new Promise((r) => setTimeout(r, 50));
    for (const c of this.all) c.socket.terminate();
  }
}

function add<K>(map: Map<K, Set<Connection>>, key: K, c: Connection) {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(c);
}

function remove<K>(map: Map<K, Set<Connection>>, key: K, c: Connection) {
  const set = map.get(key);
  if (!set) return;
  set.delete(c);
  if (set.size === 0) map.delete(key);
}
