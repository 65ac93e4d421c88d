// One download: a chat file (HttpPaths.media) or a drive item (FileHttpPaths.nodeContent) into
// `<name>.qxdownload` in the downloads folder. A partial file left by a pause, a failure or a
// crash is hashed again and continued with a Range request from its size; at the end the sha256
// must match (else the partial is deleted: file_hash_mismatch) and the file gets a free name.
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileHttpPaths, HttpPaths, QixinError } from '../../../shared/protocol';
import { freeName, localName, PARTIAL_SUFFIX, placeFinished } from './file-names';
import { localFailure, type FileRelay } from './file-relay';
import { hashInto } from './hashing';
import type { TransferRow } from './transfer-row';
import type { JobReport } from './upload-job';

/** fs error codes of the local disk; anything else in a download's pipeline is the network. */
const LOCAL_ERRORS = new Set(['ENOSPC', 'EACCES', 'EPERM', 'EROFS', 'EIO', 'ENOENT', 'EISDIR', 'EDQUOT']);

export type DownloadDeps = { relay: FileRelay; downloadDir(): string };

export async function runDownload(
  deps: DownloadDeps,
  start: TransferRow,
  signal: AbortSignal,
  report: JobReport,
): Promise<Partial<TransferRow>> {
  let row = start;
  const dir = deps.downloadDir();
  const partial = await openPartial(dir, row, report).catch((err: unknown) => {
    throw localFailure(err, row.name);
  });
  row = report.update({ partialPath: partial });

  let hash = createHash('sha256');
  let have = (await fs.promises.stat(partial)).size;
  if (have > row.size) {
    await fs.promises.truncate(partial, 0);
    have = 0;
  }
  // What is on disk already counts only once it is hashed again (it may be from an older run).
  if (have > 0) await hashInto(hash, partial, { end: have, signal });
  report.progress(have);

  if (have < row.size || row.size === 0) {
    const source = row.mediaId ? HttpPaths.media(row.mediaId) : FileHttpPaths.nodeContent(row.nodeId!);
    const res = await deps.relay.get(source, have > 0 ? { range: `bytes=${have}-` } : {}, signal).catch(async (err) => {
      // Refused for good (expired, gone, no right to it): what was kept of it is of no use.
      if (err instanceof QixinError && (err.code === 'not_found' || err.code === 'forbidden')) {
        await fs.promises.rm(partial, { force: true });
        report.update({ partialPath: null, done: 0 });
      }
      throw err;
    });
    const etag = /^"([0-9a-f]{64})"$/.exec(res.headers.etag ?? '')?.[1] ?? null;
    const status = res.statusCode ?? 0;
    const rangeStart = Number(/^bytes (\d+)-/.exec(res.headers['content-range'] ?? '')?.[1] ?? -1);
    if (status === 416 || (status === 206 && rangeStart !== have) || (etag && row.sha256 && etag !== row.sha256)) {
      // The relay's bytes are not the ones the partial file began with (a drive file was replaced),
      // or it did not continue where asked: start over.
      res.destroy();
      await fs.promises.truncate(partial, 0);
      report.update({ done: 0, ...(etag ? { sha256: etag, size: totalOf(res) ?? row.size } : {}) });
      throw new QixinError('unavailable', 'the file changed on the relay; downloading it again');
    }
    if (status === 200 && have > 0) {
      // The whole file came back instead of the rest.
      await fs.promises.truncate(partial, 0);
      hash = createHash('sha256');
      have = 0;
    }
    await receive(res, partial, hash, have, signal, report);
  }

  const sha256 = hash.digest('hex');
  if (row.sha256 && sha256 !== row.sha256) {
    await fs.promises.rm(partial, { force: true });
    report.update({ partialPath: null, done: 0 });
    throw new QixinError('invalid', `${row.name}: the downloaded bytes do not match`, 'file_hash_mismatch');
  }
  // Beside its partial file: a download finishes in the folder it started in.
  const localPath = await placeFinished(partial, path.dirname(partial), localName(row.name)).catch((err: unknown) => {
    throw localFailure(err, row.name);
  });
  return { localPath, partialPath: null, done: row.size, sha256 };
}

/** The partial file of this download, made (empty, under a free name) the first time. */
async function openPartial(dir: string, row: TransferRow, report: JobReport): Promise<string> {
  await fs.promises.mkdir(dir, { recursive: true });
  if (row.partialPath) {
    const handle = await fs.promises.open(row.partialPath, 'a').catch(() => null);
    if (handle) {
      await handle.close();
      return row.partialPath;
    }
  }
  for (;;) {
    const candidate = await freeName(dir, localName(row.name), PARTIAL_SUFFIX);
    try {
      await (await fs.promises.open(candidate, 'wx')).close();
      report.update({ done: 0 });
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

function totalOf(res: IncomingMessage): number | null {
  const total = /\/(\d+)$/.exec(res.headers['content-range'] ?? '')?.[1];
  return total ? Number(total) : null;
}

/** Appends the body to the partial file while hashing it. */
async function receive(
  res: IncomingMessage,
  partial: string,
  hash: Hash,
  from: number,
  signal: AbortSignal,
  report: JobReport,
): Promise<void> {
  let done = from;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      hash.update(chunk);
      done += chunk.length;
      report.progress(done);
      next(null, chunk);
    },
  });
  try {
    await pipeline(res, count, fs.createWriteStream(partial, { flags: 'a' }), { signal });
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    const code = (err as NodeJS.ErrnoException).code;
    if (code && LOCAL_ERRORS.has(code)) throw localFailure(err, 'download');
    throw new QixinError('unavailable', `the download broke off (${(err as Error).message})`);
  }
  if (!res.complete) throw new QixinError('unavailable', 'the download broke off');
}
