// The relay's media endpoints over node:http: uploads stream out with stream.pipeline (fetch would
// buffer the body once more), downloads stream into a file while their sha256 is checked.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ErrorBody, HttpPaths, MediaUpload, QixinError, type MediaUploadKind } from '../../../shared/protocol';
import { readSmall } from '../files/file-relay';
import { httpBase } from '../relay/relay-http';

const TIMEOUT_MS = 60_000;
const UPLOAD_CHUNK = 256 * 1024;

export type DownloadedMedia = { mime: string; size: number; sha256: string };

export class MediaRelay {
  constructor(
    private readonly relayUrl: string,
    private readonly token: () => string | null,
  ) {}

  /** Sends `bytes` as one media upload; the relay's refusals come back as QixinErrors with their reason. */
  async upload(kind: MediaUploadKind, mime: string, bytes: Buffer): Promise<MediaUpload> {
    const url = this.url(HttpPaths.mediaUpload);
    url.searchParams.set('kind', kind);
    const res = await this.request(url, 'POST', { 'content-type': mime, 'content-length': bytes.length }, (req) =>
      pipeline(Readable.from(chunksOf(bytes)), req),
    );
    const body = await readSmall(res);
    if ((res.statusCode ?? 500) !== 201) throw failure(res.statusCode ?? 500, body);
    const parsed = MediaUpload.safeParse(JSON.parse(body.toString('utf8')));
    if (!parsed.success) throw new QixinError('internal', 'unexpected answer to a media upload');
    return parsed.data;
  }

  /** Streams the media into `file` and checks its bytes against the relay's ETag (their sha256). */
  async download(mediaId: string, file: string): Promise<DownloadedMedia> {
    const res = await this.request(this.url(HttpPaths.media(mediaId)), 'GET', {}, null);
    if ((res.statusCode ?? 500) !== 200) throw failure(res.statusCode ?? 500, await readSmall(res));
    const expected = /^"([0-9a-f]{64})"$/.exec(res.headers.etag ?? '')?.[1];
    const hash = createHash('sha256');
    let size = 0;
    const digest = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(res, digest, fs.createWriteStream(file));
    } catch (err) {
      throw new QixinError('unavailable', `the download of ${mediaId} broke off (${(err as Error).message})`);
    }
    const sha256 = hash.digest('hex');
    if (expected && sha256 !== expected)
      throw new QixinError('unavailable', `the download of ${mediaId} was corrupted`);
    return { mime: res.headers['content-type'] ?? 'application/octet-stream', size, sha256 };
  }

  private url(path: string): URL {
    return new URL(path, httpBase(this.relayUrl));
  }

  private request(
    url: URL,
    method: 'GET' | 'POST',
    headers: http.OutgoingHttpHeaders,
    send: ((req: http.ClientRequest) => Promise<void>) | null,
  ): Promise<IncomingMessage> {
    const token = this.token();
    if (!token) return Promise.reject(new QixinError('unauthenticated', 'not signed in'));
    const unreachable = (err: Error) =>
      new QixinError('unavailable', `the relay at ${this.relayUrl} is not reachable (${err.message})`);
    return new Promise((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(url, {
        method,
        headers: { ...headers, authorization: `Bearer ${token}` },
        timeout: TIMEOUT_MS,
      });
      let answered = false;
      req.once('response', (res) => {
        answered = true;
        resolve(res);
      });
      req.once('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      req.on('error', (err) => (answered ? undefined : reject(unreachable(err))));
      if (!send) {
        req.end();
        return;
      }
      // The relay may refuse (413, 415) and close before the whole body is out: its answer wins.
      send(req).catch((err: Error) => (answered ? undefined : reject(unreachable(err))));
    });
  }
}

function* chunksOf(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += UPLOAD_CHUNK) yield bytes.subarray(at, at + UPLOAD_CHUNK);
}

function failure(status: number, body: Buffer): QixinError {
  try {
    const error = ErrorBody.safeParse((JSON.parse(body.toString('utf8')) as { error?: unknown }).error);
    if (error.success) return QixinError.from(error.data);
  } catch {
    // not JSON: the status says enough
  }
  if (status === 401) return new QixinError('unauthenticated', 'the relay refused this session');
  if (status === 404) return new QixinError('not_found', 'no such media', 'media_not_found');
  return new QixinError(status >= 500 ? 'unavailable' : 'invalid', `the relay answered HTTP ${status}`);
}
