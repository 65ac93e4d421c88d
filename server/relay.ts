import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Bus } from './bus/bus';
import { LocalBus } from './bus/local-bus';
import { RedisBus } from './bus/redis-bus';
import { DirectoryIo } from './directory-io/jobs';
import { CalendarHttpApi } from './calendar/calendar-http';
import { createDomain, Fanout, type DomainContext } from './domain';
import { DriveHttpApi } from './drive/drive-http';
import { DriveUploadTarget } from './drive/drive-uploads';
import { Gateway } from './gateway/gateway';
import { AdminHttpApi } from './http/admin-api';
import { HttpApi } from './http/http-api';
import { createLogger, setLogLevel } from './log';
import { ChatUploadTarget } from './files/chat-target';
import { FileCommits } from './files/file-commits';
import { fileConfig, type FileConfig } from './files/file-config';
import { FileHttpApi } from './files/files-http';
import { HashingFileStore } from './files/hashing-file-store';
import { InstantUploads } from './files/instant-uploads';
import { FileRetention } from './files/retention';
import { TusUploads } from './files/tus-uploads';
import type { UploadTargets } from './files/upload-targets';
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
  /** Between retention runs (expired chat files, idle uploads, unreferenced blobs). Default an hour. */
  retentionIntervalMs?: number;
  /**
   * Where people reach this relay (https://qixin.example.com), for links it hands out such as
   * calendar subscription URLs. Default: the address it listens on.
   */
  publicUrl?: string;
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
  const files = fileConfig(options.files);
  const context: DomainContext = {
    db: store.db,
    dialect: store.dialect,
    transaction: store.transaction,
    messageLog: store.messageLog,
    fanout,
    now,
    files,
  };
  // Known once listening (port 0 picks one).
  let listenUrl = '';
  const domain = createDomain(context, { publicUrl: () => options.publicUrl ?? listenUrl });
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
  const sessionOf = (token: string) => domain.accounts.sessionOf(token);
  const mediaApi = new MediaHttpApi({
    db: store.db,
    transaction: store.transaction,
    sessionOf,
    blobs,
    now,
  });
  // Files (chat files and the drive): tus uploads wait in DATA_DIR/uploads, on the blobs' file
  // system, so a verified upload becomes a blob by a link, not a copy (see server/files/README.md).
  const uploadStore = new HashingFileStore(path.join(dataDir, 'uploads'), now);
  await fs.promises.mkdir(uploadStore.directory, { recursive: true });
  const targets: UploadTargets = { chat: new ChatUploadTarget(files), drive: new DriveUploadTarget(context, files) };
  const commits = new FileCommits({ db: store.db, transaction: store.transaction, blobs, targets, now });
  const uploads = new TusUploads(
    {
      db: store.db,
      transaction: store.transaction,
      sessionOf,
      now,
      maxBytes: Math.max(files.chatFileMaxBytes, files.driveFileMaxBytes),
    },
    uploadStore,
    commits,
  );
  const filesApi = new FileHttpApi({
    sessionOf,
    config: files,
    uploads,
    instant: new InstantUploads({ db: store.db, transaction: store.transaction, blobs, now }, commits),
    commits,
  });
  const driveApi = new DriveHttpApi({
    db: store.db,
    transaction: store.transaction,
    sessionOf,
    blobs,
    drive: domain.drive,
    now,
  });
  const calendarApi = new CalendarHttpApi({ ctx: context, calendar: domain.calendar, sessionOf });
  const retention = new FileRetention({
    db: store.db,
    transaction: store.transaction,
    blobs,
    uploads,
    now,
    purgeExpiredTrash: (at) => domain.drive.purgeExpiredTrash(at),
    intervalMs: options.retentionIntervalMs,
  });
  const server = http.createServer((req, res) => {
    if (filesApi.handles(req)) filesApi.handle(req, res);
    else if (driveApi.handles(req)) driveApi.handle(req, res);
    else if (calendarApi.handles(req)) calendarApi.handle(req, res);
    else if (mediaApi.handles(req)) mediaApi.handle(req, res);
    else if (adminApi.handles(req)) adminApi.handle(req, res);
    else api.handle(req, res);
  });
  // A 2 GB chunk on a slow line takes longer than Node's default 300 s for a whole request: no
  // limit on a request's duration, but headers must come within 60 s and a socket that stays silent
  // for 2 minutes is dropped (tus resumes from the last byte stored).
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.timeout = 120_000;
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
  retention.start();
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  listenUrl = url;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        await gateway.close();
        directoryIo.close();
        await retention.stop();
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
