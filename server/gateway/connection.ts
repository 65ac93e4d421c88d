import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import {
  errorFrame,
  eventFrame,
  isRequestType,
  okFrame,
  parseFrame,
  parseRequest,
  PROTOCOL_VERSION,
  QixinError,
  type RawFrame,
  type RequestType,
} from '../../shared/protocol';
import type { Domain } from '../domain';
import type { Logger } from '../log';
import { handlers, type Session } from './handlers';
import { TokenBucket } from './token-bucket';

export const CloseCode = {
  unauthenticated: 4001,
  protocolVersion: 4002,
  policy: 1008,
} as const;

export interface ConnectionOptions {
  rateLimit: { burst: number; perSecond: number };
  preAuthQueue: number;
}

/** Called once hello succeeds / when the socket goes, so the registry can route deliveries. */
export interface ConnectionHooks {
  /** Returns the bucket shared by all of this user's sockets on this node. */
  authenticated(connection: Connection): TokenBucket;
  closed(connection: Connection): void;
}

// A client that stops reading gets cut off instead of growing our memory without bound.
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const REJECT_WINDOW_MS = 10_000;

/**
 * One client socket: authenticates with hello, then answers requests strictly in
 * arrival order. Nothing a client sends can throw out of here.
 */
export class Connection {
  session: Session | undefined;
  alive = true;
  readonly openedAt = Date.now();
  private helloPending = false;
  private preAuthFrames = 0;
  private queue: Promise<void> = Promise.resolve();
  /** Settles when every request taken so far has been answered (sends may still be committing). */
  private answered: Promise<void> = Promise.resolve();
  private readonly bucket: TokenBucket;
  private userBucket: TokenBucket | undefined;
  private rejected = 0;
  private rejectWindowStart = 0;
  private closing = false;
  private corked = false;

  constructor(
    readonly socket: WebSocket,
    private readonly domain: Domain,
    private readonly hooks: ConnectionHooks,
    private readonly options: ConnectionOptions,
    private readonly log: Logger,
  ) {
    this.bucket = new TokenBucket(options.rateLimit.burst, options.rateLimit.perSecond);
    socket.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    socket.on('pong', () => (this.alive = true));
    socket.on('close', () => {
      this.closing = true;
      hooks.closed(this);
    });
    socket.on('error', (err) => this.log.debug({ err }, 'socket error'));
  }

