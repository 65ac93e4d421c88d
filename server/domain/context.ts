import type { Kysely, Transaction } from 'kysely';
import type { FileConfig } from '../files/file-config';
import type { MessageLog } from '../store/message-log';
import type { Dialect } from '../store/migrator';
import type { Schema } from '../store/schema';
import type { Fanout } from './fanout';

/** What every domain service works with: the store and the way out to sockets. */
export interface DomainContext {
  db: Kysely<Schema>;
  dialect: Dialect;
  fanout: Fanout;
  now(): number;
  /** Runs fn in one write transaction (see Store.transaction). */
  transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T>;
  /** Where user messages are stored, a batch per transaction (see SendBatcher). */
  messageLog: MessageLog;
  /** Sizes, retention and quotas of files and the drive; defaults (FileLimits) when absent. */
  files?: FileConfig;
}

export type Tx = Transaction<Schema>;
export type Reader = Kysely<Schema> | Tx;
