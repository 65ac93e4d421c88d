// `npm run bench`: measures the budgets of the foundation issue and the directory import, and
// writes BENCHMARKS.md. BENCH_QUICK=1 runs a small version (for checking the harness, not for
// the table). BENCH_ONLY=directory runs only the directory section and updates its rows and
// its section in BENCHMARKS.md, leaving the other numbers as they are. BENCH_ONLY=search runs
// only message search (desktop cache, then the relay on SQLite and PostgreSQL) at
// QIXIN_BENCH_MESSAGES messages (1,000,000 by default) and prints its rows. BENCH_ONLY=files runs
// the file transfer section (a 2 GB and a 200 MB file through the relay between two desktop cores)
// and replaces its section of BENCHMARKS.md; a full run keeps the sections after the directory one.
// BENCH_ONLY=calendar expands a month view of 10,000 recurring series and prints its rows.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  benchCache,
  benchDirectoryCache,
  benchFirstSignIn,
  type CacheResult,
  type DirectoryCacheResult,
  type FirstSignInResult,
} from './cache';
import { benchCalendar, calendarRows } from './calendar';
import { benchDirectory, type DirectoryResult } from './directory';
import { benchFanout, type FanoutResult, type ScenarioResult } from './fanout';
import { benchFiles, filesRows, type FilesResult } from './files';
import { repoRoot } from './processes';
import { benchCacheSearch, cacheSearchRows } from './search';
import { benchRelaySearch, relaySearchRows } from './search-relay';

const quick = process.env.BENCH_QUICK === '1';
const only = process.env.BENCH_ONLY;
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

const directoryOptions = quick
  ? { members: 2000, departments: 100, bigDepartment: 500, pageRuns: 5 }
  : { members: 50_000, departments: 1000, bigDepartment: 5000, pageRuns: 21 };

const filesOptions = quick
  ? { bigBytes: 256 * 1024 * 1024, smallBytes: 32 * 1024 * 1024, chatPerSecond: 20 }
  : { bigBytes: 2 * 1024 * 1024 * 1024, smallBytes: 200 * 1024 * 1024, chatPerSecond: 20 };

const directoryCacheOptions = quick
  ? { members: 2000, departments: 100, bigDepartment: 500, runs: 5 }
  : { members: 50_000, departments: 1000, bigDepartment: 5000, runs: 15 };

/** The directory section: the relay's import/export and the desktop cache's reads and first sync. */
interface DirectoryBench {
  relay: DirectoryResult;
  cache: DirectoryCacheResult;
  signIn: FirstSignInResult;
}

async function benchDirectorySection(): Promise<DirectoryBench> {
  log(`directory: ${JSON.stringify(directoryOptions)}`);
  const relay = await benchDirectory(directoryOptions, log);
  log(`directory cache: ${JSON.stringify(directoryCacheOptions)}`);
  const cache = await benchDirectoryCache(directoryCacheOptions, log);
  const signIn = await benchFirstSignIn(
    { members: directoryCacheOptions.members, departments: directoryCacheOptions.departments },
    log,
  );
  return { relay, cache, signIn };
}

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

const sec = (x: number) => `${(x / 1000).toFixed(2)} s`;
const STORE_NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

/** Table rows of the directory benchmark; each starts with "| directory" (BENCH_ONLY replaces them). */
function directoryRows(bench: DirectoryBench): string[] {
  const d = bench.relay;
  const { cache, signIn } = bench;
  const span = (x: { median: number; max: number }) => `${ms(x.median)} / ${ms(x.max)}`;
  const relayRows = d.stores.flatMap((s) => {
    const at = `directory (${STORE_NAME[s.store]})`;
    return [
      `| ${at}: import of ${n(d.members)} members in ${n(d.departments)} departments (≤ ${d.maxDepth} levels) from a LibreOffice .xlsx, upload → done | ${sec(s.importMs)} (validate ${sec(s.validateMs)}, apply ${sec(s.applyMs)}) | bare exceljs read ${sec(d.bareReadMs)} | | < 5 s |`,
      `| ${at}: relay peak RSS (VmHWM) | ${n(s.peakRssMb)} MB | | | < 400 MB |`,
      `| ${at}: re-import of the same file | ${sec(s.reimportMs)}, ${n(s.reimportChanged)} members changed | | | < 5 s, nothing changes |`,
      `| ${at}: export of ${n(d.members)} members | ${sec(s.exportMs)} | | | < 5 s |`,
      `| ${at}: first page (50) of a ${n(directoryOptions.bigDepartment)}-member department, dir.members (median / max) | ${ms(s.firstPageMs.median)} / ${ms(s.firstPageMs.max)} | | | < 50 ms |`,
    ];
  });
  const at = `directory (desktop cache, ${n(cache.members)} people)`;
  return [
    ...relayRows,
    `| ${at}: first window (50) of a ${n(directoryCacheOptions.bigDepartment)}-member department, directory.members (median / max) | ${span(cache.firstPageMs)} | raw SQLite ${ms(cache.rawFirstPageMs.median)} | | < 50 ms |`,
    `| ${at}: a window in the middle of that department (median / max) | ${span(cache.middleWindowMs)} | | | |`,
    ...Object.entries(cache.searchMs).map(
      ([query, r]) => `| ${at}: search "${query}" (${r.found} found; median / max) | ${span(r)} | | | |`,
    ),
    `| ${at}: first sign-in, whole directory synced from the relay | ${sec(signIn.directoryMs)} (${signIn.changedEvents} directory.changed events) | | | |`,
  ];
}

