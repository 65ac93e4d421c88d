import type { Database } from 'better-sqlite3';
import * as m0010 from './0010-initial';
import * as m0020 from './0020-directory';
import * as m0030 from './0030-messaging';
import * as m0040 from './0040-search';
import * as m0050 from './0050-transfers';
import * as m0060 from './0060-calendar';

export type Migration = { version: number; up(db: Database): void };

/** Every cache migration in order; versions step by 10 and land in PRAGMA user_version. */
export const migrations: readonly Migration[] = [m0010, m0020, m0030, m0040, m0050, m0060];

export const latestVersion = migrations[migrations.length - 1]!.version;