  /** Sends an already serialized frame; fan-out passes one encoded Buffer to every socket. */
  send(frame: string | Buffer): void {
    if (this.closing || this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CloseCode.policy, 'client is not reading its socket');
      return;
    }
    this.cork();
    this.socket.send(frame, { binary: false });
  }

  /**
   * Frames sent within one turn of the event loop leave in one write: a send's result and
   * its own delivery, or several deliveries to one busy socket. One syscall per frame was
   * the largest cost of 1:1 traffic.
   */
  private cork(): void {
    if (this.corked) return;
    // ws has no public cork; its net.Socket does (ws itself corks it around each frame).
    const raw = (this.socket as unknown as { _socket?: Socket })._socket;
    if (!raw || raw.destroyed) return;
    raw.cork();
    this.corked = true;
    setImmediate(() => {
      this.corked = false;
      raw.uncork();
    });
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    // A close reason is at most 123 bytes on the wire.
    this.socket.close(code, Buffer.from(reason).subarray(0, 123).toString());
  }

  /** The session ended elsewhere (revoked, password changed): tell the client, then close. */
  kick(reason: string): void {
    this.send(eventFrame('session.revoked', { reason }));
    this.close(CloseCode.unauthenticated, reason);
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.closing) return;
    // Per socket, and per user so that opening many sockets buys no extra rate.
    if (!this.bucket.take() || (this.userBucket && !this.userBucket.take())) {
      this.reject(data, isBinary);
      return;
    }
    let frame: RawFrame;
    try {
      if (isBinary) throw new QixinError('bad_frame', 'frames are JSON text');
      frame = parseFrame(data.toString('utf8'));
    } catch (err) {
      if (!this.session && ++this.preAuthFrames > this.options.preAuthQueue) {
        this.close(CloseCode.policy, 'too many frames before hello');
        return;
      }
      this.enqueue(() => this.afterAnswers(() => this.send(errorFrame(null, toErrorBody(err)))));
      return;
    }
    if (this.session) {
      this.enqueue(() => this.handle(frame));
      return;
    }
    if (frame.type === 'hello' && !this.helloPending) {
      this.helloPending = true;
      this.enqueue(() => this.hello(frame));
      return;
    }
    if (++this.preAuthFrames > this.options.preAuthQueue) {
      this.close(CloseCode.policy, 'too many frames before hello');
      return;
    }
    // Frames pipelined behind a pending hello wait for it; others are refused at once.
    if (this.helloPending) this.enqueue(() => this.handle(frame));
    else this.send(errorFrame(frame.id, { code: 'unauthenticated', message: 'send hello first' }));
  }

  private reject(data: Buffer, isBinary: boolean): void {
    const now = Date.now();
    if (now - this.rejectWindowStart > REJECT_WINDOW_MS) {
      this.rejectWindowStart = now;
      this.rejected = 0;
    }
    if (++this.rejected > 5 * this.options.rateLimit.burst) {
      this.log.warn({ userId: this.session?.userId }, 'closing a flooding socket');
      this.close(CloseCode.policy, 'rate limit exceeded');
      return;
    }
    // Echo the id so the client's pending request fails now instead of timing out.
    let id: string | undefined;
    try {
      id = isBinary ? undefined : parseFrame(data.toString('utf8')).id;
    } catch {
      id = undefined;
    }
    this.send(errorFrame(id, { code: 'rate_limited', message: 'too many frames; slow down' }));
  }

  /** Runs work once every earlier answer is out, keeping answers in arrival order. */
  private afterAnswers(work: () => void): Promise<void> {
    this.answered = this.answered.then(work).catch((err) => this.log.error({ err }, 'answering a request failed'));
    return this.answered;
  }

  private enqueue(work: () => Promise<void> | void): void {
    this.queue = this.queue.then(work).catch((err) => this.log.error({ err }, 'frame processing failed'));
  }

  private async hello(frame: RawFrame): Promise<void> {
    try {
      const params = parseRequest('hello', frame.payload);
      if (params.protocolVersion !== PROTOCOL_VERSION) {
        const message = `protocol version ${params.protocolVersion} is not supported; this relay speaks ${PROTOCOL_VERSION}`;
        this.send(errorFrame(frame.id, { code: 'protocol_version', message }));
        this.close(CloseCode.protocolVersion, message);
        return;
      }
      const user = await this.domain.accounts.authenticate(params.token, params.deviceId);
      if (this.closing) return;
      this.session = { userId: user.id, deviceId: params.deviceId };
      this.userBucket = this.hooks.authenticated(this);
      this.sendResult(frame.id, { user, deviceId: params.deviceId, serverTime: Date.now() });
    } catch (err) {
      const body = toErrorBody(err);
      this.send(errorFrame(frame.id, body));
      if (body.code === 'unauthenticated') this.close(CloseCode.unauthenticated, body.message);
    } finally {
      this.helloPending = false;
    }
  }

  /**
   * Answers in arrival order. A msg.send does not hold up the frames behind it, so one
   * client's pipelined sends can share a batch commit; any other request first waits until
   * every earlier answer is out, so it sees the sends before it.
   */
  private handle(frame: RawFrame): Promise<void> | undefined {
    if (this.closing) return undefined;
    const earlier = this.answered;
    const value = frame.type === 'msg.send' ? this.answer(frame) : earlier.then(() => this.answer(frame));
    // A send may be refused before the answers ahead of it are out; it is reported below, in turn.
    value.catch(() => undefined);
    const answered = earlier
      .then(() => value)
      .then(
        (v) => this.sendResult(frame.id, v),
        (err) => this.sendError(frame, err),
      )
      .catch((err) => this.log.error({ err }, 'answering a request failed'));
    this.answered = answered;
    return frame.type === 'msg.send' ? undefined : answered;
  }

  /** Validates and runs one request; rejects with what becomes its error result. */
  private async answer(frame: RawFrame): Promise<unknown> {
    const session = this.session;
    if (!session) throw new QixinError('unauthenticated', 'send hello first');
    if (frame.type === 'hello') throw new QixinError('invalid', 'this socket is already authenticated');
    if (!isRequestType(frame.type)) throw new QixinError('unknown_type', `unknown frame type "${frame.type}"`);
    if (frame.id === undefined) throw new QixinError('bad_frame', 'a request needs an id');
    const type = frame.type as Exclude<RequestType, 'hello'>;
    const params = parseRequest(type, frame.payload);
    const handler = handlers[type] as (d: Domain, s: Session, p: unknown) => Promise<unknown>;
    return handler(this.domain, session, params);
  }

  private sendError(frame: RawFrame, err: unknown): void {
    const body = toErrorBody(err);
    if (body.code === 'internal') this.log.error({ err, type: frame.type }, 'request failed');
    this.send(errorFrame(frame.id, body));
  }

  private sendResult(id: string | undefined, value: unknown): void {
    if (id === undefined) return;
    this.send(okFrame(id, value));
  }
}

function toErrorBody(err: unknown) {
  if (err instanceof QixinError) return err.toBody();
  return { code: 'internal' as const, message: 'the relay could not process this request' };
}
