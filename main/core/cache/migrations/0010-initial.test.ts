import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../local-cache';
import { latestVersion } from './index';

const dirs: string[] = [];
function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'qixin-mig-'));
  dirs.push(dir);
  return join(dir, 'cache.db');
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('migration 0010-initial', () => {
  it('creates the cache tables on an empty file and records the version', () => {
    const db = new Database(tempDb());
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(tables).toEqual(
      expect.arrayContaining([
        'kv',
        'users',
        'conversations',
        'conversation_sync',
        'messages',
        'read_states',
        'outbox',
      ]),
    );
    // The page query must use the (conversation_id, seq) index, not scan messages.
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT 50',
      )
      .all('c', 10) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('messages_conversation_seq');
    db.close();
  });

  it('is applied once: reopening a migrated cache changes nothing', () => {
    const path = tempDb();
    const first = new Database(path);
    migrate(first);
    first.prepare("INSERT INTO kv (key, value) VALUES ('cursor', '7')").run();
    first.close();
    const again = new Database(path);
    migrate(again);
    expect(again.prepare("SELECT value FROM kv WHERE key = 'cursor'").get()).toEqual({ value: '7' });
    again.close();
  });

  it('refuses a cache written by a newer version of the app', () => {
    const path = tempDb();
    const db = new Database(path);
    db.pragma(`user_version = ${latestVersion + 10}`);
    expect(() => migrate(db)).toThrow(/newer than this app understands/);
    db.close();
  });
});
