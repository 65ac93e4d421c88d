// The relay as operators run it (server/main.ts as a process): it announces its port,
// survives SIGKILL without losing or duplicating messages, and stops cleanly on SIGTERM.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import {
  createEnterprise,
  createTestDatabase,
  newId,
  openClient,
  REDIS_URL,
  startRelayProcess,
  tempDir,
  testStore,
  type RelayProcess,
} from '../support/relay';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

async function storeEnv(): Promise<Record<string, string>> {
  const dataDir = tempDir();
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env: Record<string, string> = { DATA_DIR: dataDir };
  if (testStore() === 'postgres') {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    Object.assign(env, {
      DATABASE_URL: db.url,
      REDIS_URL,
      QIXIN_BUS_CHANNEL: `qixin:test:${randomBytes(6).toString('hex')}`,
    });
  }
  return env;
}

it('keeps every acknowledged message across a SIGKILL and restarts on the same port', async () => {
  const relay: RelayProcess = await startRelayProcess(await storeEnv());
  cleanups.push(() => relay.kill('SIGKILL'));
  const grant = await createEnterprise(relay.url);
  let client = await openClient(relay.url, grant);
  const { conversation } = await client.request('conv.create', {
    type: 'group',
    memberIds: [grant.user.id],
    name: '备忘',
  });
  const ids = Array.from({ length: 20 }, () => newId());
  for (const [i, id] of ids.entries())
    await client.request('msg.send', { id, conversationId: conversation.id, text: `${i}` });

  expect(await relay.kill('SIGKILL')).toBe('SIGKILL');
  await client.closed;
  const port = relay.port;
  await relay.restart();
  expect(relay.port).toBe(port);

  // The old session still works, history is intact, and a resent message is not duplicated.
  client = await openClient(relay.url, grant);
  const again = await client.request('msg.send', { id: ids[5]!, conversationId: conversation.id, text: '5' });
  expect(again.message.seq).toBe(7);
  const history = await client.request('msg.range', { conversationId: conversation.id, afterSeq: 0, limit: 100 });
  expect(history.messages.slice(1).map((m) => m.id)).toEqual(ids);
  await client.close();

  expect(await relay.kill('SIGTERM')).toBe(0);
});

it('tells a parent process its port over IPC', async () => {
  const env = await storeEnv();
  const child = fork(path.resolve('server/main.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  cleanups.push(async () => child.kill('SIGKILL'));
  const message = await new Promise<{ type: string; port: number }>((resolve) =>
    child.once('message', resolve as never),
  );
  expect(message.type).toBe('listening');
  const res = await fetch(`http://127.0.0.1:${message.port}/healthz`);
  expect(res.status).toBe(200);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});
