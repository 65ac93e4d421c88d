// Crashes at the worst moments: the relay SIGKILLed while an outbox of 1,000 flushes, and a
// desktop core SIGKILLed between send and ack. Afterwards every message exists exactly once,
// in the order it was written, for the sender and every receiver.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../shared/contract';
import { history, online, removeTempDirs, startTestCore, tempDir, waitFor, type TestCore } from '../support/core';
import { startRelayChild, type RelayChild } from '../support/core-relay';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let relay: RelayChild;
let zhang: TestCore;
let li: TestCore;
let wang: TestCore;
let groupId = '';

const withPrefix = (messages: ChatMessage[], prefix: string) => messages.filter((m) => m.text.startsWith(`${prefix} `));
const numbers = (messages: ChatMessage[]) => messages.map((m) => Number(m.text.split(' ')[1]));
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Every message once, in seq order, seq without holes, texts in the order written. */
function expectExactlyOnceInOrder(messages: ChatMessage[], prefix: string, n: number) {
  const mine = withPrefix(messages, prefix);
  expect(numbers(mine)).toEqual(oneToN(n));
  expect(new Set(mine.map((m) => m.id)).size).toBe(n);
  const seqs = messages.map((m) => m.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a! - b!));
  expect(seqs).toEqual(oneToN(seqs.length).map((i) => i + (seqs[0]! - 1)));
}

beforeAll(async () => {
  relay = await startRelayChild();
  zhang = await startTestCore(relay.url);
  await zhang.call('session.createEnterprise', {
    enterpriseName: '故障测试',
    adminName: '张三',
    account: 'zhangsan',
    password: 'password-zhang',
  });
  const liId = (await zhang.call('directory.addMember', { name: '李四', account: 'lisi', password: 'password-li' }))
    .user.id;
  const wangId = (
    await zhang.call('directory.addMember', { name: '王五', account: 'wangwu', password: 'password-wang' })
  ).user.id;
  li = await startTestCore(relay.url);
  wang = await startTestCore(relay.url);
  await li.call('session.signIn', { login: 'lisi', password: 'password-li' });
  await wang.call('session.signIn', { login: 'wangwu', password: 'password-wang' });
  await Promise.all([zhang, li, wang].map(online));
  groupId = (await zhang.call('conversations.createGroup', { memberIds: [liId, wangId], name: '压测' })).conversation
    .id;
  await waitFor(async () => (await li.call('conversations.list')).conversations.some((c) => c.id === groupId));
  await waitFor(async () => (await wang.call('conversations.list')).conversations.some((c) => c.id === groupId));
});

afterAll(async () => {
  await Promise.all([zhang, li, wang].map((c) => c?.close()));
  await relay?.close();
  removeTempDirs();
});

describe('faults', () => {
  it('loses and duplicates nothing when the relay is killed while 1,000 queued messages flush', async () => {
    await relay.kill();
    for (let i = 1; i <= 1000; i++) await zhang.call('messages.send', { conversationId: groupId, text: `批量 ${i}` });
    expect(withPrefix(await history(zhang, groupId), '批量').every((m) => m.status === 'sending')).toBe(true);

    await relay.start();
    // Kill it again while the outbox is part-way through.
    await waitFor(
      async () => {
        const n = withPrefix(await history(li, groupId), '批量').length;
        return n >= 100 && n < 1000;
      },
      { intervalMs: 10, what: 'flush under way' },
    );
    await relay.kill();
    await relay.start();

    for (const core of [zhang, li, wang]) {
      await waitFor(
        async () => {
          const mine = withPrefix(await history(core, groupId), '批量');
          return mine.length >= 1000 && mine.every((m) => m.status === 'sent');
        },
        { timeoutMs: 40_000, what: 'all 1,000 delivered' },
      );
    }
    for (const core of [zhang, li, wang]) expectExactlyOnceInOrder(await history(core, groupId), '批量', 1000);
    const order = (await history(zhang, groupId)).map((m) => m.id);
    expect((await history(li, groupId)).map((m) => m.id)).toEqual(order);
    expect((await history(wang, groupId)).map((m) => m.id)).toEqual(order);
  }, 90_000);

  it('loses and duplicates nothing when a desktop core is killed between send and ack', async () => {
    // 王五's device runs in its own process on a data dir that already holds his session.
    const dataDir = tempDir();
    const setup = await startTestCore(relay.url, { dataDir });
    await setup.call('session.signIn', { login: 'wangwu', password: 'password-wang' });
    await online(setup);
    await waitFor(async () => (await setup.call('conversations.list')).conversations.some((c) => c.id === groupId));
    await setup.close();

    const first = runCore(dataDir, [groupId, '600', '崩溃']);
    await first.line((l) => 'queued' in l);
    await waitFor(
      async () => {
        const n = withPrefix(await history(li, groupId), '崩溃').length;
        return n >= 50 && n < 600;
      },
      { intervalMs: 5, what: 'flush under way' },
    );
    first.proc.kill('SIGKILL');
    await first.exited;
    const deliveredBeforeCrash = withPrefix(await history(li, groupId), '崩溃').length;
    expect(deliveredBeforeCrash).toBeLessThan(600);

    const second = runCore(dataDir, [groupId]);
    await second.line((l) => 'idle' in l, 40_000);
    second.proc.kill('SIGTERM');
    await second.exited;

    await waitFor(async () => withPrefix(await history(li, groupId), '崩溃').length >= 600, { timeoutMs: 20_000 });
    expectExactlyOnceInOrder(await history(li, groupId), '崩溃', 600);
    const sender = await startTestCore(relay.url, { dataDir });
    await online(sender);
    const own = await history(sender, groupId);
    expectExactlyOnceInOrder(own, '崩溃', 600);
    expect(withPrefix(own, '崩溃').every((m) => m.status === 'sent')).toBe(true);
    await sender.close();
  }, 90_000);
});

function runCore(dataDir: string, extra: string[]) {
  const proc: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'tests/support/core-process.ts'), dataDir, relay.url, ...extra],
    { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines: Record<string, unknown>[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: proc.stdout! }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text) as Record<string, unknown>);
      waiters.splice(0).forEach((w) => w());
    } catch {
      // not ours
    }
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    exited,
    line: (match: (l: Record<string, unknown>) => boolean, timeoutMs = 30_000) =>
      waitFor(() => lines.some(match), { timeoutMs, intervalMs: 10, what: 'child core output' }),
  };
}
