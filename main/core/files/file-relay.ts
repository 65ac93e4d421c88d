// The relay's file endpoints as the core uses them (shared/protocol/files.ts): limits, 秒传, the
// lookup of a committed upload, and byte downloads (chat files, drive items, previews), streamed
// with node:http. Every request carries the session token.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import {
  ErrorBody,
  FileHttpPaths,
  FileLimitsView,
  InstantAnswer,
  QixinError,
  StoredFile,
  type InstantRequest,
} from '../../../shared/protocol';
import type { z } from 'zod';
import { httpBase } from '../relay/relay-http';

const TIMEOUT_MS = 30_000;

export class FileRelay {
  constructor(
    private readonly relayUrl: string,
    private readonly token: () => string | null,
  ) {}

  /** Where tus uploads are created. */
  get uploadsEndpoint(): string {
    return this.url(FileHttpPaths.uploads).toString();
  }

  authorization(): string {
    const token = this.token();
    if (!token) throw new QixinError('unauthenticated', 'not signed in');
    return `Bearer ${token}`;
  }

  limits(): Promise<FileLimitsView> {
    return this.json('GET', FileHttpPaths.limits, undefined, FileLimitsView);
  }

  instant(request: InstantRequest): Promise<InstantAnswer> {
    return this.json('POST', FileHttpPaths.instant, request, InstantAnswer);
  }

  /** The committed upload of `fileId`, or null while it is not (yet, or any more). */
  async committed(fileId: string): Promise<StoredFile | null> {
    try {
      return await this.json('GET', FileHttpPaths.upload(fileId), undefined, StoredFile);
    } catch (err) {
      if (err instanceof QixinError && (err.code === 'not_found' || err.code === 'conflict')) return null;
      throw err;
    }
  }

  /** A GET whose body the caller streams; error answers become QixinErrors (410 → file_expired). */
  async get(path: string, headers: http.OutgoingHttpHeaders = {}, signal?: AbortSignal): Promise<IncomingMessage> {
    const res = await this.request('GET', this.url(path), headers, null, signal);
    const status = res.statusCode ?? 500;
    if (status >= 400 && status !== 416) throw failure(status, await readSmall(res));
    return res;
  }

  private url(path: string): URL {
    return new URL(path, httpBase(this.relayUrl));
  }

  private async json<T>(method: 'GET' | 'POST', path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const headers: http.OutgoingHttpHeaders = payload
      ? { 'content-type': 'application/json', 'content-length': payload.length }
      : {};
    const res = await this.request(method, this.url(path), headers, payload);
    const text = await readSmall(res);
    const status = res.statusCode ?? 500;
    if (status >= 300) throw failure(status, text);
    const parsed = schema.safeParse(JSON.parse(text.toString('utf8')));
    if (!parsed.success) throw new QixinError('internal', `unexpected answer from ${path}`);
    return parsed.data;
  }

  private request(
    method: string,
    url: URL,
    headers: http.OutgoingHttpHeaders,
    payload: Buffer | null,
    signal?: AbortSignal,
  ): Promise<IncomingMessage> {
    let authorization: string;
    try {
      authorization = this.authorization();
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return new Promise((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(url, {
        method,
        headers: { ...headers, authorization },
        timeout: TIMEOUT_MS,
        signal,
      });
      req.once('response', resolve);
      req.once('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      req.once('error', (err) => reject(unreachable(this.relayUrl, err)));
      req.end(payload ?? undefined);
    });
  }
}

export function unreachable(relayUrl: string, err: Error): QixinError {
  if (err.name === 'AbortError') return new QixinError('unavailable', 'stopped');
  return new QixinError('unavailable', `the relay at ${relayUrl} is not reachable (${err.message})`);
}

/** An error answer: small, but bounded all the same. */
export async function readSmall(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) {
      res.destroy();
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The relay's `{error}` body as a QixinError; without one, the status says what it can. */
export function failure(status: number, body: Buffer | string): QixinError {
  try {
    const error = ErrorBody.safeParse((JSON.parse(body.toString()) as { error?: unknown }).error);
    // The relay's own trouble (5xx) passes: it is tried again, like an unreachable relay.
    if (error.success && status >= 500) return new QixinError('unavailable', error.data.message, error.data.reason);
    if (error.success) return QixinError.from(error.data);
  } catch {
    // not JSON: the status says enough
  }
  if (status === 401) return new QixinError('unauthenticated', 'the relay refused this session');
  if (status === 403) return new QixinError('forbidden', 'the relay refused this file');
  if (status === 404) return new QixinError('not_found', 'no such file', 'file_not_found');
  if (status === 410) return new QixinError('not_found', 'the file has expired', 'file_expired');
  if (status === 413) return new QixinError('too_large', 'the file is larger than the relay allows', 'file_too_large');
  if (status === 409) return new QixinError('conflict', `the relay answered HTTP ${status}`);
  return new QixinError(status >= 500 ? 'unavailable' : 'invalid', `the relay answered HTTP ${status}`);
}

/**
 * Errors worth trying again by themselves (the relay or the network is away), as opposed to
 * refusals and local trouble (a source file gone, a full disk), which no retry fixes.
 */
export function isTransient(err: unknown): boolean {
  return err instanceof QixinError && (err.code === 'unavailable' || err.code === 'rate_limited');
}

/** A local file error as the transfer's failure. */
export function localFailure(err: unknown, what: string): QixinError {
  if (err instanceof QixinError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new QixinError('not_found', `${what}: the file is gone`);
  if (code === 'ENOSPC') return new QixinError('internal', `${what}: the disk is full`);
  if (code === 'EACCES' || code === 'EPERM') return new QixinError('forbidden', `${what}: access denied`);
  return new QixinError('internal', `${what}: ${(err as Error).message}`);
}
