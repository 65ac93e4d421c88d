// File transfer (issue 5): a large file up and down between two desktop cores through the relay,
// each in a process of its own and run as shipped (bundled, plain node), against a raw loopback
// copy of the same bytes in the same run (a TCP socket from a file to a file, nothing else).
// Also: resident memory of the relay and of the cores for a small and a large file, chat latency
// for two other people while the large upload runs, and 秒传 of the large file by a third core
// that holds the same bytes (hashing included).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { build } from 'esbuild';
import type { Transfer } from '../../shared/contract';
import { startCoreChild, type CoreChild } from '../support/core-child';
import { writeRandomFile } from '../support/random-file';
import { addMember, createEnterprise, newId, openClient, signInClient, type TestClient } from '../support/relay';
import { repoRoot, startRelayChild, type Child } from './processes';

export interface FilesBenchOptions {
  bigBytes: number;
  smallBytes: number;
  /** Chat messages per second between the two other people during the large upload. */
  chatPerSecond: number;
}

export interface TransferRun {
  bytes: number;
  seconds: number;
  mbPerSecond: number;
}

export interface SizeRun {
  bytes: number;
  raw: TransferRun;
  upload: TransferRun;
  download: TransferRun;
  relayPeakRssMb: number;
  uploaderPeakRssMb: number;
  downloaderPeakRssMb: number;
}

export interface FilesResult {
  small: SizeRun;
  big: SizeRun;
  chatDuringUpload: { messages: number; p50: number; p99: number; max: number };
  instant: { seconds: number; instant: boolean; relayReceivedBytes: number };
  idleRssMb: { relay: number; core: number };
}

const MB = 1024 * 1024;
type Log = (line: string) => void;

/** The relay and a core child as they ship: bundled by esbuild, run by plain node. */
async function bundles(): Promise<{ relay: string; core: string }> {
  const out = path.join(repoRoot, 'out', 'bench');
  const options = { bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' } as const;
  const relay = path.join(out, 'relay.mjs');
  const core = path.join(out, 'core-child.mjs');
  await build({ ...options, entryPoints: [path.join(repoRoot, 'server/main.ts')], outfile: relay });
  await build({ ...options, entryPoints: [path.join(repoRoot, 'tests/support/core-child-main.ts')], outfile: core });
  return { relay, core };
}

/** The baseline: the file's bytes through one loopback TCP connection into another file. */
async function rawLoopbackCopy(file: string, target: string): Promise<TransferRun> {
  const bytes = fs.statSync(file).size;
  const server = net.createServer();
  const received = new Promise<void>((resolve, reject) =>
    server.once('connection', (socket) => pipeline(socket, fs.createWriteStream(target)).then(resolve, reject)),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const started = performance.now();
  const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await pipeline(fs.createReadStream(file), socket);
  await received;
  const seconds = (performance.now() - started) / 1000;
  server.close();
  fs.rmSync(target, { force: true });
  return run(bytes, seconds);
}

const run = (bytes: number, seconds: number): TransferRun => ({ bytes, seconds, mbPerSecond: bytes / MB / seconds });

/** Samples VmRSS of the given processes every 100 ms; `peak()` is the highest seen since the last reset. */
function rssSampler(pids: Record<string, number>) {
  const peaks: Record<string, number> = {};
  const read = (pid: number) => {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  };
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) peaks[name] = Math.max(peaks[name] ?? 0, read(pid));
  };
  const timer = setInterval(sample, 100);
  return {
    reset() {
      for (const name of Object.keys(peaks)) delete peaks[name];
      sample();
    },
    peakMb: (name: string) => (peaks[name] ?? 0) / MB,
    nowMb: (name: string) => read(pids[name]!) / MB,
    stop: () => clearInterval(timer),
  };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 30 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function finished(core: CoreChild, id: string): Promise<Transfer> {
  return until(`transfer ${id}`, async () => {
    const t = (await core.call('files.transfers')).transfers.find((x) => x.id === id);
    if (t?.state === 'failed' || t?.state === 'cancelled')
      throw new Error(`transfer ${t.state}: ${JSON.stringify(t.error)}`);
    return t?.state === 'done' ? t : null;
  });
}

/** Two other people chatting at a steady rate; latency is send → the other's msg.new. */
function chatLoad(sender: TestClient, receiver: TestClient, conversationId: string, perSecond: number) {
  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  receiver.ws.on('message', (data) => {
    const text = data.toString();
    if (!text.startsWith('{"type":"msg.new"')) return;
    const id = (JSON.parse(text) as { payload: { message: { id: string } } }).payload.message.id;
    const at = sentAt.get(id);
    if (at !== undefined) latencies.push(performance.now() - at);
  });
  const timer = setInterval(() => {
    const id = newId();
    sentAt.set(id, performance.now());
    void sender.request('msg.send', { id, conversationId, text: '文件传输期间的聊天消息' }).catch(() => undefined);
  }, 1000 / perSecond);
  return {
    stop() {
      clearInterval(timer);
      const sorted = [...latencies].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
      return { messages: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
    },
  };
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 * MB }) as AsyncIterable<Buffer>)
    hash.update(chunk);
  return hash.digest('hex');
}

