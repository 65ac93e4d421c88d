// Relays for desktop-core tests, built from the relay harness (tests/support/relay.ts) on the store
// QIXIN_TEST_STORE selects. Both kinds can be stopped and started again on the same port and data.
import { randomBytes } from 'node:crypto';
import { startRelay, type Relay } from '../../server/relay';
import { tempDir } from './core';
import { createTestDatabase, REDIS_URL, startRelayProcess, testStore } from './relay';

type Store = { dataDir: string; databaseUrl?: string; redisUrl?: string; busChannel?: string; drop(): Promise<void> };

async function createStore(): Promise<Store> {
  const dataDir = tempDir('qixin-relay-');
  if (testStore() !== 'postgres') return { dataDir, drop: async () => undefined };
  const database = await createTestDatabase();
  return {
    dataDir,
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    busChannel: `qixin:test:${randomBytes(6).toString('hex')}`,
    drop: () => database.drop(),
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
  const { drop, ...shared } = store;
  const options = { host: '127.0.0.1', logLevel: 'silent', ...shared };
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
      await drop();
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
  const env: Record<string, string> = { DATA_DIR: store.dataDir };
  if (store.databaseUrl) env.DATABASE_URL = store.databaseUrl;
  if (store.redisUrl) env.REDIS_URL = store.redisUrl;
  if (store.busChannel) env.QIXIN_BUS_CHANNEL = store.busChannel;
  const proc = await startRelayProcess(env);
  let running = true;
  const halt = async (signal: NodeJS.Signals) => {
    if (!running) return;
    running = false;
    await proc.kill(signal);
  };
  return {
    url: proc.url,
    port: proc.port,
    kill: () => halt('SIGKILL'),
    stop: () => halt('SIGTERM'),
    async start() {
      if (running) return;
      await proc.restart();
      running = true;
    },
    async close() {
      await halt('SIGKILL');
      await store.drop();
    },
  };
}
