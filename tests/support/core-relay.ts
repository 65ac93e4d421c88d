// Relays for desktop-core tests, on the store QIXIN_TEST_STORE selects: `sqlite` (a temp dir)
// or `postgres` (a fresh database on 127.0.0.1:5432 plus Redis on 6379 with its own channel).
// Each can be stopped and started again on the same port with the same data.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startRelay, type Relay } from '../../server/relay';
import { tempDir } from './core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ADMIN_URL = process.env.QIXIN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.QIXIN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

type Store = { dataDir: string; databaseUrl?: string; redisUrl?: string; busChannel?: string; drop(): Promise<void> };

async function createStore(): Promise<Store> {
  const dataDir = tempDir('qixin-relay-');
  if ((process.env.QIXIN_TEST_STORE ?? 'sqlite') !== 'postgres') return { dataDir, drop: async () => undefined };
  const name = `qixin_core_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    redisUrl: REDIS_URL,
    busChannel: `qixin:test:${name}`,
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface RelayForCores {
  url: string;
  port: number;
  /** Stops the relay; its data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** An in-process relay on port 0. */
export async function startRelayForCores(): Promise<RelayForCores> {
  const store = await createStore();
  const options = {
    host: '127.0.0.1',
    dataDir: store.dataDir,
    databaseUrl: store.databaseUrl,
    redisUrl: store.redisUrl,
    busChannel: store.busChannel,
    logLevel: 'silent',
  };
  let relay: Relay | null = await startRelay({ ...options, port: 0 });
  const port = relay.port;
  return {
    url: relay.url,
    port,
    async stop() {
      await relay?.close();
      relay = null;
    },
    async start() {
      relay ??= await startRelay({ ...options, port });
    },
    async close() {
      await relay?.close();
      relay = null;
      await store.drop();
    },
  };
}

export interface RelayChild extends RelayForCores {
  /** Kills the process at once (SIGKILL): no clean shutdown, no flushed acks. */
  kill(): Promise<void>;
}

/** The relay as a child process (`node --import tsx server/main.ts`), so it can be SIGKILLed. */
export async function startRelayChild(): Promise<RelayChild> {
  const store = await createStore();
  let child: ChildProcess | null = null;
  let port = 0;

  const launch = async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/main.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: store.dataDir,
        DATABASE_URL: store.databaseUrl ?? '',
        REDIS_URL: store.redisUrl ?? '',
        QIXIN_BUS_CHANNEL: store.busChannel ?? 'qixin:bus',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += String(d)));
    port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: proc.stdout! });
      const timer = setTimeout(() => reject(new Error(`relay did not start: ${stderr}`)), 30_000);
      lines.on('line', (line) => {
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'relay listening' && entry.port) {
            clearTimeout(timer);
            resolve(entry.port);
          }
        } catch {
          // not JSON
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`relay exited (${code}): ${stderr}`));
      });
    });
    proc.stdout!.resume();
  };

  const halt = async (signal: NodeJS.Signals) => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill(signal);
    await exited;
  };

  await launch();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    kill: () => halt('SIGKILL'),
    stop: () => halt('SIGTERM'),
    async start() {
      if (!child) await launch();
    },
    async close() {
      await halt('SIGKILL');
      await store.drop();
    },
  };
}
