// URLs the renderer loads for files, and their answers: a finished download (attachment, Range),
// a drive item's preview (proxied from the relay, inline, Range passed through for video), and, in
// browser mode, the stage URL the page POSTs a file's bytes to. Browser mode signs each URL with
// a key made for this launch (the bridge's port alone opens nothing); Electron serves them on
// app://qixin/files/…, which only our own pages reach.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { parseByteRange } from '../../../shared/lib/byte-range';
import { FileHttpPaths, FileLimits, QixinError } from '../../../shared/protocol';
import { createLogger } from '../log';
import type { MediaReply, MediaRequest } from '../media/core-media';
import type { FileRelay } from './file-relay';
import type { Staging } from './staging';
import type { Transfers } from './transfers';

const log = createLogger('core.files.routes');

/** Browser mode's paths (the bridge server); Electron's are the same under app://qixin. */
export const FILE_ROUTES = {
  stage: '/files/stage',
  local: '/files/local/',
  preview: '/files/preview/',
} as const;
export const APP_FILES_ORIGIN = 'app://qixin';

export type FileRouteKind = 'stage' | 'local' | 'preview';

/** What a transport (bridge server, app protocol) needs to answer file URLs. */
export interface FileRouteSource {
  verify(kind: FileRouteKind, id: string, sig: string | null): boolean;
  /** Streams a browser-mode upload into staging; answers its id. */
  stage(body: Readable, name: string, declaredBytes: number | null): Promise<{ stagedId: string }>;
  serveLocal(transferId: string, request: MediaRequest): Promise<MediaReply>;
  servePreview(nodeId: string, request: MediaRequest): Promise<MediaReply>;
}

export type FileRoutesOptions = {
  mode: 'electron' | 'browser';
  relay: FileRelay;
  staging: Staging;
  transfers: Transfers;
  /** The relay's drive limit (the most a staged file may hold). */
  stageLimit(): Promise<number>;
  signedIn(): boolean;
};

export class FileRoutes implements FileRouteSource {
  private readonly key = randomBytes(32);

  constructor(private readonly options: FileRoutesOptions) {}

  stageUrl(): string | null {
    if (this.options.mode === 'electron') return null;
    return `${FILE_ROUTES.stage}?sig=${this.sign('stage', '')}`;
  }

  localUrl(transferId: string): string {
    return this.url('local', transferId);
  }

  previewUrl(nodeId: string): string {
    return this.url('preview', nodeId);
  }

  verify(kind: FileRouteKind, id: string, sig: string | null): boolean {
    if (!sig) return false;
    const expected = Buffer.from(this.sign(kind, id));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async stage(body: Readable, name: string, declaredBytes: number | null): Promise<{ stagedId: string }> {
    if (!this.options.signedIn()) throw new QixinError('unauthenticated', 'not signed in');
    const limit = await this.options.stageLimit();
    if (declaredBytes !== null && declaredBytes > limit) {
      throw new QixinError('too_large', 'the file is larger than the relay allows', 'file_too_large');
    }
    const staged = await this.options.staging.receive(body, name, limit);
    return { stagedId: staged.id };
  }

  async serveLocal(transferId: string, request: MediaRequest): Promise<MediaReply> {
    let file: string;
    let row;
    try {
      row = this.options.transfers.get(transferId);
      file = finishedFile(row);
    } catch {
      return plain(404, 'no such download');
    }
    const info = await fs.promises.stat(file).catch(() => null);
    if (!info?.isFile()) return plain(404, 'the file is no longer there');
    const headers: Record<string, string> = {
      'content-type': row.mime,
      'content-disposition': contentDisposition('attachment', row.name),
      'accept-ranges': 'bytes',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    };
    const range = parseByteRange(request.range, info.size);
    if (range === 'unsatisfiable') {
      return { status: 416, headers: { ...headers, 'content-range': `bytes */${info.size}` }, body: null };
    }
    const { start, end } = range ?? { start: 0, end: info.size - 1 };
    if (range) headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
    headers['content-length'] = String(Math.max(0, end - start + 1));
    const body = request.head || info.size === 0 ? null : fs.createReadStream(file, { start, end });
    return { status: range ? 206 : 200, headers, body };
  }

  async servePreview(nodeId: string, request: MediaRequest): Promise<MediaReply> {
    if (!this.options.signedIn()) return plain(401, 'not signed in');
    try {
      const res = await this.options.relay.get(
        `${FileHttpPaths.nodeContent(nodeId)}?disposition=inline`,
        request.range ? { range: request.range } : {},
      );
      const headers: Record<string, string> = {
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      };
      for (const name of ['content-type', 'content-length', 'content-range', 'accept-ranges', 'etag']) {
        const value = res.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      headers['content-disposition'] = 'inline';
      if (request.head) {
        res.destroy();
        return { status: res.statusCode ?? 200, headers, body: null };
      }
      return { status: res.statusCode ?? 200, headers, body: res };
    } catch (err) {
      const error = err instanceof QixinError ? err : new QixinError('internal', String(err));
      log.debug({ nodeId, code: error.code, reason: error.reason }, 'preview not available');
      // invalid: the relay does not preview this type (415); the renderer offers a download instead.
      const status =
        { not_found: 404, forbidden: 403, unauthenticated: 401, invalid: 415 }[error.code as string] ?? 503;
      return plain(error.reason === 'file_expired' ? 410 : status, error.message);
    }
  }

  private url(kind: 'local' | 'preview', id: string): string {
    const path = `${FILE_ROUTES[kind]}${encodeURIComponent(id)}`;
    if (this.options.mode === 'electron') return `${APP_FILES_ORIGIN}${path}`;
    return `${path}?sig=${this.sign(kind, id)}`;
  }

  private sign(kind: FileRouteKind, id: string): string {
    return createHmac('sha256', this.key).update(`${kind}:${id}`).digest('base64url');
  }
}

/** The finished download's file, or why there is none. */
export function finishedFile(row: { direction: string; state: string; localPath: string | null }): string {
  if (row.direction !== 'download' || row.state !== 'done' || !row.localPath) {
    throw new QixinError('conflict', 'the download is not finished');
  }
  return row.localPath;
}

function plain(status: number, text: string): MediaReply {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body: Readable.from([text]),
  };
}

/** `attachment; filename="…"; filename*=UTF-8''…`: an ASCII fallback and the real (Chinese) name. */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export const DEFAULT_STAGE_LIMIT = FileLimits.driveFileMaxBytes;
