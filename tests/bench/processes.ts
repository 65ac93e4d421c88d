// Child processes for the benchmarks: the relay (as `npm run server` runs it) and the
// bare `ws` baseline, each on its own core so the load generator does not share a thread.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Child {
  pid: number;
  port: number;
  url: string;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess) {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

/** `bundle`: a built server/main.ts to run with plain node instead of through tsx. */
export async function startRelayChild(env: Record<string, string> = {}, bundle?: string): Promise<Child> {
  // BENCH_RELAY_NODE_ARGS="--cpu-prof" profiles the relay under load.
  const nodeArgs = process.env.BENCH_RELAY_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const entry = bundle ? [bundle] : ['--import', 'tsx', 'server/main.ts'];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'qixin-bench-relay-')),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: { type?: string; port?: number }) => m.type === 'listening' && resolve(m.port!));
    child.once('exit', (code) => reject(new Error(`relay exited with ${code}`)));
  });
  return { pid: child.pid!, port, url: `http://127.0.0.1:${port}`, stop: stopper(child) };
}

export async function startBareWsChild(): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/bare-ws-server.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`bare ws server exited with ${code}`)));
  });
  return { pid: child.pid!, port, url: `http://127.0.0.1:${port}`, stop: stopper(child) };
}
