// RelayLink: the one WebSocket from this device to the relay. Says hello first, matches
// results to requests by id, notices a dead socket, and reconnects with backoff + jitter.
import WebSocket from 'ws';
import {
  ErrorBody,
  HEARTBEAT_MS,
  PROTOCOL_VERSION,
  QixinError,
  events,
  isEventType,
  parseFrame,
  requests,
  type ErrorCode,
  type EventPayload,
  type EventType,
  type RequestParams,
  type RequestResult,
  type RequestType,
} from '../../../shared/protocol';
import type { ConnectionState } from '../../../shared/contract';
import { createLogger } from '../log';

const log = createLogger('core.relay');

export type LinkStatus = { state: ConnectionState; retryAt: number | null };
export type Credentials = { token: string; deviceId: string };
export type HelloResult = RequestResult<'hello'>;

export type Backoff = { baseMs: number; capMs: number };
export type RelayLinkOptions = {
  /** ws:// URL of the relay's socket endpoint. */
  url: string;
  credentials: () => Credentials | null;
  heartbeatMs?: number;
  requestTimeoutMs?: number;
  backoff?: Backoff;
  /** Requests per second this side allows itself, below the relay's per-connection limit. */
  ratePerSecond?: number;
};

type Pending = {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
  type: RequestType;
};

export type RelayEvent = { [T in EventType]: { type: T; payload: EventPayload<T> } }[EventType];

