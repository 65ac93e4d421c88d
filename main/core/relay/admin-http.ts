// The relay's admin HTTP API (imports, exports, templates), authenticated with this device's
// session token. Spreadsheets can be tens of megabytes: bodies go out through node:http with
// stream.pipeline (fetch would buffer them once more), and downloads are collected as bytes.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ErrorBody, QixinError } from '../../../shared/protocol';
import { httpBase } from './relay-http';

const TIMEOUT_MS = 60_000;
/** Largest answer read into memory (an export of 50,000 members is a few megabytes). */
const MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024;

export type Download = { bytes: Buffer; fileName: string | null; contentType: string };

export class AdminHttp {
  constructor(
    private readonly relayUrl: string,
    private readonly token: () => string | null,
  ) {}

  /** POSTs `body` (the file itself) and returns the JSON answer. */
  async upload(path: string, query: Record<string, string>, body: Buffer, contentType: string): Promise<unknown> {
    const res = await this.send('POST', path, query, body, contentType);
    return this.json(res, path);
  }

  async getJson(path: string): Promise<unknown> {
    return this.json(await this.send('GET', path, {}, null, null), path);
  }

  async postJson(path: string): Promise<unknown> {
    return this.json(await this.send('POST', path, {}, Buffer.alloc(0), 'application/json'), path);
  }

  async download(path: string): Promise<Download> {
    const res = await this.send('GET', path, {}, null, null);
    const bytes = await readAll(res);
    if ((res.statusCode ?? 500) >= 400) throw failure(res.statusCode ?? 500, bytes, path);
    return {
      bytes,
      fileName: fileNameOf(res.headers['content-disposition']),
      contentType: res.headers['content-type'] ?? 'application/octet-stream',
    };
  }

  private async json(res: IncomingMessage, path: string): Promise<unknown> {
    const bytes = await readAll(res);
    if ((res.statusCode ?? 500) >= 400) throw failure(res.statusCode ?? 500, bytes, path);
    try {
      return JSON.parse(bytes.toString('utf8')) as unknown;
    } catch {
      throw new QixinError('internal', `unexpected answer from ${path}`);
    }
  }

  private send(
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, string>,
    body: Buffer | null,
    contentType: string | null,
  ): Promise<IncomingMessage> {
    const token = this.token();
    if (!token) return Promise.reject(new QixinError('unauthenticated', 'not signed in'));
    const url = new URL(path, httpBase(this.relayUrl));
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const headers: Record<string, string | number> = { authorization: `Bearer ${token}` };
    if (body) {
      headers['content-type'] = contentType ?? 'application/octet-stream';
      headers['content-length'] = body.length;
    }
    const unreachable = (err: Error) =>
      new QixinError('unavailable', `the relay at ${this.relayUrl} is not reachable (${err.message})`);
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(url, { method, headers, timeout: TIMEOUT_MS });
      req.once('response', resolve);
      req.once('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      req.once('error', (err) => reject(unreachable(err)));
      if (!body) {
        req.end();
        return;
      }
      // The relay may answer (and close) before the whole body is sent, e.g. with 413.
      pipeline(Readable.from([body]), req).catch((err: Error) => reject(unreachable(err)));
    });
  }
}

async function readAll(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_DOWNLOAD_BYTES) {
      res.destroy();
      throw new QixinError('too_large', 'the relay sent more than this app accepts');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function failure(status: number, bytes: Buffer, path: string): QixinError {
  try {
    const error = ErrorBody.safeParse((JSON.parse(bytes.toString('utf8')) as { error?: unknown }).error);
    if (error.success) return QixinError.from(error.data);
  } catch {
    // not JSON: fall through to the status
  }
  if (status === 401) return new QixinError('unauthenticated', 'the relay refused this session');
  if (status === 403) return new QixinError('forbidden', 'you are not allowed to do this');
  if (status === 404) return new QixinError('not_found', `${path}: not found`);
  if (status === 413) return new QixinError('too_large', 'the file is too large');
  return new QixinError(status >= 500 ? 'unavailable' : 'invalid', `${path}: relay answered HTTP ${status}`);
}

/** The file name of a Content-Disposition header (RFC 6266: filename* in UTF-8 wins). */
export function fileNameOf(header: string | undefined): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      // malformed escape: try the plain form
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain ? plain[1]!.trim() : null;
}
