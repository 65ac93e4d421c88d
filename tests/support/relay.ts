/**
 * Test harness for the relay — shared by every integration test. Stable API:
 *
 *   startTestRelay(opts?) → { url, port, relay, store, shared, close() }
 *     QIXIN_TEST_STORE=sqlite (default): a temp DATA_DIR, in-process bus.
 *     QIXIN_TEST_STORE=postgres: a fresh database qixin_t_<random> on
 *       postgres://postgres@127.0.0.1:5432/test + Redis bus on a random channel;
 *       the database is dropped on close. `shared` describes this store so a second
 *       node can join it: startTestRelay({ shared: first.shared }) (that node does
 *       not drop the database; the first one does).
 *     opts also takes any RelayOptions (heartbeatMs, rateLimit, preAuthQueue, …).
 *   startRelayProcess(env?) → { url, port, dataDir, kill(signal?), restart(), exited }
 *     `node --import tsx server/main.ts` as a child; restart() reuses the port and data.
 *   createEnterprise(url, fields?) → SessionGrant of the admin (POST /api/setup)
 *   signIn(url, login, password, deviceName?) → SessionGrant (POST /api/sessions)
 *   addMember(client, fields?) → { user, password } via admin.addMember over WS (in the root department)
 *   createMember(admin, fields?) → { user, activation } via admin.member.create (not yet activated)
 *   activate(url, code, password?, deviceName?) → SessionGrant (POST /api/activate)
 *   syncDirectory(client, kind, after?) → every page of dir.sync from `after` (null = from the start)
 *     merged: { users, departments, removedIds, pages, epoch }
 *   openClient(url, grant) → TestClient: an authenticated raw ws client with
 *     request(type, payload) (rejects with RequestError on an error result),
 *     call(type, payload) (the raw result frame), send(rawText), nextEvent(type, predicate?, timeoutMs?)
 *     (consumes the oldest match), events(type) and waitForFrame(match) (do not consume), frames,
 *     closed (→ {code, reason}), close()
 *   openSocket(url) → an unauthenticated raw socket with the same frame helpers
 *   signInClient(url, login, password, deviceName?) → signIn + openClient
 *   httpJson(url, method, path, body?) → { status, body }
 *   createTestDatabase() → { url, drop() }; tempDir(prefix?); testStore(); PG_ADMIN_URL; REDIS_URL
 * Relays started here log nothing unless LOG_LEVEL says so; startRelayProcess children log at info.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import WebSocket from 'ws';
import type { z } from 'zod';
import { newId } from '../../shared/lib/ids';
import {
  PROTOCOL_VERSION,
  type ErrorBody,
  type EventPayload,
  type EventType,
  type RequestParams,
  type RequestResult,
  type RequestType,
  type Department,
  type MemberFields,
  type SessionGrant,
  type User,
} from '../../shared/protocol';
import { startRelay, type Relay, type RelayOptions } from '../../server/relay';

export const PG_ADMIN_URL = process.env.QIXIN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.QIXIN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type TestStore = 'sqlite' | 'postgres';
export function testStore(): TestStore {
  return process.env.QIXIN_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
}

/** Where a relay keeps its data; pass it to a second node to share the store and bus. */
export interface SharedStore {
  databaseUrl?: string;
  redisUrl?: string;
  busChannel?: string;
  dataDir: string;
}

export interface TestRelay {
  url: string;
  port: number;
  relay: Relay;
  store: TestStore;
  shared: SharedStore;
  close(): Promise<void>;
}

export interface TestRelayOptions extends Omit<RelayOptions, 'databaseUrl' | 'redisUrl' | 'busChannel' | 'dataDir'> {
  shared?: SharedStore;
}

/** Creates an empty PostgreSQL database for one test; returns its URL and a drop function. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `qixin_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export function tempDir(prefix = 'qixin-relay-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestRelay(opts: TestRelayOptions = {}): Promise<TestRelay> {
  const { shared: joining, ...relayOptions } = opts;
  const store = testStore();
  const cleanups: (() => Promise<void> | void)[] = [];
  let shared: SharedStore;
  if (joining) {
    shared = joining;
  } else if (store === 'postgres') {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    shared = {
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      busChannel: `qixin:test:${randomBytes(6).toString('hex')}`,
      dataDir: tempDir(),
    };
  } else {
    shared = { dataDir: tempDir() };
  }
  if (!joining) cleanups.push(() => fs.rmSync(shared.dataDir, { recursive: true, force: true }));
  let relay: Relay;
  try {
    relay = await startRelay({ port: 0, logLevel: process.env.LOG_LEVEL ?? 'silent', ...relayOptions, ...shared });
  } catch (err) {
    for (const c of cleanups.reverse()) await c();
    throw err;
  }
  return {
    url: relay.url,
    port: relay.port,
    relay,
    store,
    shared,
    async close() {
      await relay.close();
      for (const c of cleanups.reverse()) await c();
    },
  };
}

export interface RelayProcess {
  url: string;
  port: number;
  dataDir: string;
  /** Resolves with the exit code (or signal name) once the child ends. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
  /** Starts the relay again on the same port with the same data. */
  restart(): Promise<void>;
}

