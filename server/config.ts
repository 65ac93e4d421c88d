import path from 'node:path';
import type { FileConfig } from './files/file-config';
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
    files: fileSettings(env),
    publicUrl: publicUrl(env.QIXIN_PUBLIC_URL),
    // The benchmark's load generator sends far faster than a person; per-connection limits would measure themselves.
    ...(env.QIXIN_BENCH === '1'
      ? { rateLimit: { burst: 1_000_000, perSecond: 1_000_000 }, signInPerMinute: 1_000_000 }
      : {}),
  };
}

/** QIXIN_* file limits: whole numbers (bytes, days); unset keeps the default of FileLimits. */
function fileSettings(env: NodeJS.ProcessEnv): Partial<FileConfig> {
  const files: Partial<FileConfig> = {};
  const read = (name: string, key: keyof FileConfig, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min)
      throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
    files[key] = value;
  };
  read('QIXIN_CHAT_FILE_MAX_BYTES', 'chatFileMaxBytes', 0);
  read('QIXIN_DRIVE_FILE_MAX_BYTES', 'driveFileMaxBytes', 0);
  read('QIXIN_CHAT_FILE_RETENTION_DAYS', 'chatRetentionDays', 1);
  read('QIXIN_DRIVE_USER_QUOTA_BYTES', 'personalQuotaBytes', 0);
  read('QIXIN_DRIVE_ENTERPRISE_QUOTA_BYTES', 'enterpriseQuotaBytes', 0);
  return files;
}

/** QIXIN_PUBLIC_URL: an absolute http(s) URL (a path prefix allowed); unset = where the relay listens. */
function publicUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`QIXIN_PUBLIC_URL must be an absolute URL such as https://qixin.example.com, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`QIXIN_PUBLIC_URL must be an http(s) URL, got "${raw}"`);
  return url.toString().replace(/\/+$/, '');
}
