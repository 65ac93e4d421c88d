import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../../../shared/lib/ids';
import { migrate } from '../local-cache';
import { indexCachedMessages, matchExpression, searchCachedMessages } from '../message-search';
import { latestVersion, migrations } from './index';

const dirs: string[] = [];
function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'qixin-mig-'));
  dirs.push(dir);
  return new Database(join(dir, 'cache.db'));
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A cache at version 30, the schema before search. */
function version30(db: Database.Database) {
  for (const m of migrations.filter((m) => m.version <= 30)) {
    m.up(db);
    db.pragma(`user_version = ${m.version}`);
  }
}

const conversationId = newId();
const senderId = newId();
function insert(
  db: Database.Database,
  seq: number,
  fields: { text: string; kind?: string; hidden?: number; recalledAt?: number | null; createdAt?: number },
) {
  const id = newId();
  db.prepare(
    `INSERT INTO messages (id, conversation_id, seq, sender_id, kind, text, system, created_at, hidden, recalled_at)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
  ).run(
    id,
    conversationId,
    seq,
    senderId,
    fields.kind ?? 'text',
    fields.text,
    fields.createdAt ?? 1000 + seq,
    fields.hidden ?? 0,
    fields.recalledAt ?? null,
  );
  return id;
}
const found = (db: Database.Database, query: string) =>
  searchCachedMessages(db, { query, before: null, limit: 50 }).hits.map((h) => h.id);

describe('migration 0040-search', () => {
  it('indexes the messages a version-30 cache holds, except system notices, deleted and recalled ones', () => {
    const db = tempDb();
    version30(db);
    const plain = insert(db, 1, { text: '明天去上海出差' });
    const sameMs = insert(db, 2, { text: '上海见', createdAt: 1001 });
    insert(db, 3, { text: '上海 system', kind: 'system' });
    insert(db, 4, { text: '上海 hidden', hidden: 1 });
    insert(db, 5, { text: '', recalledAt: 2000 });
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    // Same millisecond: newest first by id among them; both have distinct keys.
    expect(new Set(found(db, '上海'))).toEqual(new Set([plain, sameMs]));
    const keys = db
      .prepare('SELECT search_key FROM messages WHERE search_key IS NOT NULL ORDER BY search_key')
      .pluck()
      .all();
    expect(keys).toEqual([1001 * 1024, 1001 * 1024 + 1]);
    expect(found(db, '海')).toHaveLength(2);
    db.close();
  });

  it('a deleted row, a hidden one and a recalled one leave the index by themselves (triggers)', () => {
    const db = tempDb();
    migrate(db);
    const ids = [1, 2, 3].map((seq) => insert(db, seq, { text: `报销单${seq}` }));
    const rows = db
      .prepare(
        'SELECT rowid, id, conversation_id AS conversationId, sender_id AS senderId, kind, text, body, created_at AS createdAt FROM messages',
      )
      .all();
    // As LocalCache does after storing: the rows are indexed in the same transaction.
    indexCachedMessages(db, rows as never);
    expect(new Set(found(db, '报销'))).toEqual(new Set(ids));
    db.prepare('DELETE FROM messages WHERE id = ?').run(ids[0]);
    db.prepare('UPDATE messages SET hidden = 1 WHERE id = ?').run(ids[1]);
    expect(found(db, '报销')).toEqual([ids[2]]);
    db.prepare("UPDATE messages SET recalled_at = 5, text = '' WHERE id = ?").run(ids[2]);
    expect(found(db, '报销')).toEqual([]);
    expect(found(db, '单')).toEqual([]);
    db.close();
  });

  it('reads a page from the index in time order and joins each hit by its key (no sort step)', () => {
    const db = tempDb();
    migrate(db);
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN
      SELECT m.id FROM message_fts f JOIN messages m ON m.search_key = f.rowid
      WHERE f.message_fts MATCH ? AND f.rowid >= ? AND f.rowid < ? ORDER BY f.rowid DESC`,
        )
        .all(matchExpression('上海', {}), 0, 10) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toMatch(/SCAN f VIRTUAL TABLE/);
    expect(plan).toContain('messages_search_key');
    expect(plan).not.toContain('TEMP B-TREE');
    db.close();
  });
});
