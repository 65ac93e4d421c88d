// Chat media in the desktop core: uploads to the relay (keeping a local copy), URLs the renderer can
// load, and answering those URLs from the local cache or a download. The browser bridge and the
// Electron app protocol both answer media requests through `serve`.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { etagMatches, parseByteRange } from '../../../shared/lib/byte-range';
import { MediaLimits, QixinError, type MediaUpload, type MediaUploadKind } from '../../../shared/protocol';
import { createLogger } from '../log';
import { isMediaId, MediaFiles, type CachedMedia } from './media-files';
import type { MediaRelay } from './media-relay';

const log = createLogger('core.media');

/** Where the renderer loads media in Electron (served by main/electron/app-protocol.ts). */
export const APP_MEDIA_PREFIX = 'app://qixin/media/';
/** Where the renderer loads media in browser mode (served by the bridge server). */
export const BRIDGE_MEDIA_PREFIX = '/media/';

const MAX_BYTES: Record<MediaUploadKind, number> = {
  image: MediaLimits.imageMaxBytes,
  voice: MediaLimits.voiceMaxBytes,
  video: MediaLimits.videoMaxBytes,
};

export type MediaRequest = { range?: string | null; ifNoneMatch?: string | null; head?: boolean };
export type MediaReply = { status: number; headers: Record<string, string>; body: Readable | null };

/** What a transport (bridge server, app protocol) needs to answer media URLs. */
export interface MediaSource {
  /** Whether `sig` is this launch's signature of a browser-mode media URL for `mediaId`. */
  verify(mediaId: string, sig: string | null): boolean;
  serve(mediaId: string, request: MediaRequest): Promise<MediaReply>;
}

export type CoreMediaOptions = {
  dataDir: string;
  mode: 'electron' | 'browser';
  relay: MediaRelay;
  /** The signed-in user, or null. */
  userId(): string | null;
};

export class CoreMedia implements MediaSource {
  private readonly files: MediaFiles;
  /** Signs browser-mode URLs: a page that only knows the bridge's port cannot load anyone's media. */
  private readonly urlKey = randomBytes(32);

  constructor(private readonly options: CoreMediaOptions) {
    this.files = new MediaFiles(path.join(options.dataDir, 'media'));
  }

  async upload(kind: MediaUploadKind, mime: string, bytes: Buffer): Promise<MediaUpload> {
    const userId = this.requireUser();
    if (bytes.length > MAX_BYTES[kind]) {
      throw new QixinError(
        'too_large',
        `the ${kind} is larger than ${MAX_BYTES[kind] / 1024 / 1024} MB`,
        'media_too_large',
      );
    }
    const uploaded = await this.options.relay.upload(kind, mime, bytes);
    try {
      await this.files.save(userId, uploaded.mediaId, bytes, uploaded);
    } catch (err) {
      // The upload stands; the bytes will be downloaded when shown.
      log.warn({ err: (err as Error).message }, 'could not keep a local copy of an upload');
    }
    return uploaded;
  }

  urlFor(mediaId: string): string {
    if (this.options.mode === 'electron') return `${APP_MEDIA_PREFIX}${mediaId}`;
    return `${BRIDGE_MEDIA_PREFIX}${mediaId}?sig=${this.sign(mediaId)}`;
  }

  verify(mediaId: string, sig: string | null): boolean {
    if (!sig) return false;
    const expected = Buffer.from(this.sign(mediaId));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async serve(mediaId: string, request: MediaRequest): Promise<MediaReply> {
    const userId = this.options.userId();
    if (!userId) return plain(401, 'not signed in');
    if (!isMediaId(mediaId)) return plain(404, 'no such media');
    let media: CachedMedia;
    try {
      media = await this.files.fetch(userId, mediaId, (temp) => this.options.relay.download(mediaId, temp));
    } catch (err) {
      const code = err instanceof QixinError ? err.code : 'internal';
      log.debug({ mediaId, code, err: (err as Error).message }, 'media not available');
      if (code === 'not_found') return plain(404, 'no such media');
      if (code === 'unauthenticated') return plain(401, 'the relay refused this session');
      // Offline or the relay failed: the renderer shows a broken image and may retry later.
      return plain(503, 'the media is not available offline');
    }
    return fileReply(media, request);
  }

  private sign(mediaId: string): string {
    return createHmac('sha256', this.urlKey).update(mediaId).digest('base64url');
  }

  private requireUser(): string {
    const userId = this.options.userId();
    if (!userId) throw new QixinError('unauthenticated', 'not signed in');
    return userId;
  }
}

function plain(status: number, text: string): MediaReply {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body: Readable.from([text]),
  };
}

function fileReply(media: CachedMedia, request: MediaRequest): MediaReply {
  const etag = `"${media.sha256}"`;
  const headers: Record<string, string> = {
    'content-type': media.mime,
    etag,
    'cache-control': 'private, max-age=31536000, immutable',
    'accept-ranges': 'bytes',
    'x-content-type-options': 'nosniff',
  };
  if (etagMatches(request.ifNoneMatch, etag)) return { status: 304, headers, body: null };
  const range = parseByteRange(request.range, media.size);
  if (range === 'unsatisfiable') {
    return { status: 416, headers: { ...headers, 'content-range': `bytes */${media.size}` }, body: null };
  }
  const { start, end } = range ?? { start: 0, end: media.size - 1 };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${media.size}`;
  headers['content-length'] = String(Math.max(0, end - start + 1));
  const body = request.head || media.size === 0 ? null : fs.createReadStream(media.file, { start, end });
  return { status: range ? 206 : 200, headers, body };
}
