import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../../../shared/lib/ids';
import { newTransferRow } from '../../files/transfer-row';
import { migrate, openLocalCache } from '../local-cache';
import { latestVersion, migrations } from './index';

const dirs: string[] = [];
function tempPath() {
  const dir = mkdtempSync(join(tmpdir(), 'qixin-mig-'));
  dirs.push(dir);
  return join(dir, 'cache.db');
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const conversationId = newId();
const userId = newId();

/** A cache at version 40 holding a queued text message: the schema before transfers. */
function version40(file: string) {
  const db = new Database(file);
  for (const m of migrations.filter((m) => m.version <= 40)) {
    m.up(db);
    db.pragma(`user_version = ${m.version}`);
  }
  db.prepare(`INSERT INTO outbox (id, conversation_id, text, send, created_at) VALUES (?, ?, '你好', ?, 1)`).run(
    newId(),
    conversationId,
    JSON.stringify({
      conversationId,
      kind: 'text',
      text: '你好',
      body: null,
      quoteId: null,
      mentions: [],
      mentionAll: false,
      forward: null,
    }),
  );
  return db;
}

describe('migration 0050-transfers', () => {
  it('upgrades a version-40 cache: an empty transfers table, queued sends still go', () => {
    const file = tempPath();
    const db = version40(file);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(db.prepare('SELECT count(*) AS n FROM transfers').get()).toEqual({ n: 0 });
    db.close();
    const cache = openLocalCache({ path: file });
    expect(cache.read.outboxAfter(0, 10).map((r) => r.send.text)).toEqual(['你好']);
    cache.close();
  });

  it('keeps a transfer across a reopen, and holds its file message until the upload is done', () => {
    const file = tempPath();
    let cache = openLocalCache({ path: file });
    const send = {
      conversationId,
      kind: 'file' as const,
      text: '',
      body: {
        kind: 'file' as const,
        mediaId: newId(),
        driveNodeId: null,
        name: '季度报告 📊.xlsx',
        size: 3,
        mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        sha256: '',
        expiresAt: null,
      },
      quoteId: null,
      mentions: [],
      mentionAll: false,
      forward: null,
    };
    const message = cache.write.enqueue({ id: newId(), send, createdAt: 1 });
    const row = newTransferRow({
      id: newId(),
      userId,
      direction: 'upload',
      state: 'running',
      name: '季度报告 📊.xlsx',
      size: 3,
      mime: send.body.mime,
      conversationId,
      messageId: message.id,
      mediaId: send.body.mediaId,
      sourcePath: '/home/zhang/季度报告 📊.xlsx',
    });
    cache.transfers.insert(row);
    cache.transfers.update(row.id, { done: 2, uploadUrl: 'http://relay/api/files/uploads/abc' });
    expect(cache.read.outboxAfter(0, 10)).toEqual([]);
    cache.close();

    cache = openLocalCache({ path: file });
    expect(cache.transfers.get(row.id)).toMatchObject({
      name: '季度报告 📊.xlsx',
      state: 'running',
      done: 2,
      uploadUrl: 'http://relay/api/files/uploads/abc',
      error: null,
      instant: false,
    });
    expect(cache.transfers.inStates(userId, ['running']).map((r) => r.id)).toEqual([row.id]);
    expect(cache.transfers.forMessage(message.id)?.id).toBe(row.id);
    cache.transfers.update(row.id, { state: 'done', done: 3, instant: true });
    expect(cache.read.outboxAfter(0, 10).map((r) => r.id)).toEqual([message.id]);
    cache.close();
  });

  it('keeps a failure with its reason and forgets the rows of the previous user on wipe', () => {
    const cache = openLocalCache({ path: tempPath() });
    const row = newTransferRow({
      id: newId(),
      userId,
      direction: 'download',
      state: 'queued',
      name: 'a.bin',
      size: 10,
      mime: 'application/octet-stream',
      mediaId: newId(),
    });
    cache.transfers.insert(row);
    const failed = cache.transfers.update(row.id, {
      state: 'failed',
      error: { code: 'not_found', message: 'expired', reason: 'file_expired' },
    });
    expect(failed.error).toEqual({ code: 'not_found', message: 'expired', reason: 'file_expired' });
    expect(cache.transfers.latestDownload(userId, { mediaId: row.mediaId! })?.id).toBe(row.id);
    cache.write.wipe();
    expect(cache.transfers.get(row.id)).toBeNull();
    cache.close();
  });
});