const DIRECTORY_START = '<!-- directory -->';
const DIRECTORY_END = '<!-- /directory -->';

function directorySection(bench: DirectoryBench): string {
  const d = bench.relay;
  return `${DIRECTORY_START}
## Directory import and export

\`tests/bench/directory.ts\` generates ${n(d.members)} members (Chinese names, mobiles, emails, titles,
managers, 5% in a second department) in ${n(d.departments)} departments up to ${d.maxDepth} levels deep, one of
them with ${n(directoryOptions.bigDepartment)} members, as CSV; LibreOffice converts it to .xlsx (${n(d.fileBytes / 1024)} KiB) once. A relay
runs as \`npm run server\` does in a child process, on SQLite and then on PostgreSQL. The import
is timed from the start of the upload (POST ${'`'}/api/admin/directory/imports?mode=upsert&createDepartments=1${'`'})
through the preview (validating → ready) and the apply (one transaction) to \`done\`, polling the
job every 10 ms; peak RSS is the relay's VmHWM right after it. The re-import uploads the same
file again (nothing changes: no member or department row is written, only the audit record,
and the directory version stays). The export is
GET \`/api/admin/directory/export.xlsx\` read to its end. The baseline is exceljs's bare
streaming read of every cell of the same file in the benchmark process (the import itself
uses a leaner reader of its own, \`server/directory-io/xlsx.ts\`). The desktop-cache rows store
${n(bench.cache.members)} profiles in a core's cache the way a first sign-in does (pages of 1,000, one transaction
each) and time the contract's reads; the first sign-in row imports the same people into a relay (a
child process) through an admin's core, then times a second device with an empty cache until its
directory is complete. The machine's 1-minute load
average was ${d.loadAverage.toFixed(1)} when the run started (on ${os.cpus().length} cores): other work slows every number.

\`\`\`json
${JSON.stringify(bench, null, 2)}
\`\`\`
${DIRECTORY_END}`;
}

const FILES_START = '<!-- files:start -->';
const FILES_END = '<!-- files:end -->';

function filesSection(r: FilesResult, started: Date): string {
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  return `${FILES_START}
## File transfer

\`BENCH_ONLY=files npm run bench\` measured this on ${started.toISOString().slice(0, 10)} (${machine}; 1-minute load
average ${os.loadavg()[0]!.toFixed(1)} at the start). The relay (SQLite, in-process bus) and three desktop cores
run in processes of their own, each bundled by esbuild and run by plain node as they ship. Alice's core
sends a file of random bytes into a chat: it hashes the file, asks for 秒传 (the relay does not hold
it), uploads it with tus in 16 MiB PATCHes, the relay hashes while receiving, verifies the sha256,
moves the bytes into its blob store and commits; the time ends when the core reports the transfer
done. Bob's core then downloads it (HTTP, verified sha256) into a file. The baseline is a raw copy
of the same file through one loopback TCP socket into another file in the benchmark process. Peak
RSS is sampled from /proc every 100 ms during each transfer. During the large upload two other
people chat (${filesOptions.chatPerSecond} messages/s over their own sockets); latency is send → the other's \`msg.new\`. The 秒传
row: a third core sends a copy of the large file it holds: it hashes the whole file, answers the
relay's challenge (hashes of random ranges with a nonce), and the relay commits without receiving
the bytes.

| measure | Qixin | baseline | ratio | budget |
|---|---|---|---|---|
${filesRows(r).join('\n')}

\`\`\`json
${JSON.stringify(r, null, 2)}
\`\`\`
${FILES_END}`;
}

/** Swaps the file transfer section of BENCHMARKS.md (or appends it). */
function updateFiles(file: string, section: string) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = text.indexOf(FILES_START);
  const end = text.indexOf(FILES_END);
  const out =
    start >= 0 && end > start
      ? text.slice(0, start) + section + text.slice(end + FILES_END.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, out);
}