/**
 * Spawns the real relay entry point. env overrides PORT/DATA_DIR/DATABASE_URL/REDIS_URL/…;
 * without DATA_DIR a temp dir is used. Resolves once the child logs "relay listening".
 */
export async function startRelayProcess(env: Record<string, string> = {}): Promise<RelayProcess> {
  const dataDir = env.DATA_DIR ?? tempDir();
  let port = Number(env.PORT ?? 0);
  let child: ChildProcess;
  let exited!: Promise<number | string>;

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/main.ts')], {
        cwd: REPO_ROOT,
        env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: String(port), DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      exited = new Promise((res) => child.once('exit', (code, signal) => res(code ?? signal ?? -1)));
      let buffer = '';
      let stderr = '';
      const timer = setTimeout(() => reject(new Error(`relay process did not start in time: ${stderr}`)), 20_000);
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout!.on('data', (d: Buffer) => {
        buffer += d.toString();
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          try {
            const entry = JSON.parse(line) as { msg?: string; port?: number };
            if (entry.msg === 'relay listening' && entry.port) {
              port = entry.port;
              clearTimeout(timer);
              resolve();
            }
          } catch {
            // not a log line
          }
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`relay process exited (${code}) before listening: ${stderr}`));
      });
    });

  await launch();
  const handle: RelayProcess = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dataDir,
    get exited() {
      return exited;
    },
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    async restart() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await launch();
    },
  };
  return handle;
}

// ---------------------------------------------------------------- HTTP helpers

export async function httpJson(
  url: string,
  method: string,
  urlPath: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on whatever came back
): Promise<{ status: number; body: any }> {
  const res = await fetch(new URL(urlPath, url), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // leave as text
  }
  return { status: res.status, body: parsed };
}

