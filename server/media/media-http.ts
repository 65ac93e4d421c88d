// Chat media over HTTP (`HttpPaths.mediaUpload`, `HttpPaths.media(id)`), with the session token as
// `Authorization: Bearer …`. Uploads stream to the blob store and are refused the moment they break a
// rule (size, type), without reading the rest; downloads answer 404 to anyone who may not read them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { newId } from '../../shared/lib/ids';
import { HttpPaths, MediaId, MediaUploadKind, QixinError, type MediaUpload } from '../../shared/protocol';
import type { Reader, Tx } from '../domain/context';
import { replyJson, statusOf } from '../http/reply';
import { createLogger } from '../log';
import type { BlobStore } from './blob-store';
import { sendBlob } from './blob-response';
import { canReadMedia } from './media-refs';
import { bareMime, imageHeadCheck, MAX_BYTES, mimeFitsKind, sizeLimit, tooLarge, typeMismatch } from './media-types';

const log = createLogger('relay.media');

const MEDIA_PATH = /^\/api\/media\/([^/]+)$/;
/** Ids are random and bytes never change: a client may keep them as long as it likes, privately. */
const CACHE_FOREVER = 'private, max-age=31536000, immutable';

export interface MediaHttpDeps {
  db: Reader;
  transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T>;
  sessionOf(token: string): Promise<{ userId: string }>;
  blobs: BlobStore;
  now(): number;
}

export class MediaHttpApi {
  constructor(private readonly deps: MediaHttpDeps) {}

  /** True for the paths this API answers (/api/media and /api/media/<id>). */
  handles(req: IncomingMessage): boolean {
    const at = (req.url ?? '').split('?')[0]!;
    return at === HttpPaths.mediaUpload || at.startsWith(`${HttpPaths.mediaUpload}/`);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((err: unknown) => {
      // An upload refused before its end is not read further: the connection closes after the answer.
      if (!req.complete) res.setHeader('connection', 'close');
      if (err instanceof QixinError) {
        const status =
          err.reason === 'media_type_mismatch' ? 415 : err.reason === 'file_expired' ? 410 : statusOf(err.code);
        return replyJson(res, status, { error: err.toBody() });
      }
      log.error({ err, url: req.url }, 'media request failed');
      replyJson(res, 500, { error: { code: 'internal', message: 'the relay could not process this request' } });
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://relay');
    const method = req.method ?? 'GET';
    if (url.pathname === HttpPaths.mediaUpload) {
      if (method !== 'POST') throw new QixinError('invalid', `${method} is not allowed on ${url.pathname}`);
      const userId = await this.caller(req);
      return replyJson(res, 201, await this.upload(req, url, userId));
    }
    const id = MEDIA_PATH.exec(url.pathname)?.[1];
    if (id === undefined) throw new QixinError('not_found', `no such endpoint: ${url.pathname}`);
    if (method !== 'GET' && method !== 'HEAD') throw new QixinError('invalid', `${method} is not allowed here`);
    const userId = await this.caller(req);
    return this.download(req, res, decodeURIComponent(id), userId);
  }

  private async caller(req: IncomingMessage): Promise<string> {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw new QixinError('unauthenticated', 'send Authorization: Bearer <session token>');
    return (await this.deps.sessionOf(token)).userId;
  }

  private async upload(req: IncomingMessage, url: URL, userId: string): Promise<MediaUpload> {
    const kind = MediaUploadKind.safeParse(url.searchParams.get('kind'));
    if (!kind.success) throw new QixinError('invalid', 'kind must be image, voice or video');
    const mime = bareMime(req.headers['content-type']);
    if (!mimeFitsKind(kind.data, mime)) {
      throw typeMismatch(`a ${kind.data} upload cannot have Content-Type "${mime || 'none'}"`);
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_BYTES[kind.data]) throw tooLarge(kind.data);

    // The body goes through a pass-through: a failed pipeline destroys its source, and destroying
    // the request itself would take the socket, and with it the chance to answer 413 or 415.
    const body = new PassThrough();
    const aborted = () => {
      if (!req.complete) body.destroy(new QixinError('invalid', 'the upload was interrupted'));
    };
    req.on('close', aborted);
    req.pipe(body);
    const checks = [sizeLimit(kind.data), ...(kind.data === 'image' ? [imageHeadCheck(mime)] : [])];
    let blob;
    try {
      blob = await this.deps.blobs.put(body, checks);
    } finally {
      req.off('close', aborted);
      req.unpipe(body);
      if (!req.complete) req.pause();
    }
    const row = {
      id: newId(),
      sha256: blob.sha256,
      kind: kind.data,
      mime,
      size: blob.size,
      uploader_id: userId,
      created_at: this.deps.now(),
    };
    await this.deps.transaction((trx) => trx.insertInto('media').values(row).execute());
    log.debug({ id: row.id, kind: row.kind, size: row.size }, 'media stored');
    return { mediaId: row.id, kind: row.kind, mime, size: row.size, sha256: row.sha256 };
  }

  private async download(req: IncomingMessage, res: ServerResponse, id: string, userId: string): Promise<void> {
    const notFound = new QixinError('not_found', 'no such media', 'media_not_found');
    if (!MediaId.safeParse(id).success) throw notFound;
    const row = await canReadMedia(this.deps.db, userId, id);
    if (!row) throw notFound;
    if (row.kind === 'file') {
      // A chat file: saved under its name; past its retention it is gone (已过期), whatever is on disk.
      if (row.expires_at !== null && Number(row.expires_at) <= this.deps.now())
        throw new QixinError('not_found', 'this file expired', 'file_expired');
      return sendBlob(req, res, this.deps.blobs, {
        sha256: row.sha256,
        mime: row.mime,
        disposition: 'attachment',
        fileName: row.name,
        // Access may end (expiry), so no shared or long-lived copies.
        cacheControl: 'private, no-cache',
      });
    }
    await sendBlob(req, res, this.deps.blobs, {
      sha256: row.sha256,
      mime: row.mime,
      disposition: /^(image|audio|video)\//.test(row.mime) ? 'inline' : null,
      cacheControl: CACHE_FOREVER,
    });
  }
}
