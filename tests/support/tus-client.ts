/**
 * A raw tus 1.0 client over node:http for relay tests, with the control a fault test needs (a PATCH
 * cut off midway, a chunk at the wrong offset). Stable API:
 *
 *   declare(bytes, target, fields?) → UploadDeclaration for these bytes (a fresh fileId, the real sha256)
 *   uploadMetadata(declaration) → the `Upload-Metadata` header value
 *   tusCreate(url, token, declaration, opts?) → TusAnswer (location: the upload's path)
 *   tusPatch(url, token, location, offset, bytes, opts?) → TusAnswer; opts.cutAfter sends that many
 *     bytes of a larger declared chunk, then destroys the socket (resolves null)
 *   tusHead(url, token, location) / tusDelete(url, token, location) → TusAnswer
 *   tusUpload(url, token, declaration, bytes, chunkBytes?) → the StoredFile of the last answer
 *   storedFileOf(answer) → the StoredFile in its Qixin-Stored-File header, or null
 *   httpRequest(url, method, path, { token, headers, body }) → TusAnswer (any endpoint)
 *   proofHashes(nonce, ranges, bytes) → the 秒传 proof for a challenge
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { newId } from '../../shared/lib/ids';
import {
  FileHttpPaths,
  StoredFile,
  type ByteRange,
  type UploadDeclaration,
  type UploadTarget,
} from '../../shared/protocol';

export interface TusAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: Buffer;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  location: string | null;
}

export const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export function declare(
  bytes: Buffer,
  target: UploadTarget,
  fields: Partial<Omit<UploadDeclaration, 'target'>> = {},
): UploadDeclaration {
  return {
    fileId: newId(),
    name: '报告.pdf',
    size: bytes.length,
    mime: 'application/octet-stream',
    sha256: sha256Hex(bytes),
    target,
    ...fields,
  };
}

export function uploadMetadata(declaration: Record<string, unknown>): string {
  return Object.entries(declaration)
    .map(([key, value]) => {
      const text =
        typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
      return `${key} ${Buffer.from(text, 'utf8').toString('base64')}`;
    })
    .join(',');
}

export function httpRequest(
  url: string,
  method: string,
  path: string,
  opts: { token?: string | null; headers?: http.OutgoingHttpHeaders; body?: Buffer } = {},
): Promise<TusAnswer> {
  return new Promise((resolve, reject) => {
    // An undefined value removes a default header (a creation without Upload-Length).
    const headers = Object.fromEntries(
      Object.entries(opts.headers ?? {}).filter(([, value]) => value !== undefined),
    ) as http.OutgoingHttpHeaders;
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body) headers['content-length'] = opts.body.length;
    const req = http.request(new URL(path, url), { method, headers });
    req.on('response', (res) => collect(res).then(resolve, reject));
    req.on('error', reject);
    req.end(opts.body);
  });
}

const tusHeaders = { 'tus-resumable': '1.0.0' };

export function tusCreate(
  url: string,
  token: string | null,
  declaration: Record<string, unknown>,
  opts: { length?: number; headers?: http.OutgoingHttpHeaders; body?: Buffer } = {},
): Promise<TusAnswer> {
  return httpRequest(url, 'POST', FileHttpPaths.uploads, {
    token,
    headers: {
      ...tusHeaders,
      'upload-length': opts.length ?? (declaration.size as number),
      'upload-metadata': uploadMetadata(declaration),
      ...(opts.body ? { 'content-type': 'application/offset+octet-stream' } : {}),
      ...opts.headers,
    },
    body: opts.body,
  });
}

export function tusHead(url: string, token: string | null, location: string): Promise<TusAnswer> {
  return httpRequest(url, 'HEAD', location, { token, headers: tusHeaders });
}

export function tusDelete(url: string, token: string | null, location: string): Promise<TusAnswer> {
  return httpRequest(url, 'DELETE', location, { token, headers: tusHeaders });
}

/**
 * PATCHes `bytes` at `offset`. With `cutAfter`, declares all of `bytes` but sends only that many,
 * waits until the relay has stored them (`stored()` turns true) and then cuts the connection: null.
 */
export function tusPatch(
  url: string,
  token: string | null,
  location: string,
  offset: number,
  bytes: Buffer,
  opts: { cutAfter?: number; stored?: () => Promise<boolean> } = {},
): Promise<TusAnswer | null> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = {
      ...tusHeaders,
      'upload-offset': offset,
      'content-type': 'application/offset+octet-stream',
      'content-length': bytes.length,
    };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request(new URL(location, url), { method: 'PATCH', headers });
    req.on('response', (res) => collect(res).then(resolve, reject));
    if (opts.cutAfter === undefined) {
      req.on('error', reject);
      req.end(bytes);
      return;
    }
    req.on('error', () => resolve(null));
    req.write(bytes.subarray(0, opts.cutAfter));
    void (async () => {
      const until = Date.now() + 10_000;
      while (opts.stored && !(await opts.stored())) {
        if (Date.now() > until) return reject(new Error('the relay did not store the first bytes in time'));
        await new Promise((r) => setTimeout(r, 20));
      }
      req.destroy();
      resolve(null);
    })();
  });
}

/** Creates and PATCHes in chunks; returns the StoredFile the last answer carries. */
export async function tusUpload(
  url: string,
  token: string,
  declaration: UploadDeclaration,
  bytes: Buffer,
  chunkBytes = 64 * 1024,
): Promise<StoredFile> {
  const created = await tusCreate(url, token, declaration);
  if (created.status !== 201) throw new Error(`creation answered ${created.status}: ${created.bytes.toString()}`);
  if (bytes.length === 0) return storedFileOf(created)!;
  let last: TusAnswer | null = null;
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    last = await tusPatch(url, token, created.location!, at, bytes.subarray(at, at + chunkBytes));
    if (last!.status !== 204) throw new Error(`PATCH answered ${last!.status}: ${last!.bytes.toString()}`);
  }
  const stored = storedFileOf(last!);
  if (!stored) throw new Error('the last PATCH carried no Qixin-Stored-File');
  return stored;
}

export function storedFileOf(answer: TusAnswer): StoredFile | null {
  const header = answer.headers['qixin-stored-file'];
  return typeof header === 'string' ? StoredFile.parse(JSON.parse(header)) : null;
}

export function proofHashes(nonce: string, ranges: ByteRange[], bytes: Buffer): string[] {
  return ranges.map(({ start, end }) =>
    createHash('sha256')
      .update(nonce)
      .update(bytes.subarray(start, end + 1))
      .digest('hex'),
  );
}

function collect(res: http.IncomingMessage): Promise<TusAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () => {
      const bytes = Buffer.concat(chunks);
      let json: unknown = null;
      try {
        json = JSON.parse(bytes.toString('utf8'));
      } catch {
        // not JSON: a download, or an empty tus answer
      }
      const location = typeof res.headers.location === 'string' ? res.headers.location : null;
      resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, json, location });
    });
  });
}
