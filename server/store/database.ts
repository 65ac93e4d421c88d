import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { createLogger } from '../log';
import { PostgresMessageLog, SqliteMessageLog, type MessageLog } from './message-log';
import { migrate, type Dialect } from './migrator';
import { migrations } from './migrations';
import type { Schema } from './schema';

const log = createLogger('relay.store');

export interface Store {
  db: Kysely<Schema>;
  dialect: Dialect;
  /**
   * A write transaction. On SQLite they queue here in arrival order: SQLite has one writer
   * anyway, and Kysely's own connection lock wakes every waiter on each release.
   */
  transaction<T>(fn: (trx: Transaction<Schema>) => Promise<T>): Promise<T>;
  /** Batched write path of user messages (group commit). */
  messageLog: MessageLog;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres:// URL → PostgreSQL; otherwise a SQLite file in dataDir. */
  databaseUrl?: string;
  dataDir: string;
}

// int8 (bigint, count(*)) arrives from pg as a string; our millis and seqs fit in a double.
const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Opens the store and brings its schema up to date (or refuses a store newer than this code). */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = connectStore(options);
  try {
    await migrate(store.db, store.dialect, migrations);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

/** Opens the store without touching its schema (migration tests start here). */
export function connectStore(options: StoreOptions): Store {
  let store: Store;
  if (options.databaseUrl && /^postgres(ql)?:\/\//.test(options.databaseUrl)) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10, types: pgTypes as never });
    pool.on('error', (err) => log.warn({ err }, 'idle PostgreSQL client failed'));
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    store = {
      db,
      dialect: 'postgres',
      transaction: (fn) => db.transaction().execute(fn),
      messageLog: new PostgresMessageLog(db),
      close: () => db.destroy(),
    };
    log.info({ store: 'postgres' }, 'store opened');
  } else {
    fs.mkdirSync(options.dataDir, { recursive: true });
    const file = path.join(options.dataDir, 'qixin.db');
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    let tail: Promise<unknown> = Promise.resolve();
    // The write queue: Kysely transactions and message batches take turns on the one connection.
    const exclusive = <T>(work: () => Promise<T> | T): Promise<T> => {
      const run = tail.then(work);
      tail = run.catch(() => undefined);
      return run;
    };
    store = {
      db,
      dialect: 'sqlite',
      transaction: (fn) => exclusive(() => db.transaction().execute(fn)),
      messageLog: new SqliteMessageLog(sqlite, exclusive),
      close: () => tail.then(() => db.destroy()),
    };
    log.info({ store: 'sqlite', file }, 'store opened');
  }
  return store;
}

/**
 * Kysely prepares every query anew; preparing costs more than running our small queries,
 * so statements are kept by SQL text. Safe because Kysely runs one query at a time per
 * connection, and we never stream results.
 */
function withStatementCache(sqlite: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = sqlite.prepare(text);
        // Schema changes (migrations) invalidate nothing here: better-sqlite3 re-prepares internally.
        if (cache.size >= 1000) cache.delete(cache.keys().next().value!);
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}
