import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SendFields } from '../../../../shared/protocol';
import { migrate } from '../local-cache';
import * as m0010 from './0010-initial';
import * as m0020 from './0020-directory';
import { latestVersion } from './index';

const dirs: string[] = [];
function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'qixin-mig-'));
  dirs.push(dir);
  return join(dir, 'cache.db');
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const conversationId = '0190a5b2-7c3e-7d41-8a2b-3c4d5e6f7a8b';

function version20() {
  const db = new Database(tempDb());
  m0010.up(db);
  m0020.up(db);
  db.pragma('user_version = 20');
  return db;
}

describe('migration 0030-messaging', () => {
  it('upgrades a version-20 cache: messages and conversations kept with empty new fields', () => {
    const db = version20();
    db.prepare(
      `INSERT INTO messages (id, conversation_id, seq, sender_id, kind, text, system, created_at)
       VALUES ('m1', ?, 1, 'u1', 'text', '上海见', NULL, 5)`,
    ).run(conversationId);
    db.prepare(
      `INSERT INTO conversations (id, type, name, owner_id, member_ids, created_at, last_seq, last_activity_at,
         read_seq, pinned, muted, active) VALUES (?, 'group', '项目群', 'u1', '["u1"]', 1, 1, 5, 0, 0, 0, 1)`,
    ).run(conversationId);
    db.prepare('INSERT INTO conversation_sync (conversation_id, synced_seq) VALUES (?, 1)').run(conversationId);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(db.prepare('SELECT * FROM messages').get()).toMatchObject({
      text: '上海见',
      body: null,
      quote: null,
      mentions: '[]',
      mention_all: 0,
      forwarded: 0,
      reactions: '[]',
      recalled_at: null,
      recalled_text: null,
      rev: 0,
      hidden: 0,
    });
    expect(db.prepare('SELECT * FROM conversations').get()).toMatchObject({
      name: '项目群',
      admin_ids: '[]',
      last_rev: 0,
      announcement: null,
      welcome: '',
      mute_all: 0,
      managers_only: 0,
      dissolved: 0,
      tags: '[]',
    });
    expect(db.prepare('SELECT synced_seq, synced_rev FROM conversation_sync').get()).toEqual({
      synced_seq: 1,
      synced_rev: 0,
    });
    db.close();
  });

  it('turns a text queued by the older version into a whole send that still goes out', () => {
    const db = version20();
    db.prepare(
      `INSERT INTO outbox (id, conversation_id, text, created_at)
       VALUES ('0190a5b2-7c3e-7d41-8a2b-3c4d5e6f7a8c', ?, '报销单已提交', 7)`,
    ).run(conversationId);
    migrate(db);
    const row = db.prepare('SELECT send, status, error FROM outbox').get() as { send: string; status: string };
    expect(row).toMatchObject({ status: 'pending', error: null });
    // The stored send parses as the wire's SendFields: the outbox sends it unchanged.
    expect(SendFields.parse(JSON.parse(row.send))).toEqual({
      conversationId,
      kind: 'text',
      text: '报销单已提交',
      body: null,
      quoteId: null,
      mentions: [],
      mentionAll: false,
      forward: null,
    });
    db.close();
  });

  it('lists favorites newest saved first straight from their index', () => {
    const db = version20();
    migrate(db);
    const plan = (
      db.prepare('EXPLAIN QUERY PLAN SELECT * FROM favorites ORDER BY saved_at DESC, id DESC LIMIT 200').all() as {
        detail: string;
      }[]
    )
      .map((p) => p.detail)
      .join(' | ');
    expect(plan).toContain('favorites_saved');
    expect(plan).not.toContain('TEMP B-TREE');
    db.close();
  });
});