/** Exponential backoff with full jitter on the upper half: base·2^n capped, times 0.5–1. */
export function backoffDelay(attempt: number, backoff: Backoff): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export class RelayLink {
  private ws: WebSocket | null = null;
  private status: LinkStatus = { state: 'offline', retryAt: null };
  private running = false;
  private attempt = 0;
  private nextId = 1;
  private pending = new Map<string, Pending>();
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private lastTraffic = 0;
  private generationNo = 0;
  // FIFO token bucket: frames leave in the order they were requested, never faster than the rate.
  private queue: Array<() => void> = [];
  private tokens: number;
  private tokensAt = Date.now();
  private drainTimer: NodeJS.Timeout | null = null;

  private readonly stateListeners = new Set<(s: LinkStatus) => void>();
  private readonly eventListeners = new Set<(e: RelayEvent) => void>();
  private readonly onlineListeners = new Set<(hello: HelloResult, generation: number) => void>();
  private readonly rejectedListeners = new Set<(code: ErrorCode, message: string) => void>();

  private readonly heartbeatMs: number;
  private readonly requestTimeoutMs: number;
  private readonly backoff: Backoff;
  private readonly rate: number;

  constructor(private readonly options: RelayLinkOptions) {
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.backoff = options.backoff ?? { baseMs: 500, capMs: 30_000 };
    this.rate = options.ratePerSecond ?? 200;
    this.tokens = this.rate;
  }

  get state(): LinkStatus {
    return this.status;
  }

  get online(): boolean {
    return this.status.state === 'online';
  }

  /** Increments on every successful hello; work tied to one connection checks it. */
  get generation(): number {
    return this.generationNo;
  }

  onState(fn: (s: LinkStatus) => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }
  onEvent(fn: (e: RelayEvent) => void): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }
  onOnline(fn: (hello: HelloResult, generation: number) => void): () => void {
    this.onlineListeners.add(fn);
    return () => this.onlineListeners.delete(fn);
  }
  /** The relay refused our credentials (revoked token): reconnecting would not help. */
  onRejected(fn: (code: ErrorCode, message: string) => void): () => void {
    this.rejectedListeners.add(fn);
    return () => this.rejectedListeners.delete(fn);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.connect();
  }

  /** Closes the socket and stops reconnecting. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      ws.close(1000, 'client stopping');
      const timer = setTimeout(() => ws.terminate(), 1000);
      await closed;
      clearTimeout(timer);
    }
    this.teardown('stopped');
    this.setStatus({ state: 'offline', retryAt: null });
  }

  /** Drops the current socket at once; the link reconnects (used when the socket seems stuck). */
  drop(reason: string): void {
    if (this.ws) {
      log.warn({ reason }, 'dropping relay socket');
      this.ws.terminate();
    }
  }

  /**
   * Resolves once online. While a connection attempt is under way it waits (up to `timeoutMs`);
   * when offline it rejects at once, so callers fail fast instead of hanging.
   */
  whenOnline(timeoutMs = 5_000): Promise<void> {
    if (this.online) return Promise.resolve();
    if (this.status.state !== 'connecting') {
      return Promise.reject(new QixinError('unavailable', 'the relay is not reachable'));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new QixinError('unavailable', 'the relay is not reachable')), timeoutMs);
      const off = this.onState((s) => {
        if (s.state === 'online') done();
        else if (s.state === 'offline') done(new QixinError('unavailable', 'the relay is not reachable'));
      });
      function done(err?: Error) {
        clearTimeout(timer);
        off();
        if (err) reject(err);
        else resolve();
      }
    });
  }

  /** Sends a request and resolves with its validated result; rejects with QixinError. */
  request<T extends RequestType>(
    type: T,
    params: RequestParams<T>,
    opts: { timeoutMs?: number } = {},
  ): Promise<RequestResult<T>> {
    if (!this.online) return Promise.reject(new QixinError('unavailable', 'the relay is not reachable'));
    return this.send(type, params, opts.timeoutMs) as Promise<RequestResult<T>>;
  }

  private send(type: RequestType, params: unknown, timeoutMs = this.requestTimeoutMs): Promise<unknown> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new QixinError('unavailable', 'the relay is not reachable'));
    }
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new QixinError('unavailable', `${type}: no answer from the relay within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, type });
      const frame = JSON.stringify({ id, type, payload: params });
      // hello goes straight out: the bucket only paces authenticated traffic.
      if (type === 'hello') ws.send(frame);
      else this.enqueue(() => (this.ws === ws && ws.readyState === WebSocket.OPEN ? ws.send(frame) : undefined));
    });
  }

  private enqueue(sendFrame: () => void): void {
    this.queue.push(sendFrame);
    this.drain();
  }

  private drain(): void {
    if (this.drainTimer) return;
    const now = Date.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.tokensAt) * this.rate) / 1000);
    this.tokensAt = now;
    while (this.queue.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.queue.shift()!();
    }
    if (this.queue.length > 0) {
      this.drainTimer = setTimeout(
        () => {
          this.drainTimer = null;
          this.drain();
        },
        Math.ceil(1000 / this.rate),
      );
    }
  }

  private setStatus(next: LinkStatus): void {
    if (next.state === this.status.state && next.retryAt === this.status.retryAt) return;
    this.status = next;
    for (const fn of this.stateListeners) fn(next);
  }

  private connect(): void {
    const credentials = this.options.credentials();
    if (!credentials) {
      this.running = false;
      this.setStatus({ state: 'offline', retryAt: null });
      return;
    }
    this.setStatus({ state: 'connecting', retryAt: null });
    const ws = new WebSocket(this.options.url, { handshakeTimeout: 10_000, maxPayload: 8 * 1024 * 1024 });
    this.ws = ws;
    this.lastTraffic = Date.now();
    const touch = () => (this.lastTraffic = Date.now());
    ws.on('open', () => {
      touch();
      this.startHeartbeat(ws);
      this.send('hello', { protocolVersion: PROTOCOL_VERSION, ...credentials }).then(
        (value) => {
          if (this.ws !== ws) return;
          const hello = requests.hello.result.parse(value);
          this.attempt = 0;
          this.generationNo += 1;
          this.setStatus({ state: 'online', retryAt: null });
          log.info({ userId: hello.user.id }, 'relay online');
          for (const fn of this.onlineListeners) fn(hello, this.generationNo);
        },
        (err: unknown) => {
          if (this.ws !== ws) return;
          if (err instanceof QixinError && (err.code === 'unauthenticated' || err.code === 'protocol_version')) {
            log.warn({ code: err.code }, 'relay refused this session');
            this.running = false;
            for (const fn of this.rejectedListeners) fn(err.code, err.message);
          }
          ws.terminate();
        },
      );
    });
    ws.on('message', (data) => {
      touch();
      this.handleFrame(String(data));
    });
    ws.on('ping', touch);
    ws.on('pong', touch);
    ws.on('error', (err) => log.debug({ err: err.message }, 'relay socket error'));
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      log.debug({ code }, 'relay socket closed');
      this.teardown('connection closed');
      this.scheduleReconnect();
    });
  }

  private handleFrame(text: string): void {
    let frame;
    try {
      frame = parseFrame(text);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'unreadable frame from relay');
      return;
    }
    if (frame.type === 'result') {
      const pending = frame.id ? this.pending.get(frame.id) : undefined;
      if (!pending) return;
      this.pending.delete(frame.id!);
      clearTimeout(pending.timer);
      const payload = frame.payload as { ok: boolean; value?: unknown; error?: unknown };
      if (payload?.ok) {
        const parsed = requests[pending.type].result.safeParse(payload.value);
        if (parsed.success) pending.resolve(parsed.data);
        else pending.reject(new QixinError('internal', `${pending.type}: unexpected result: ${parsed.error.message}`));
      } else {
        const error = ErrorBody.safeParse(payload?.error);
        pending.reject(
          error.success ? QixinError.from(error.data) : new QixinError('internal', `${pending.type}: malformed error`),
        );
      }
      return;
    }
    if (!isEventType(frame.type)) return;
    const parsed = events[frame.type].safeParse(frame.payload);
    if (!parsed.success) {
      log.warn({ type: frame.type }, 'malformed event from relay');
      return;
    }
    const event = { type: frame.type, payload: parsed.data } as RelayEvent;
    for (const fn of this.eventListeners) {
      try {
        fn(event);
      } catch (err) {
        log.error({ err, type: frame.type }, 'event handler failed');
      }
    }
  }

  private startHeartbeat(ws: WebSocket): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    let sinceLastPing = 0;
    const tick = Math.max(50, Math.floor(this.heartbeatMs / 4));
    this.heartbeatTimer = setInterval(() => {
      if (this.ws !== ws || ws.readyState !== WebSocket.OPEN) return;
      // No frame, ping or pong within ~2.5 heartbeats: the socket is dead even if TCP hasn't noticed.
      if (Date.now() - this.lastTraffic > this.heartbeatMs * 2.5) {
        log.warn('relay silent for too long; reconnecting');
        ws.terminate();
        return;
      }
      sinceLastPing += tick;
      if (sinceLastPing >= this.heartbeatMs) {
        sinceLastPing = 0;
        ws.ping();
      }
    }, tick);
  }

  private teardown(reason: string): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    this.queue = [];
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new QixinError('unavailable', `${p.type}: ${reason}`));
      this.pending.delete(id);
    }
    this.ws = null;
  }

  private scheduleReconnect(): void {
    if (!this.running) {
      this.setStatus({ state: 'offline', retryAt: null });
      return;
    }
    const delay = backoffDelay(this.attempt++, this.backoff);
    this.setStatus({ state: 'offline', retryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.running) this.connect();
    }, delay);
  }
}
