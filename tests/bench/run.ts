// `npm run bench`: measures the budgets of the foundation issue and writes BENCHMARKS.md.
// BENCH_QUICK=1 runs a small version (for checking the harness, not for the table).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchCache, type CacheResult } from './cache';
import { benchFanout, type FanoutResult, type ScenarioResult } from './fanout';
import { repoRoot } from './processes';

const quick = process.env.BENCH_QUICK === '1';
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const fanoutOptions = quick
  ? { users: 100, groupSize: 50, groupMessages: 200, groupLanes: 4, directMessages: 500, window: 8, latencySeconds: 1 }
  : {
      users: 1000,
      groupSize: 500,
      groupMessages: 1000,
      groupLanes: 8,
      directMessages: 20_000,
      window: 8,
      latencySeconds: 3,
    };
const cacheOptions = quick
  ? { totalMessages: 20_000, bigChatMessages: 10_000, otherChats: 9, runs: 3 }
  : { totalMessages: 1_000_000, bigChatMessages: 100_000, otherChats: 90, runs: 5 };

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number) => `${x.toFixed(1)} ms`;
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;

function fanoutRows(label: string, relay: ScenarioResult, bare: ScenarioResult, deliveriesTarget: string) {
  return [
    `| ${label}: deliveries/s (sends × recipients) | ${n(relay.load.deliveriesPerSecond)} | ${n(bare.load.deliveriesPerSecond)} | ${pct(relay.load.deliveriesPerSecond, bare.load.deliveriesPerSecond)} of bare ws | ${deliveriesTarget} |`,
    `| ${label}: sends/s at saturation | ${n(relay.load.sendsPerSecond)} | ${n(bare.load.sendsPerSecond)} | | |`,
    `| ${label}: p50 send→receive at half load (${n(relay.latency.ratePerSecond)} sends/s relay, ${n(bare.latency.ratePerSecond)} bare) | ${ms(relay.latency.p50)} | ${ms(bare.latency.p50)} | | |`,
    `| ${label}: p99 send→receive at half load | ${ms(relay.latency.p99)} | ${ms(bare.latency.p99)} | | p99 < 50 ms |`,
  ];
}

function table(fanout: FanoutResult, cache: CacheResult): string {
  const o = fanoutOptions;
  return [
    '| measure | Qixin | baseline | ratio | budget |',
    '|---|---|---|---|---|',
    ...fanoutRows(
      `group of ${o.groupSize}, ${o.users} sockets`,
      fanout.relay.group,
      fanout.bare.group,
      '≥ 50% of bare ws',
    ),
    ...fanoutRows(`1:1 among ${o.users} users`, fanout.relay.direct, fanout.bare.direct, '≥ 50% of bare ws'),
    `| cache of ${n(cache.totalMessages)} messages: core start (median / max) | ${ms(cache.coreStartMs.median)} / ${ms(cache.coreStartMs.max)} | | | < 500 ms |`,
    `| first page (50) of a ${n(cacheOptions.bigChatMessages)}-message chat (median / max) | ${ms(cache.firstPageMs.median)} / ${ms(cache.firstPageMs.max)} | raw SQLite ${ms(cache.rawFirstPageMs.median)} | | < 50 ms |`,
    `| conversation list, ${cacheOptions.otherChats + 1} chats (median) | ${ms(cache.conversationListMs.median)} | | | |`,
  ].join('\n');
}

async function main() {
  const started = new Date();
  log(`fan-out: ${JSON.stringify(fanoutOptions)}`);
  const fanout = await benchFanout(fanoutOptions, log);
  log(`cache: ${JSON.stringify(cacheOptions)}`);
  const cache = await benchCache(cacheOptions, log);
  const result = table(fanout, cache);
  process.stdout.write(`${result}\n`);
  if (quick) return;
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`;
  writeFileSync(
    path.join(repoRoot, 'BENCHMARKS.md'),
    `# Benchmarks

\`npm run bench\` measured this on ${started.toISOString().slice(0, 10)} (${machine}).
The relay runs as \`npm run server\` does (SQLite store, in-process bus) in a child process; the
baseline is a bare \`ws\` server (\`tests/bench/bare-ws-server.ts\`, no auth, storage or checks)
in a child process, driven by the same load generator over the same sockets with frames of the
same size. Each sender keeps ${fanoutOptions.window} messages in flight (2 for 1:1) and sends the next when its own
copy comes back; "half load" paces sends at half the saturation rate each server reached.
Every relay message is stored with its seq before it is delivered; sends that arrive together
share one transaction (group commit). The relay also coalesces each socket's writes within one
event-loop turn into one write, where the bare server writes every frame on its own: that is why
the relay out-delivers it to a large group. The relay runs with \`QIXIN_BENCH=1\`, which lifts the
per-connection rate limit (burst 400, 300 frames/s) and the sign-in limit, since the load
generator sends far faster than a person would.

${result}

Raw numbers:

\`\`\`json
${JSON.stringify({ fanout, cache }, null, 2)}
\`\`\`
`,
  );
  log('wrote BENCHMARKS.md');
}

main().then(
  () => process.exit(0),
  (err) => {
    log(String(err instanceof Error ? err.stack : err));
    process.exit(1);
  },
);