export async function benchFiles(o: FilesBenchOptions, log: Log): Promise<FilesResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'qixin-bench-files-'));
  const children: (Child | CoreChild)[] = [];
  try {
    const built = await bundles();
    const big = path.join(work, '季度数据 big.bin');
    const small = path.join(work, '季度数据 small.bin');
    log(`files: writing ${(o.bigBytes / MB).toFixed(0)} MB and ${(o.smallBytes / MB).toFixed(0)} MB of random bytes`);
    const shaBig = await writeRandomFile(big, o.bigBytes);
    const shaSmall = await writeRandomFile(small, o.smallBytes);

    const relay = await startRelayChild({ QIXIN_BENCH: '1' }, built.relay);
    children.push(relay);
    const grant = await createEnterprise(relay.url);
    const admin = await openClient(relay.url, grant);
    const people = ['alice', 'bob', 'carol', 'dave', 'erin'];
    const users: Record<string, string> = {};
    for (const account of people) users[account] = (await addMember(admin, { account, name: account })).user.id;

    const core = async (account: string) => {
      const dir = path.join(work, `core-${account}`);
      const child = await startCoreChild(dir, relay.url, built.core);
      children.push(child);
      await child.call('session.signIn', { login: account, password: 'member-password-1' });
      await child.call('settings.set', {
        files: { downloadDir: path.join(dir, 'downloads'), maxUploadBytesPerSec: null },
      });
      return child;
    };
    const alice = await core('alice');
    const bob = await core('bob');
    const chatId = (await alice.call('conversations.openDirect', { userId: users.bob! })).conversation.id;
    await until('the chat at bob', async () =>
      (await bob.call('conversations.list')).conversations.some((c) => c.id === chatId) ? true : null,
    );
    const rss = rssSampler({ relay: relay.pid, alice: alice.pid, bob: bob.pid });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idleRssMb = { relay: rss.nowMb('relay'), core: rss.nowMb('alice') };

    const sizeRun = async (file: string, expectedSha: string, during?: () => () => void): Promise<SizeRun> => {
      const bytes = fs.statSync(file).size;
      const raw = await rawLoopbackCopy(file, path.join(work, 'raw-copy.bin'));
      log(`files: raw loopback copy of ${(bytes / MB).toFixed(0)} MB: ${raw.mbPerSecond.toFixed(0)} MB/s`);
      rss.reset();
      const stopLoad = during?.();
      let started = performance.now();
      const sent = await alice.call('files.send', { conversationId: chatId, sources: [{ type: 'path', path: file }] });
      const up = await finished(alice, sent.transfers[0]!.id);
      const upload = run(bytes, (performance.now() - started) / 1000);
      stopLoad?.();
      if (up.instant) throw new Error('the first upload of fresh random bytes cannot be instant');
      log(`files: upload ${(bytes / MB).toFixed(0)} MB: ${upload.mbPerSecond.toFixed(0)} MB/s (hashing included)`);

      const messageId = sent.messages[0]!.id;
      started = performance.now();
      const { transfer } = await until('the file message at bob', () =>
        bob.call('files.download', { conversationId: chatId, messageId }).catch(() => null),
      );
      const down = await finished(bob, transfer.id);
      const download = run(bytes, (performance.now() - started) / 1000);
      log(`files: download ${(bytes / MB).toFixed(0)} MB: ${download.mbPerSecond.toFixed(0)} MB/s (verified)`);
      if ((await sha256(down.localPath!)) !== expectedSha) throw new Error('the downloaded bytes differ');
      fs.rmSync(down.localPath!, { force: true });
      return {
        bytes,
        raw,
        upload,
        download,
        relayPeakRssMb: rss.peakMb('relay'),
        uploaderPeakRssMb: rss.peakMb('alice'),
        downloaderPeakRssMb: rss.peakMb('bob'),
      };
    };

    const smallRun = await sizeRun(small, shaSmall);

    const carol = await signInClient(relay.url, 'carol', 'member-password-1');
    const dave = await signInClient(relay.url, 'dave', 'member-password-1');
    const chat = await carol.request('conv.create', { type: 'direct', memberIds: [users.dave!] });
    let chatDuringUpload: FilesResult['chatDuringUpload'] = { messages: 0, p50: NaN, p99: NaN, max: NaN };
    const bigRun = await sizeRun(big, shaBig, () => {
      const load = chatLoad(carol, dave, chat.conversation.id, o.chatPerSecond);
      return () => {
        chatDuringUpload = load.stop();
      };
    });
    log(
      `files: chat during the upload: p50 ${chatDuringUpload.p50.toFixed(1)} ms, p99 ${chatDuringUpload.p99.toFixed(1)} ms`,
    );

    // 秒传: erin holds the same bytes (a copy of her own) and sends them into a chat.
    const erin = await core('erin');
    const erinChat = (await erin.call('conversations.openDirect', { userId: users.bob! })).conversation.id;
    const copy = path.join(work, 'erin 的副本.bin');
    fs.copyFileSync(big, copy);
    await sha256(copy); // read once, as a file the user just saved would be in the page cache
    const statsBefore = fs.readFileSync(`/proc/${relay.pid}/io`, 'utf8');
    const started = performance.now();
    const sent = await erin.call('files.send', { conversationId: erinChat, sources: [{ type: 'path', path: copy }] });
    const done = await finished(erin, sent.transfers[0]!.id);
    const seconds = (performance.now() - started) / 1000;
    const received = (io: string) => Number(/rchar: (\d+)/.exec(io)?.[1] ?? 0);
    const instant = {
      seconds,
      instant: done.instant,
      relayReceivedBytes: received(fs.readFileSync(`/proc/${relay.pid}/io`, 'utf8')) - received(statsBefore),
    };
    log(`files: 秒传 of ${(o.bigBytes / MB).toFixed(0)} MB: ${seconds.toFixed(2)} s (instant: ${done.instant})`);
    rss.stop();
    return { small: smallRun, big: bigRun, chatDuringUpload, instant, idleRssMb };
  } finally {
    for (const child of children.reverse()) await child.stop().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const f1 = (x: number) => x.toFixed(1);
const pctOf = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;

export function filesRows(r: FilesResult): string[] {
  const size = (bytes: number) =>
    bytes >= 1024 * MB ? `${(bytes / 1024 / MB).toFixed(0)} GB` : `${(bytes / MB).toFixed(0)} MB`;
  const rows: string[] = [];
  for (const s of [r.big, r.small]) {
    const label = `files: ${size(s.bytes)} file`;
    rows.push(
      `| ${label}, upload (hash, tus, relay verifies sha256, message sent) | ${f1(s.upload.mbPerSecond)} MB/s (${f1(s.upload.seconds)} s) | raw loopback copy ${f1(s.raw.mbPerSecond)} MB/s | ${pctOf(s.upload.mbPerSecond, s.raw.mbPerSecond)} | ≥ 50% |`,
      `| ${label}, download (Range, verified) | ${f1(s.download.mbPerSecond)} MB/s (${f1(s.download.seconds)} s) | raw loopback copy ${f1(s.raw.mbPerSecond)} MB/s | ${pctOf(s.download.mbPerSecond, s.raw.mbPerSecond)} | ≥ 50% |`,
      `| ${label}: peak RSS relay / uploading core / downloading core | ${f1(s.relayPeakRssMb)} / ${f1(s.uploaderPeakRssMb)} / ${f1(s.downloaderPeakRssMb)} MB | | | < 200 MB |`,
    );
  }
  const growth = (big: number, small: number) => `${big >= small ? '+' : ''}${(100 * (big / small - 1)).toFixed(0)}%`;
  rows.push(
    `| files: peak RSS, ${size(r.big.bytes)} vs ${size(r.small.bytes)} file (relay / uploader / downloader) | ${growth(r.big.relayPeakRssMb, r.small.relayPeakRssMb)} / ${growth(r.big.uploaderPeakRssMb, r.small.uploaderPeakRssMb)} / ${growth(r.big.downloaderPeakRssMb, r.small.downloaderPeakRssMb)} | idle: relay ${f1(r.idleRssMb.relay)} MB, core ${f1(r.idleRssMb.core)} MB | | within 20% |`,
    `| files: chat send → receive for two other people during the ${size(r.big.bytes)} upload (${r.chatDuringUpload.messages} messages; p50 / p99) | ${f1(r.chatDuringUpload.p50)} ms / ${f1(r.chatDuringUpload.p99)} ms | | | p99 < 100 ms |`,
    `| files: 秒传 of a ${size(r.big.bytes)} file the relay holds (hashing included) | ${r.instant.seconds.toFixed(2)} s (instant: ${r.instant.instant}; relay read ${f1(r.instant.relayReceivedBytes / MB)} MB) | | | < 3 s |`,
  );
  return rows;
}
