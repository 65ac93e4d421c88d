// Drive file bytes over HTTP: GET/HEAD FileHttpPaths.nodeContent(id) with the session token as
// `Authorization: Bearer …`. `?disposition=inline` previews (仅查看, previewable types only: 415
// otherwise); anything else downloads (可下载; 禁止转发: managers only). An item the caller holds no
// level on answers 404, as one that does not exist. Each preview or download is logged once: a
// resumed download's later ranges are not logged again.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FileHttpPaths, QixinError } from '../../shared/protocol';
import type { Reader, Tx } from '../domain/context';
import { replyJson, statusOf } from '../http/reply';
import { createLogger } from '../log';
import { sendBlob } from '../media/blob-response';
import type { BlobStore } from '../media/blob-store';
import { NotPreviewable, type Drive } from './drive';

const log = createLogger('relay.drive');

const PREFIX = FileHttpPaths.nodeContent('x').slice(0, -'x/content'.length);
const CONTENT_PATH = /^\/api\/drive\/nodes\/([^/]+)\/content$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DriveHttpDeps {
  db: Reader;
  transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T>;
  sessionOf(token: string): Promise<{ userId: string }>;
  blobs: BlobStore;
  drive: Drive;
  now(): number;
}

export class DriveHttpApi {
  constructor(private readonly deps: DriveHttpDeps) {}

  /** True for the paths this API answers (/api/drive/…). */
  handles(req: IncomingMessage): boolean {
    return (req.url ?? '').startsWith(PREFIX);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((err: unknown) => {
      if (err instanceof QixinError) {
        return replyJson(res, err instanceof NotPreviewable ? 415 : statusOf(err.code), { error: err.toBody() });
      }
      log.error({ err, url: req.url }, 'drive request failed');
      replyJson(res, 500, { error: { code: 'internal', message: 'the relay could not process this request' } });
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://relay');
    const id = CONTENT_PATH.exec(url.pathname)?.[1];
    if (id === undefined) throw new QixinError('not_found', `no such endpoint: ${url.pathname}`);
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') throw new QixinError('invalid', `${method} is not allowed here`);
    const userId = await this.caller(req);
    const nodeId = decodeURIComponent(id);
    if (!UUID.test(nodeId)) throw new QixinError('not_found', 'no such file or folder', 'file_not_found');
    const mode = url.searchParams.get('disposition') === 'inline' ? 'preview' : 'download';
    const node = await this.deps.drive.content(userId, nodeId, mode, firstRequestOfTransfer(req));
    const text = node.mime?.startsWith('text/') ?? false;
    await sendBlob(req, res, this.deps.blobs, {
      sha256: node.sha256!,
      // A text preview is shown as plain text whatever its subtype (never as HTML).
      mime: mode === 'preview' && text ? 'text/plain; charset=utf-8' : (node.mime ?? 'application/octet-stream'),
      disposition: mode === 'preview' ? 'inline' : 'attachment',
      fileName: node.name,
      // Access may be withdrawn at any time: every request is checked again.
      cacheControl: 'private, no-cache',
    });
  }

  private async caller(req: IncomingMessage): Promise<string> {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw new QixinError('unauthenticated', 'send Authorization: Bearer <session token>');
    return (await this.deps.sessionOf(token)).userId;
  }
}

/** A GET of the whole file or of a range from its first byte: one logged access; HEAD and later ranges are not. */
function firstRequestOfTransfer(req: IncomingMessage): boolean {
  if (req.method === 'HEAD') return false;
  const range = req.headers.range;
  return range === undefined || /^bytes=0-/.test(range.trim());
}
