// sha256 of files, read as a stream (never the whole file in memory): a file before its upload,
// the part of a download already on disk, and the ranges a 秒传 challenge asks for.
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import type { ByteRange } from '../../../shared/protocol';

/** Reads of 1 MiB: few calls, and the event loop runs between them. */
const READ_BYTES = 1024 * 1024;

/**
 * Feeds bytes [0, end) of `file` (all of it when `end` is undefined) into `hash`; `onBytes` is told
 * how many so far. Aborting stops the read.
 */
export async function hashInto(
  hash: Hash,
  file: string,
  opts: { end?: number; signal?: AbortSignal; onBytes?: (bytes: number) => void } = {},
): Promise<number> {
  if (opts.end === 0) return 0;
  const stream = fs.createReadStream(file, {
    highWaterMark: READ_BYTES,
    ...(opts.end !== undefined ? { end: opts.end - 1 } : {}),
    signal: opts.signal,
  });
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    opts.onBytes?.(bytes);
  }
  return bytes;
}

export async function sha256File(
  file: string,
  opts: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {},
): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  const size = await hashInto(hash, file, opts);
  return { sha256: hash.digest('hex'), size };
}

/** A 秒传 proof: per range (inclusive, in order), hex sha256(nonce ‖ bytes[start..end]). */
export async function proofHashes(file: string, nonce: string, ranges: readonly ByteRange[]): Promise<string[]> {
  const hashes: string[] = [];
  for (const range of ranges) {
    const hash = createHash('sha256').update(nonce, 'utf8');
    if (range.end >= range.start) {
      for await (const chunk of fs.createReadStream(file, {
        start: range.start,
        end: range.end,
      }) as AsyncIterable<Buffer>)
        hash.update(chunk);
    }
    hashes.push(hash.digest('hex'));
  }
  return hashes;
}