export async function createEnterprise(
  url: string,
  fields: Partial<{
    enterpriseName: string;
    adminName: string;
    account: string;
    password: string;
    deviceName: string;
  }> = {},
): Promise<SessionGrant> {
  const res = await httpJson(url, 'POST', '/api/setup', {
    enterpriseName: '测试科技有限公司',
    adminName: '管理员',
    account: 'admin',
    password: 'admin-password-1',
    deviceName: 'admin laptop',
    ...fields,
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as SessionGrant;
}

export async function signIn(
  url: string,
  login: string,
  password: string,
  deviceName = 'test device',
): Promise<SessionGrant> {
  const res = await httpJson(url, 'POST', '/api/sessions', { login, password, deviceName });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as SessionGrant;
}

/** Adds a person through an admin's client; returns the user and the password it was given. */
export async function addMember(
  admin: TestClient,
  fields: Partial<{ name: string; account: string; mobile: string; email: string; password: string }> = {},
): Promise<{ user: User; password: string }> {
  const password = fields.password ?? 'member-password-1';
  const account = fields.account ?? `u${randomBytes(4).toString('hex')}`;
  const { user } = await admin.request('admin.addMember', {
    name: fields.name ?? account,
    account,
    password,
    ...fields,
  });
  return { user, password };
}

/** A member created the admin console's way: no password until they activate with the code. */
export async function createMember(
  admin: TestClient,
  fields: Partial<z.input<typeof MemberFields>> = {},
): Promise<RequestResult<'admin.member.create'>> {
  const account = fields.account ?? `m${randomBytes(4).toString('hex')}`;
  return admin.request('admin.member.create', {
    name: account,
    account,
    departmentIds: [admin.grant.enterprise.id],
    ...fields,
  } as RequestParams<'admin.member.create'>);
}

/** Redeems an activation code (POST /api/activate); throws with the relay's answer when refused. */
export async function activate(
  url: string,
  code: string,
  password = 'member-password-1',
  deviceName = 'new member laptop',
): Promise<SessionGrant> {
  const res = await httpJson(url, 'POST', '/api/activate', { code, password, deviceName });
  if (res.status !== 200) throw new Error(`activation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as SessionGrant;
}

export interface DirectorySync {
  users: User[];
  departments: Department[];
  removedIds: string[];
  /** How many pages it took. */
  pages: number;
  epoch: number;
  /** Where a later pull starts (the last non-null `next`). */
  cursor: { version: number; id: string } | null;
}

/** Pulls dir.sync page by page until `next` is null and concatenates the pages. */
export async function syncDirectory(
  client: TestSocket,
  kind: 'users' | 'departments',
  after: { version: number; id: string } | null = null,
  limit = 500,
): Promise<DirectorySync> {
  const out: DirectorySync = { users: [], departments: [], removedIds: [], pages: 0, epoch: 0, cursor: after };
  for (;;) {
    const page = await client.request('dir.sync', { kind, after: out.cursor, limit });
    out.pages++;
    out.epoch = page.epoch;
    out.users.push(...page.users);
    out.departments.push(...page.departments);
    out.removedIds.push(...page.removedIds);
    // null: nothing after our cursor, which stays where the next pull starts.
    if (page.next === null) return out;
    out.cursor = page.next;
  }
}

// ---------------------------------------------------------------- WS clients

export class RequestError extends Error {
  constructor(readonly error: ErrorBody) {
    super(`${error.code}: ${error.message}`);
    this.name = 'RequestError';
  }
  get code() {
    return this.error.code;
  }
}

interface Frame {
  id?: string | null;
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw frames from the wire, asserted on freely
  payload?: any;
}

/** A raw socket speaking the wire protocol; keeps every received frame for assertions. */
export class TestSocket {
  readonly frames: Frame[] = [];
  /** Resolves with the close code and reason when the relay (or we) closed the socket. */
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: { match(f: Frame): boolean; resolve(f: Frame): void }[] = [];
  private pending = new Map<string, { resolve(f: Frame): void; reject(e: Error): void }>();
  private nextId = 1;

  constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => {
        // A request still waiting will never be answered now.
        for (const p of this.pending.values()) p.reject(new Error(`socket closed (${code} ${reason.toString()})`));
        this.pending.clear();
        resolve({ code, reason: reason.toString() });
      }),
    );
    ws.on('error', () => {});
    ws.on('message', (data) => {
      let frame: Frame;
      try {
        frame = JSON.parse(data.toString()) as Frame;
      } catch {
        return;
      }
      this.frames.push(frame);
      if (frame.type === 'result' && typeof frame.id === 'string' && this.pending.has(frame.id)) {
        const waiter = this.pending.get(frame.id)!;
        this.pending.delete(frame.id);
        waiter.resolve(frame);
        return;
      }
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
  }

  static open(url: string): Promise<TestSocket> {
    const ws = new WebSocket(url.replace(/^http/, 'ws'));
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestSocket(ws)));
      ws.once('error', reject);
    });
  }

  send(text: string | Buffer): void {
    this.ws.send(text);
  }

  /** Sends a request frame and resolves with the raw result frame (ok or not). */
  call(type: string, payload: unknown, id = `r${this.nextId++}`): Promise<Frame> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState !== WebSocket.OPEN) return reject(new Error('socket is not open'));
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, type, payload }), (err) => err && reject(err));
    });
  }

  async request<T extends RequestType>(type: T, payload: RequestParams<T>): Promise<RequestResult<T>> {
    const frame = await this.call(type, payload);
    if (!frame.payload.ok) throw new RequestError(frame.payload.error);
    return frame.payload.value as RequestResult<T>;
  }

  /** The next frame matching; frames already received count too (oldest first). */
  nextFrame(match: (f: Frame) => boolean, timeoutMs = 5_000): Promise<Frame> {
    const seen = this.frames.find(match);
    if (seen) {
      this.frames.splice(this.frames.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          this.frames.splice(this.frames.indexOf(f), 1);
          resolve(f);
        },
      });
    });
  }

  /** Waits until a matching frame has arrived, without consuming it. */
  async waitForFrame(match: (f: Frame) => boolean, timeoutMs = 5_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching frame within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async nextEvent<T extends EventType>(
    type: T,
    predicate: (payload: EventPayload<T>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<EventPayload<T>> {
    const f = await this.nextFrame((f) => f.type === type && predicate(f.payload), timeoutMs);
    return f.payload as EventPayload<T>;
  }

  /** Events of a type received so far (not consumed). */
  events<T extends EventType>(type: T): EventPayload<T>[] {
    return this.frames.filter((f) => f.type === type).map((f) => f.payload as EventPayload<T>);
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    this.ws.close();
    return this.closed.then(() => undefined);
  }
}

export class TestClient extends TestSocket {
  grant!: SessionGrant;
  get userId() {
    return this.grant.user.id;
  }
  get deviceId() {
    return this.grant.deviceId;
  }
}

export function openSocket(url: string): Promise<TestSocket> {
  return TestSocket.open(url);
}

/** Opens a socket and says hello with the grant's token; rejects if the relay refuses. */
export async function openClient(url: string, grant: SessionGrant): Promise<TestClient> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const client = new TestClient(ws);
  client.grant = grant;
  const hello = await client.call('hello', {
    protocolVersion: PROTOCOL_VERSION,
    token: grant.token,
    deviceId: grant.deviceId,
  });
  if (!hello.payload.ok) {
    await client.close();
    throw new RequestError(hello.payload.error);
  }
  return client;
}

/** Signs in on a new device and opens its socket. */
export async function signInClient(url: string, login: string, password: string, deviceName?: string) {
  return openClient(url, await signIn(url, login, password, deviceName));
}

export { newId };
