import path from 'node:path';
import type { RelayOptions } from './relay';

/** Reads the relay's settings from the environment (see server/README.md for the list). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RelayOptions {
  const port = env.PORT === undefined || env.PORT === '' ? 8090 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0..65535, got "${env.PORT}"`);
  const dataDir = path.resolve(env.DATA_DIR || '.data/relay');
  const databaseUrl = env.DATABASE_URL || undefined;
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir,
    databaseUrl,
    redisUrl: env.REDIS_URL || undefined,
    busChannel: env.QIXIN_BUS_CHANNEL || 'qixin:bus',
    logLevel: env.LOG_LEVEL || 'info',
    // The benchmark's load generator sends far faster than a person; per-connection limits would measure themselves.
    ...(env.QIXIN_BENCH === '1'
      ? { rateLimit: { burst: 1_000_000, perSecond: 1_000_000 }, signInPerMinute: 1_000_000 }
      : {}),
  };
}
