// Desktop cores for integration tests: each in its own temp dir, driven through the same
// dispatcher every real transport uses, with every emitted event recorded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  dispatchCall,
  type CallArgs,
  type CallName,
  type CallResult,
  type ChatMessage,
  type ConversationItem,
  type EventName,
  type EventPayload,
} from '../../shared/contract';
import { QixinError } from '../../shared/protocol';
import { startDesktopCore, type DesktopCore } from '../../main/core/desktop-core';

export type RecordedEvent = { name: EventName; payload: unknown; at: number };

export interface TestCore {
  core: DesktopCore;
  dataDir: string;
  events: RecordedEvent[];
  call<N extends CallName>(name: N, args?: CallArgs<N>): Promise<CallResult<N>>;
  eventsOf<N extends EventName>(name: N): EventPayload<N>[];
  /** Closes the core; the data dir stays (a restart can reuse it) unless `wipe`. */
  close(opts?: { wipe?: boolean }): Promise<void>;
}

const dirs = new Set<string>();

export function tempDir(prefix = 'qixin-core-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

/** Removes every temp dir handed out so far. */
export function removeTempDirs(): void {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

export async function startTestCore(
  relayUrl: string,
  opts: { dataDir?: string; deviceName?: string; now?: () => number } = {},
): Promise<TestCore> {
  const dataDir = opts.dataDir ?? tempDir();
  const core = await startDesktopCore({
    dataDir,
    relayUrl,
    deviceName: opts.deviceName ?? 'test device',
    mode: 'browser',
    reconnect: { baseMs: 50, capMs: 400 },
    heartbeatMs: 2_000,
    requestTimeoutMs: 10_000,
    now: opts.now,
  });
  const events: RecordedEvent[] = [];
  core.onEvent((name, payload) => events.push({ name, payload, at: Date.now() }));
  return {
    core,
    dataDir,
    events,
    async call(name, args) {
      const result = await dispatchCall(core.service, name, args ?? {});
      if (!result.ok) throw QixinError.from(result.error);
      return result.value as never;
    },
    eventsOf(name) {
      return events.filter((e) => e.name === name).map((e) => e.payload as never);
    },
    async close(closeOpts = {}) {
      await core.close();
      if (closeOpts.wipe) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a truthy value (or stops throwing), then returns it. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out waiting for ${opts.what ?? 'condition'} (last: ${detail})`);
    }
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 25));
  }
}

/** Waits until the core reports it is online. */
export function online(core: TestCore): Promise<boolean> {
  return waitFor(
    () => {
      const states = core.eventsOf('connection');
      return states[states.length - 1]?.state === 'online';
    },
    { what: 'core online' },
  );
}

/** The conversation's messages as one core shows them (all pages, oldest first). */
export async function history(core: TestCore, conversationId: string): Promise<ChatMessage[]> {
  const all: ChatMessage[] = [];
  let page = await core.call('messages.page', { conversationId, limit: 500 });
  all.unshift(...page.messages);
  while (page.hasMore) {
    const oldest = page.messages.find((m) => m.seq !== null)?.seq;
    if (!oldest) break;
    page = await core.call('messages.page', { conversationId, beforeSeq: oldest, limit: 500 });
    all.unshift(...page.messages);
  }
  return all;
}

export async function conversationItem(core: TestCore, conversationId: string): Promise<ConversationItem | undefined> {
  const { conversations } = await core.call('conversations.list');
  return conversations.find((c) => c.id === conversationId);
}
