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
import { dispatchCall, type EventPayload } from '../../shared/contract';
import type { Conversation, Message, User } from '../../shared/protocol';
import { newId } from '../../shared/lib/ids';
import { startRelayProcess } from '../support/relay';
import { testUser } from '../../shared/protocol/user.test-fixture';

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

/** A member profile as the relay sends it. */
const member = (fields: Pick<User, 'account' | 'name' | 'departmentIds'> & Partial<User>): User =>
  testUser(newId(), fields.name, { createdAt: Date.now(), ...fields });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const stats = (xs: number[]) => ({ median: median(xs), max: Math.max(...xs) });

/** The messaging fields (protocol 4) at their defaults: plain text chats. */
const groupDefaults = {
  adminIds: [],
  lastRev: 0,
  announcement: null,
  welcome: '',
  muteAll: false,
  managersOnly: false,
  dissolved: false,
  tags: [],
};
const messageDefaults = {
  body: null,
  quote: null,
  mentions: [],
  mentionAll: false,
  forwarded: false,
  reactions: [],
  recalledAt: null,
  rev: 0,
  hidden: false,
};

function fill(dataDir: string, options: CacheOptions, log: (line: string) => void) {
  const cache = openLocalCache({ path: path.join(dataDir, 'cache.db') });
  const now = Date.now();
  const rootId = newId();
  const users: User[] = Array.from({ length: 50 }, (_, i) =>
    member({ account: `user${i}`, name: `同事${i}`, departmentIds: [rootId], role: i === 0 ? 'admin' : 'member' }),
  );
  const self = users[0]!;
  const chats: Conversation[] = Array.from({ length: options.otherChats + 1 }, (_, i) => ({
    ...groupDefaults,
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
      enterprise: { id: rootId, name: '基准测试有限公司', createdAt: now },
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
          ...messageDefaults,
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

// --- the directory in the cache ---------------------------------------------------------------

export interface DirectoryCacheOptions {
  members: number;
  departments: number;
  /** Direct members of the one big department. */
  bigDepartment: number;
  runs: number;
}

export interface DirectoryCacheResult {
  members: number;
  departments: number;
  /** Storing the directory as first sign-in does: pages of 1,000, one transaction each. */
  fillMs: number;
  firstPageMs: { median: number; max: number };
  middleWindowMs: { median: number; max: number };
  rawFirstPageMs: { median: number; max: number };
  searchMs: Record<string, { median: number; max: number; found: number }>;
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩凯晨欣怡梓涵子轩一诺雨桐思远嘉怡俊杰';

/** A deterministic Chinese name: surname + one or two given characters. */
function chineseName(i: number): string {
  const s = SURNAMES[i % SURNAMES.length]!;
  const g1 = GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]!;
  const g2 = i % 3 === 0 ? '' : GIVEN[Math.floor(i / 7) % GIVEN.length]!;
  return s + g1 + g2;
}

export async function benchDirectoryCache(
  options: DirectoryCacheOptions,
  log: (line: string) => void,
): Promise<DirectoryCacheResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'qixin-bench-dir-'));
  try {
    const cache = openLocalCache({ path: path.join(dataDir, 'cache.db') });
    const now = Date.now();
    const rootId = newId();
    const departments = Array.from({ length: options.departments }, (_, i) => ({
      id: i === 0 ? rootId : newId(),
      parentId: i === 0 ? null : rootId,
      name: i === 0 ? '基准测试有限公司' : `部门${i}`,
      order: i,
      headIds: [],
      hidden: false,
      depth: i === 0 ? 0 : 1,
    }));
    const big = departments[1]!;
    const users = Array.from({ length: options.members }, (_, i) =>
      member({
        account: `user${i}`,
        name: chineseName(i),
        mobile: `138${String(i).padStart(8, '0')}`,
        email: `user${i}@example.com`,
        departmentIds: [i < options.bigDepartment ? big.id : departments[2 + (i % (options.departments - 2))]!.id],
      }),
    );
    const self = users[options.bigDepartment]!;
    const t0 = performance.now();
    cache.transaction(() => departments.forEach((d) => cache.write.upsertDepartment(d)));
    for (let i = 0; i < users.length; i += 1000) {
      cache.write.upsertUsers(users.slice(i, i + 1000));
    }
    const fillMs = performance.now() - t0;
    log(`directory cache: ${options.members.toLocaleString()} members stored in ${Math.round(fillMs)} ms`);
    cache.write.setKv(SESSION_KEY, {
      token: 'bench-token',
      deviceId: newId(),
      user: self,
      enterprise: { id: rootId, name: '基准测试有限公司', createdAt: now },
    });
    cache.close();

    const core = await startDesktopCore({
      dataDir,
      relayUrl: 'http://127.0.0.1:9', // nothing listens: the answers come from the cache alone
      deviceName: 'bench',
      mode: 'browser',
      reconnect: { baseMs: 60_000, capMs: 60_000 },
    });
    const timed = async (name: Parameters<typeof dispatchCall>[1], args: unknown) => {
      const t = performance.now();
      const result = await dispatchCall(core.service, name, args);
      const ms = performance.now() - t;
      if (!result.ok) throw new Error(`${String(name)}: ${result.error.message}`);
      return { ms, value: result.value as { users: unknown[]; total?: number } };
    };
    const firsts: number[] = [];
    const middles: number[] = [];
    const raw: number[] = [];
    const queries = ['zs', 'zhang', '张', '王伟', '13800001', 'user123', 'user4@'];
    const searches = new Map<string, { times: number[]; found: number }>(
      queries.map((q) => [q, { times: [], found: 0 }]),
    );
    for (let run = 0; run < options.runs; run++) {
      const first = await timed('directory.members', { departmentId: big.id, offset: 0, limit: 100 });
      if (first.value.users.length !== 100 || first.value.total !== options.bigDepartment)
        throw new Error('bad first page');
      firsts.push(first.ms);
      const middle = await timed('directory.members', {
        departmentId: big.id,
        offset: Math.floor(options.bigDepartment / 2),
        limit: 100,
      });
      middles.push(middle.ms);
      for (const q of queries) {
        const { ms, value } = await timed('directory.search', { query: q, limit: 50 });
        const entry = searches.get(q)!;
        entry.times.push(ms);
        entry.found = value.users.length;
      }
    }
    await core.close();
    const db = new Database(path.join(dataDir, 'cache.db'), { readonly: true });
    const statement = db.prepare(
      `SELECT u.* FROM user_departments d JOIN users u ON u.id = d.user_id
       WHERE d.department_id = ? ORDER BY d.pinyin, d.user_id LIMIT 100`,
    );
    for (let run = 0; run < options.runs; run++) {
      const t = performance.now();
      statement.all(big.id);
      raw.push(performance.now() - t);
    }
    db.close();
    return {
      members: options.members,
      departments: options.departments,
      fillMs,
      firstPageMs: stats(firsts),
      middleWindowMs: stats(middles),
      rawFirstPageMs: stats(raw),
      searchMs: Object.fromEntries([...searches].map(([q, e]) => [q, { ...stats(e.times), found: e.found }])),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// --- first sign-in on a large enterprise ----------------------------------------------------

export interface FirstSignInOptions {
  members: number;
  departments: number;
}

export interface FirstSignInResult {
  members: number;
  /** From session.signIn until the cache holds every profile (50 pages of 1,000 at 50,000). */
  directoryMs: number;
  /** `directory.changed` events the renderer got meanwhile (coalesced, not one per row). */
  changedEvents: number;
  /** The first page of the largest department, once synced. */
  firstPageMs: number;
}

/**
 * A relay (a child process) whose directory was filled by an import through an admin's core,
 * then a second device signing in with an empty cache: how long until its directory is complete.
 */
export async function benchFirstSignIn(
  options: FirstSignInOptions,
  log: (line: string) => void,
): Promise<FirstSignInResult> {
  const root = mkdtempSync(path.join(tmpdir(), 'qixin-bench-signin-'));
  // The relay in its own process, as on a server: its work and the core's do not share a thread.
  const relay = await startRelayProcess({ DATA_DIR: path.join(root, 'relay') });
  const cores: Awaited<ReturnType<typeof startDesktopCore>>[] = [];
  const open = async (name: string) => {
    const core = await startDesktopCore({
      dataDir: path.join(root, name),
      relayUrl: relay.url,
      deviceName: name,
      mode: 'browser',
    });
    cores.push(core);
    return core;
  };
  const call = async (core: Awaited<ReturnType<typeof startDesktopCore>>, name: string, args: unknown) => {
    const result = await dispatchCall(core.service, name, args);
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value as Record<string, unknown>;
  };
  try {
    const admin = await open('admin');
    await call(admin, 'session.createEnterprise', {
      enterpriseName: '基准测试有限公司',
      adminName: '管理员',
      account: 'admin',
      password: 'admin-password-1',
    });
    const lines = ['姓名,账号,部门,手机'];
    for (let i = 0; i < options.members; i++) {
      lines.push(`${chineseName(i)},user${i},部门${i % options.departments},1${String(3000000000 + i)}`);
    }
    const job = new Promise<void>((resolve, reject) => {
      admin.onEvent((name, payload) => {
        if (name !== 'admin.import') return;
        const { job } = payload as EventPayload<'admin.import'>;
        if (job.state === 'ready') void call(admin, 'admin.import.apply', { jobId: job.id }).catch(reject);
        if (job.state === 'done') resolve();
        if (job.state === 'failed' || job.state === 'cancelled') reject(new Error(`import ${job.state}`));
      });
    });
    const t0 = performance.now();
    await call(admin, 'admin.import.start', {
      fileName: 'members.csv',
      base64: Buffer.from(lines.join('\n'), 'utf8').toString('base64'),
      mode: 'add',
      createDepartments: true,
    });
    await job;
    log(
      `first sign-in: ${options.members.toLocaleString()} members imported in ${Math.round(performance.now() - t0)} ms`,
    );

    const device = await open('second-device');
    let changedEvents = 0;
    device.onEvent((name) => {
      if (name === 'directory.changed') changedEvents += 1;
    });
    const cacheFile = path.join(root, 'second-device', 'cache.db');
    const t1 = performance.now();
    await call(device, 'session.signIn', { login: 'admin', password: 'admin-password-1' });
    const db = new Database(cacheFile, { readonly: true });
    const count = db.prepare('SELECT count(*) AS n FROM users');
    while ((count.get() as { n: number }).n < options.members + 1) {
      if (performance.now() - t1 > 300_000) throw new Error('the directory did not arrive within 5 minutes');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const directoryMs = performance.now() - t1;
    db.close();
    const departments = (await call(device, 'directory.departments', {})).departments as { id: string }[];
    const t2 = performance.now();
    await call(device, 'directory.members', { departmentId: departments[1]!.id, offset: 0, limit: 100 });
    const firstPageMs = performance.now() - t2;
    return { members: options.members, directoryMs, changedEvents, firstPageMs };
  } finally {
    for (const core of cores) await core.close();
    await relay.kill();
    rmSync(root, { recursive: true, force: true });
  }
}
