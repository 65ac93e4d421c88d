// Starts tests/support/core-child-main.ts as a child process and talks to it: contract calls,
// the events it emits, its resident memory. kill() is SIGKILL: no clean shutdown of any kind.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { CallArgs, CallName, CallResult, EventName, EventPayload } from '../../shared/contract';
import { QixinError, type Envelope } from '../../shared/protocol';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'core-child-main.ts');

export interface CoreChild {
  pid: number;
  call<N extends CallName>(name: N, args?: CallArgs<N>): Promise<CallResult<N>>;
  eventsOf<N extends EventName>(name: N): EventPayload<N>[];
  /** The highest resident set size the child reported. */
  peakRss(): number;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** `bundle`: a built copy of core-child-main.ts to run with plain node (the benchmark runs the core as shipped). */
export async function startCoreChild(dataDir: string, relayUrl: string, bundle?: string): Promise<CoreChild> {
  const entry = bundle ? [bundle] : ['--import', 'tsx', SCRIPT];
  const child: ChildProcess = spawn(process.execPath, [...entry, dataDir, relayUrl], {
    env: { ...process.env, LOG_LEVEL: process.env.QIXIN_CHILD_LOG_LEVEL ?? 'silent' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  const events: { name: EventName; payload: unknown }[] = [];
  let nextId = 1;
  let peak = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the core child exited early (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let message: { id?: number; result?: Envelope<unknown>; event?: EventName; payload?: unknown; rss?: number };
      try {
        message = JSON.parse(line);
      } catch {
        return; // not ours
      }
      if ('ready' in message) resolve();
      if (message.rss) peak = Math.max(peak, message.rss);
      if (message.event) events.push({ name: message.event, payload: message.payload });
      if (message.id !== undefined && message.result) {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      }
    });
  });
  await ready;
  return {
    pid: child.pid!,
    async call(name, args) {
      const id = nextId++;
      const answer = new Promise<Envelope<unknown>>((resolve) => pending.set(id, resolve));
      child.stdin!.write(`${JSON.stringify({ id, call: name, args: args ?? {} })}\n`);
      const result = await answer;
      if (!result.ok) throw QixinError.from(result.error);
      return result.value as never;
    },
    eventsOf(name) {
      return events.filter((e) => e.name === name).map((e) => e.payload as never);
    },
    peakRss: () => peak,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
