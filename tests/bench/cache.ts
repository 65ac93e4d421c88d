// Cache benchmark: a desktop cache holding 1,000,000 messages (one chat of 100,000, the rest
// spread over 90 chats). Measures the core's start and the first page of the big chat, next
// to the same page read straight from SQLite (the floor no cache layer can beat).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startDesktopCore } from '../../main/core/desktop-core';
import { openLocalCache } from '../../main/core/cache/local-cache';
import { SESSION_KEY } from '../../main/core/sync/sync';
import { dispatchCall } from '../../shared/contract';
import type { Conversation, Message, User } from '../../shared/protocol';
import { newId } from '../../shared/lib/ids';

export interface CacheOptions {
  totalMessages: number;
  bigChatMessages: number;
  otherChats: number;
  runs: number;
}

export interface CacheResult {
  totalMessages: number;
  coreStartMs: { median: number; max: number };
  firstPageMs: { median: number; max: number };
  rawFirstPageMs: { median: number; max: number };
  conversationListMs: { median: number; max: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const stats = (xs: number[]) => ({ median: median(xs), max: Math.max(...xs) });

function fill(dataDir: string, options: CacheOptions, log: (line: string) => void) {
  const cache = openLocalCache({ path: path.join(dataDir, 'cache.db') });
  const now = Date.now();
  const users: User[] = Array.from({ length: 50 }, (_, i) => ({
    id: newId(),
    account: `user${i}`,
    name: `同事${i}`,
    mobile: null,
    email: null,
    role: i === 0 ? 'admin' : 'member',
    createdAt: now,
  }));
  const self = users[0]!;
  const chats: Conversation[] = Array.from({ length: options.otherChats + 1 }, (_, i) => ({
    id: newId(),
    type: 'group',
    name: `项目群${i}`,
    ownerId: self.id,
    memberIds: users.slice(0, 10).map((u) => u.id),
    createdAt: now,
    lastSeq: 0,
    lastActivityAt: now,
    readSeq: 0,
    pinned: false,
    muted: false,
    active: true,
  }));
  cache.transaction(() => {
    for (const u of users) cache.write.upsertUser(u);
    for (const c of chats) cache.write.upsertConversation(c, self.id);
    cache.write.setKv(SESSION_KEY, {
      // A session for a relay that is not running: the core must start from the cache alone.
      token: 'bench-token',
      deviceId: newId(),
      user: self,
      enterprise: { id: newId(), name: '基准测试有限公司', createdAt: now },
    });
  });
  const perOther = Math.floor((options.totalMessages - options.bigChatMessages) / options.otherChats);
  const plan = chats.map((c, i) => ({ chat: c, count: i === 0 ? options.bigChatMessages : perOther }));
  let written = 0;
  for (const { chat, count } of plan) {
    for (let from = 1; from <= count; from += 10_000) {
      const batch: Message[] = [];
      for (let seq = from; seq < Math.min(from + 10_000, count + 1); seq++) {
        batch.push({
          id: newId(),
          conversationId: chat.id,
          seq,
          senderId: users[seq % users.length]!.id,
          kind: 'text',
          text: `第${seq}条消息：今天下午三点在3号会议室讨论报销流程和部署计划。`,
          system: null,
          createdAt: now - (count - seq) * 1000,
        });
      }
      cache.write.insertMessages(batch, self.id);
      written += batch.length;
    }
    if (written % 200_000 < perOther) log(`cache: ${written.toLocaleString()} messages written`);
  }
  cache.close();
  return { bigChatId: chats[0]!.id };
}

export async function benchCache(options: CacheOptions, log: (line: string) => void): Promise<CacheResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'qixin-bench-cache-'));
  try {
    const { bigChatId } = fill(dataDir, options, log);
    const starts: number[] = [];
    const pages: number[] = [];
    const lists: number[] = [];
    const raw: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      const t0 = performance.now();
      const core = await startDesktopCore({
        dataDir,
        relayUrl: 'http://127.0.0.1:9', // discard port: nothing listens, the core works offline
        deviceName: 'bench',
        mode: 'browser',
        reconnect: { baseMs: 60_000, capMs: 60_000 },
      });
      const status = await dispatchCall(core.service, 'session.status', {});
      starts.push(performance.now() - t0);
      if (!status.ok || (status.value as { state: string }).state !== 'signed-in')
        throw new Error('core did not start signed in');

      const t1 = performance.now();
      const page = await dispatchCall(core.service, 'messages.page', { conversationId: bigChatId, limit: 50 });
      pages.push(performance.now() - t1);
      if (!page.ok || (page.value as { messages: unknown[] }).messages.length !== 50) throw new Error('bad first page');

      const t2 = performance.now();
      await dispatchCall(core.service, 'conversations.list', {});
      lists.push(performance.now() - t2);
      await core.close();

      const db = new Database(path.join(dataDir, 'cache.db'), { readonly: true });
      const t3 = performance.now();
      db.prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT 50').all(bigChatId);
      raw.push(performance.now() - t3);
      db.close();
    }
    return {
      totalMessages: options.totalMessages,
      coreStartMs: stats(starts),
      firstPageMs: stats(pages),
      rawFirstPageMs: stats(raw),
      conversationListMs: stats(lists),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
