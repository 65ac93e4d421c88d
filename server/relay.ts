import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Bus } from './bus/bus';
import { LocalBus } from './bus/local-bus';
import { RedisBus } from './bus/redis-bus';
import { DirectoryIo } from './directory-io/jobs';
import { createDomain, Fanout } from './domain';
import { Gateway } from './gateway/gateway';
import { AdminHttpApi } from './http/admin-api';
import { HttpApi } from './http/http-api';
import { createLogger, setLogLevel } from './log';
import { fileConfig, type FileConfig } from './files/file-config';
import { BlobStore } from './media/blob-store';
import { MediaHttpApi } from './media/media-http';
import { openStore } from './store/database';
import { HEARTBEAT_MS } from '../shared/protocol';

const log = createLogger('relay');

export interface RelayOptions {
  /** 0 picks a free port. Default 8090. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where the SQLite file lives when no databaseUrl is given. Default .data/relay. */
  dataDir?: string;
  /** postgres://… selects PostgreSQL; otherwise SQLite in dataDir. */
  databaseUrl?: string;
  /** redis://… selects the Redis bus (several relay nodes); otherwise in-process. */
  redisUrl?: string;
  /** Redis channel shared by the nodes of one cluster. Default qixin:bus. */
  busChannel?: string;
  logLevel?: string;
  /** Ping interval; a socket that missed the previous pong is dropped. Default 30000. */
  heartbeatMs?: number;
  /** Per-connection token bucket (default burst 400, 300 frames/s); a user's sockets on one node share twice that. */
  rateLimit?: { burst: number; perSecond: number };
  /** Frames an unauthenticated socket may send before it is closed. Default 8. */
  preAuthQueue?: number;
  /** Sign-in attempts per login per minute. Default 10. */
  signInPerMinute?: number;
  /** The relay's clock (UTC millis); tests move it to reach time limits such as the recall window. Default Date.now. */
  now?: () => number;
  /** File limits, retention and quotas; defaults in FileLimits (env: see server/README.md). */
  files?: Partial<FileConfig>;
}

export interface Relay {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startRelay(options: RelayOptions = {}): Promise<Relay> {
  if (options.logLevel) setLogLevel(options.logLevel);
  const dataDir = options.dataDir ?? path.resolve('.data/relay');
  const store = await openStore({ databaseUrl: options.databaseUrl, dataDir });
  let bus: Bus;
  try {
    bus = options.redisUrl
      ? await RedisBus.connect(options.redisUrl, options.busChannel ?? 'qixin:bus')
      : new LocalBus();
  } catch (err) {
    await store.close();
    throw err;
  }
  const fanout = new Fanout(bus);
  const now = options.now ?? Date.now;
  const domain = createDomain({
    db: store.db,
    dialect: store.dialect,
    transaction: store.transaction,
    messageLog: store.messageLog,
    fanout,
    now,
    files: fileConfig(options.files),
  });
  const api = new HttpApi(domain, { signInPerMinute: options.signInPerMinute });
  // Bulk import/export (/api/admin/*); uploads wait in the data dir while their job runs.
  const directoryIo = new DirectoryIo({
    db: store.db,
    dialect: store.dialect,
    transaction: store.transaction,
    changes: domain.changes,
    fanout,
    now,
    uploadDir: path.join(dataDir, 'imports'),
  });
  const adminApi = new AdminHttpApi(domain, directoryIo, store.db);
  // Chat media blobs live on local disk even with PostgreSQL (see server/media/README.md).
  const blobs = new BlobStore(path.join(dataDir, 'blobs'));
  await blobs.open();
  const mediaApi = new MediaHttpApi({
    db: store.db,
    transaction: store.transaction,
    sessionOf: (token) => domain.accounts.sessionOf(token),
    blobs,
    now: Date.now,
  });
  const server = http.createServer((req, res) => {
    if (mediaApi.handles(req)) mediaApi.handle(req, res);
    else if (adminApi.handles(req)) adminApi.handle(req, res);
    else api.handle(req, res);
  });
  const gateway = new Gateway(server, domain, bus, {
    heartbeatMs: options.heartbeatMs ?? HEARTBEAT_MS,
    rateLimit: options.rateLimit ?? { burst: 400, perSecond: 300 },
    preAuthQueue: options.preAuthQueue ?? 8,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8090, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        await gateway.close();
        directoryIo.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await bus.close();
        await store.close();
        log.info({ port }, 'relay closed');
      })();
      return closing;
    },
  };
}
