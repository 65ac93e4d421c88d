// Answers a GET or HEAD with a stored blob: ETag (its sha256), If-None-Match, single byte ranges
// (206 / 416), and a Content-Disposition that carries a file's name (RFC 6266 / RFC 5987).
// Shared by chat media, chat files and the drive; the caller has checked who may read it.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { etagMatches, parseByteRange } from '../../shared/lib/byte-range';
import { QixinError } from '../../shared/protocol';
import { createLogger } from '../log';
import type { BlobStore } from './blob-store';

const log = createLogger('relay.blobs');

export interface BlobAnswer {
  sha256: string;
  mime: string;
  /** inline: shown in place (media, previews); attachment: saved as `fileName`. */
  disposition: 'inline' | 'attachment' | null;
  fileName?: string | null;
  /** Cache-Control; content never changes under one id, but access may be withdrawn. */
  cacheControl: string;
}

/** Streams the blob (or the asked range). Throws not_found when the bytes are missing on disk. */
export async function sendBlob(
  req: IncomingMessage,
  res: ServerResponse,
  blobs: BlobStore,
  answer: BlobAnswer,
): Promise<void> {
  const file = blobs.pathOf(answer.sha256);
  const info = await fs.promises.stat(file).catch(() => null);
  if (!info) {
    log.error({ sha256: answer.sha256 }, 'blob missing on disk');
    throw new QixinError('not_found', 'the file is not available', 'file_not_found');
  }
  const etag = `"${answer.sha256}"`;
  const headers: Record<string, string | number> = {
    'content-type': answer.mime,
    etag,
    'cache-control': answer.cacheControl,
    'accept-ranges': 'bytes',
    'x-content-type-options': 'nosniff',
  };
  if (answer.disposition) headers['content-disposition'] = contentDisposition(answer.disposition, answer.fileName);
  if (etagMatches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const range = parseByteRange(req.headers.range, info.size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${info.size}` });
    res.end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: info.size - 1 };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
  res.writeHead(range ? 206 : 200, { ...headers, 'content-length': Math.max(0, end - start + 1) });
  if (req.method === 'HEAD' || info.size === 0) {
    res.end();
    return;
  }
  try {
    await pipeline(fs.createReadStream(file, { start, end }), res);
  } catch (err) {
    // The reader went away mid-download; nothing to answer.
    log.debug({ sha256: answer.sha256, err: (err as Error).message }, 'download cut off');
  }
}

/** `attachment; filename="…"; filename*=UTF-8''…`: an ASCII fallback and the real (Chinese) name. */
export function contentDisposition(kind: 'inline' | 'attachment', fileName?: string | null): string {
  if (!fileName) return kind;
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
