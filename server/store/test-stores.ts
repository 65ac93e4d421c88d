// Fresh empty stores for the store's own unit tests (both dialects; PostgreSQL must be running).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connectStore, type Store } from './database';
import type { Dialect } from './migrator';

const PG_URL = process.env.QIXIN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function emptyStore(dialect: Dialect): Promise<Store & { dispose(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qixin-store-'));
    const store = connectStore({ dataDir });
    return {
      ...store,
      async dispose() {
        await store.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `qixin_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const store = connectStore({ dataDir: os.tmpdir(), databaseUrl: url.toString() });
  return {
    ...store,
    async dispose() {
      await store.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
