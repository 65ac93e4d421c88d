// Browser mode's file URLs (see files/file-routes.ts), each carrying this launch's signature:
//   POST /files/stage?sig=…&name=…   the body is a file's bytes → {stagedId}
//   GET  /files/local/<transferId>?sig=…   a finished download (attachment, Range)
//   GET  /files/preview/<nodeId>?sig=…     a drive item, inline, from the relay (Range passed on)
import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { QixinError } from '../../../shared/protocol';
import { FILE_ROUTES, type FileRouteSource } from '../files/file-routes';
import { createLogger } from '../log';
import type { MediaReply } from '../media/core-media';

const log = createLogger('core.bridge.files');

/** Answers the request if it is for a file URL (true), else leaves it to the caller (false). */
export function serveFileRequest(
  files: FileRouteSource,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  securityHeaders: Record<string, string>,
): boolean {
  const url = new URL(req.url ?? '/', 'http://bridge');
  const refuse = (status: number, body?: object) => {
    res.writeHead(status, {
      ...securityHeaders,
      'cache-control': 'no-store',
      ...(body ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    });
    res.end(body ? JSON.stringify(body) : undefined);
  };
  const sig = url.searchParams.get('sig');

  if (url.pathname === FILE_ROUTES.stage) {
    if (req.method !== 'POST') return (refuse(405), true);
    if (!files.verify('stage', '', sig)) return (refuse(403), true);
    const name = url.searchParams.get('name') ?? '';
    if (name === '') return (refuse(400, { error: { code: 'invalid', message: 'name is missing' } }), true);
    const declared = req.headers['content-length'] ? Number(req.headers['content-length']) : null;
    files.stage(req, name, declared).then(
      (staged) => {
        res.writeHead(201, { ...securityHeaders, 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(staged));
      },
      (err: unknown) => {
        const error = err instanceof QixinError ? err : new QixinError('internal', 'the upload broke off');
        log.debug({ code: error.code, err: (err as Error).message }, 'staging refused');
        if (res.headersSent || res.destroyed) return;
        // Answer, then stop reading the rest of a refused body.
        res.once('finish', () => req.destroy());
        refuse(error.code === 'too_large' ? 413 : error.code === 'unauthenticated' ? 401 : 400, {
          error: error.toBody(),
        });
      },
    );
    return true;
  }

  const kind = url.pathname.startsWith(FILE_ROUTES.local)
    ? 'local'
    : url.pathname.startsWith(FILE_ROUTES.preview)
      ? 'preview'
      : null;
  if (!kind) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') return (refuse(405), true);
  let id: string;
  try {
    id = decodeURIComponent(url.pathname.slice(FILE_ROUTES[kind].length));
  } catch {
    return (refuse(400), true);
  }
  if (!files.verify(kind, id, sig)) return (refuse(403), true);
  const request = { range: req.headers.range, head: req.method === 'HEAD' };
  const reply = kind === 'local' ? files.serveLocal(id, request) : files.servePreview(id, request);
  void send(reply, res, securityHeaders, refuse);
  return true;
}

async function send(
  pending: Promise<MediaReply>,
  res: http.ServerResponse,
  securityHeaders: Record<string, string>,
  refuse: (status: number) => void,
): Promise<void> {
  try {
    const reply = await pending;
    res.writeHead(reply.status, { ...securityHeaders, ...reply.headers });
    if (!reply.body) return void res.end();
    await pipeline(reply.body, res);
  } catch (err) {
    // A reader that went away mid-file, or a local disk failure.
    log.debug({ err: (err as Error).message }, 'file response cut off');
    if (!res.headersSent) refuse(500);
    else res.destroy();
  }
}