/**
 * What follows the directory section in the current BENCHMARKS.md (message search, file transfer,
 * calendar: sections their own BENCH_ONLY runs write), so a full run keeps it.
 */
function sectionsAfterDirectory(file: string): string {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const end = text.indexOf(DIRECTORY_END);
  return end >= 0 ? text.slice(end + DIRECTORY_END.length) : '';
}

/** BENCH_ONLY=directory: swaps the directory rows and section of an existing BENCHMARKS.md. */
function updateDirectory(file: string, d: DirectoryBench) {
  const text = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n\n| measure | Qixin | baseline | ratio | budget |\n|---|---|---|---|---|\n';
  const lines = text.split('\n').filter((l) => !l.startsWith('| directory'));
  let lastRow = -1;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.startsWith('|')) lastRow = i;
    else if (lastRow >= 0) break;
  }
  lines.splice(lastRow + 1, 0, ...directoryRows(d));
  let out = lines.join('\n');
  const start = out.indexOf(DIRECTORY_START);
  const end = out.indexOf(DIRECTORY_END);
  if (start >= 0 && end > start)
    out = out.slice(0, start) + directorySection(d) + out.slice(end + DIRECTORY_END.length);
  else out = `${out.trimEnd()}\n\n${directorySection(d)}\n`;
  writeFileSync(file, out);
}

function table(fanout: FanoutResult, cache: CacheResult, directory: DirectoryBench): string {
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
    ...directoryRows(directory),
  ].join('\n');
}

async function main() {
  const started = new Date();
  if (only === 'directory') {
    const directory = await benchDirectorySection();
    process.stdout.write(`${directoryRows(directory).join('\n')}\n`);
    if (!quick) {
      updateDirectory(path.join(repoRoot, 'BENCHMARKS.md'), directory);
      log('updated the directory rows of BENCHMARKS.md');
    }
    return;
  }
  if (only === 'search') {
    const messages = Number(process.env.QIXIN_BENCH_MESSAGES ?? (quick ? 20_000 : 1_000_000));
    const runs = quick ? 5 : 20;
    log(`search: ${messages.toLocaleString('en-US')} messages, ${runs} runs per query`);
    const cache = await benchCacheSearch({ messages, runs, seed: 20_260_301 }, log);
    const relay = await benchRelaySearch({ messages, runs }, log);
    const rows = ['| measure | Qixin | baseline | ratio | budget |', '|---|---|---|---|---|'];
    rows.push(...cacheSearchRows(cache), ...relaySearchRows(relay));
    process.stdout.write(`${rows.join('\n')}\n\n\`\`\`json\n${JSON.stringify({ cache, relay }, null, 2)}\n\`\`\`\n`);
    return;
  }
  if (only === 'files') {
    log(`files: ${JSON.stringify(filesOptions)}`);
    const files = await benchFiles(filesOptions, log);
    const rows = ['| measure | Qixin | baseline | ratio | budget |', '|---|---|---|---|---|', ...filesRows(files)];
    process.stdout.write(`${rows.join('\n')}\n`);
    if (!quick) {
      updateFiles(path.join(repoRoot, 'BENCHMARKS.md'), filesSection(files, started));
      log('updated the file transfer section of BENCHMARKS.md');
    }
    return;
  }
  if (only === 'calendar') {
    const options = quick
      ? { series: 2000, runs: 5, baselineRuns: 1, seed: 20_261_101 }
      : { series: 10_000, runs: 20, baselineRuns: 3, seed: 20_261_101 };
    log(`calendar: ${JSON.stringify(options)}`);
    const calendar = benchCalendar(options, log);
    const rows = [
      '| measure | Qixin | baseline | ratio | budget |',
      '|---|---|---|---|---|',
      ...calendarRows(calendar),
    ];
    process.stdout.write(`${rows.join('\n')}\n`);
    return;
  }
  if (only) throw new Error(`BENCH_ONLY=${only}: only "directory", "search", "files" and "calendar" can run alone`);
  log(`fan-out: ${JSON.stringify(fanoutOptions)}`);
  const fanout = await benchFanout(fanoutOptions, log);
  log(`cache: ${JSON.stringify(cacheOptions)}`);
  const cache = await benchCache(cacheOptions, log);
  const directory = await benchDirectorySection();
  const result = table(fanout, cache, directory);
  process.stdout.write(`${result}\n`);
  if (quick) return;
  const kept = sectionsAfterDirectory(path.join(repoRoot, 'BENCHMARKS.md'));
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

${directorySection(directory)}${kept}`,
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
