// The renderer is served from `app://qixin/`, a privileged standard+secure scheme, never from
// file://: a real origin for CSP and for checking IPC senders (DESIGN §8).
import { net, protocol } from 'electron';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { FILE_ROUTES, type FileRouteSource } from '../core/files/file-routes';
import type { MediaReply, MediaSource } from '../core/media/core-media';

export const APP_SCHEME = 'app';
export const APP_HOST = 'qixin';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Strict: scripts and everything else only from our own origin; no eval, no remote content. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Must run before the app is ready. No `corsEnabled`: other origins must not read our files. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Whether a frame URL belongs to our app (IPC senders are checked against this). */
export function isAppUrl(raw: string | undefined): boolean {
  if (!raw) return false;
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Serves files under `rootDir` (dist/renderer) with the CSP header; after app ready. Chat media
 * (`app://qixin/media/<id>`), finished downloads (`/files/local/<transferId>`) and drive previews
 * (`/files/preview/<nodeId>`) come from the desktop core once `media` / `files` return it.
 */
export function serveAppProtocol(
  rootDir: string,
  media: () => MediaSource | null = () => null,
  files: () => FileRouteSource | null = () => null,
): void {
  const root = path.resolve(rootDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('not found', { status: 404 });
    if (url.pathname.startsWith(MEDIA_PATH)) return serveMedia(media(), url.pathname.slice(MEDIA_PATH.length), request);
    if (url.pathname.startsWith(FILE_ROUTES.local) || url.pathname.startsWith(FILE_ROUTES.preview)) {
      return serveFile(files(), url.pathname, request);
    }
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(root, `.${relative}`);
    if (file !== root && !file.startsWith(root + path.sep)) return new Response('forbidden', { status: 403 });
    let upstream: Response;
    try {
      upstream = await net.fetch(pathToFileURL(file).toString());
    } catch {
      return new Response('not found', { status: 404 });
    }
    if (!upstream.ok) return new Response('not found', { status: 404 });
    // Module scripts need an exact JavaScript MIME type, so it comes from our table.
    const headers = {
      'Content-Type': contentType(file),
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    };
    return new Response(upstream.body, { status: 200, headers });
  });
}

const MEDIA_PATH = '/media/';

/** Only our own pages reach this scheme, so the app's origin is the credential (no token in the URL). */
async function serveMedia(media: MediaSource | null, mediaId: string, request: Request): Promise<Response> {
  if (!media) return new Response('not ready', { status: 503 });
  const reply = await media.serve(mediaId, {
    range: request.headers.get('range'),
    ifNoneMatch: request.headers.get('if-none-match'),
  });
  return toResponse(reply);
}

/** A finished download or a drive preview; as with media, reaching this scheme is the credential. */
async function serveFile(files: FileRouteSource | null, pathname: string, request: Request): Promise<Response> {
  if (!files) return new Response('not ready', { status: 503 });
  const local = pathname.startsWith(FILE_ROUTES.local);
  let id: string;
  try {
    id = decodeURIComponent(pathname.slice((local ? FILE_ROUTES.local : FILE_ROUTES.preview).length));
  } catch {
    return new Response('bad request', { status: 400 });
  }
  const asked = { range: request.headers.get('range') };
  return toResponse(await (local ? files.serveLocal(id, asked) : files.servePreview(id, asked)));
}

function toResponse(reply: MediaReply): Response {
  const body = reply.body ? (Readable.toWeb(reply.body) as ReadableStream<Uint8Array>) : null;
  return new Response(body, { status: reply.status, headers: reply.headers });
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

function contentType(file: string): string {
  return types[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
