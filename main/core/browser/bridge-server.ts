// Browser mode: one loopback-only HTTP server that serves the built renderer and carries the
// contract over a WebSocket at BRIDGE_PATH, guarded by a random per-launch token and an Origin check.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { BRIDGE_PATH, BridgeRequest, dispatchCall, type BridgeServerFrame } from '../../../shared/contract';
import { MAX_IMPORT_BYTES } from '../../../shared/protocol/directory-io';
import type { DesktopCore } from '../desktop-core';
import { createLogger } from '../log';
import { serveFileRequest } from './file-route';
import { serveMediaRequest } from './media-route';

const log = createLogger('core.bridge');

export type BridgeServerOptions = {
  core: DesktopCore;
  host?: '127.0.0.1';
  port?: number;
  staticDir?: string;
};

export type BridgeServer = { url: string; port: number; token: string; close(): Promise<void> };

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // antd injects style tags at run time
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws://127.0.0.1:*",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** Room for the largest call: an import file (MAX_IMPORT_BYTES) as base64, plus its frame. */
const MAX_BRIDGE_FRAME = Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 64 * 1024;

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startBridgeServer(options: BridgeServerOptions): Promise<BridgeServer> {
  const host = options.host ?? '127.0.0.1';
  const staticDir = path.resolve(options.staticDir ?? 'dist/renderer');
  const token = randomBytes(32).toString('base64url');
  const sockets = new Set<WebSocket>();
  let origin = '';

  const server = http.createServer((req, res) => {
    if (serveMediaRequest(options.core.media, req, res, SECURITY_HEADERS)) return;
    if (serveFileRequest(options.core.files.routes, req, res, SECURITY_HEADERS)) return;
    serveStatic(staticDir, req, res).catch((err: Error) => {
      log.error({ err: err.message }, 'static file failed');
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS);
      res.end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BRIDGE_FRAME });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== BRIDGE_PATH) return refuse(404, 'Not Found');
    if (!sameToken(url.searchParams.get('token'), token)) return refuse(401, 'Unauthorized');
    // Another web page in the same browser must not drive the core, even if it guessed the port.
    if (req.headers.origin !== origin) return refuse(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const unsubscribe = options.core.onEvent((event, payload) => {
    const frame = JSON.stringify({ event, payload } satisfies BridgeServerFrame);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  function attach(ws: WebSocket): void {
    sockets.add(ws);
    ws.send(JSON.stringify({ event: 'connection', payload: options.core.connection() } satisfies BridgeServerFrame));
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => ws.terminate());
    ws.on('message', async (data) => {
      let request: BridgeRequest;
      try {
        request = BridgeRequest.parse(JSON.parse(String(data)));
      } catch {
        ws.close(1008, 'bad frame');
        return;
      }
      const result = await dispatchCall(options.core.service, request.call, request.args);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: request.id, result } satisfies BridgeServerFrame));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host}:${port}`;
  log.info({ port }, 'bridge listening');

  return {
    url: `${origin}/#token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...SECURITY_HEADERS, allow: 'GET, HEAD' });
    res.end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    res.writeHead(400, SECURITY_HEADERS);
    res.end();
    return;
  }
  let file = path.resolve(root, `.${pathname}`);
  // Never serve anything outside the renderer's folder.
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(403, SECURITY_HEADERS);
    res.end();
    return;
  }
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = path.join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) {
    // Client-side routes fall back to the app; a missing asset is a real 404.
    if (path.extname(pathname) !== '') {
      res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    file = path.join(root, 'index.html');
    info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      res.end('the renderer is not built: run `npm run build:renderer`');
      return;
    }
  }
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const isHtml = type.startsWith('text/html');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': info.size,
    'cache-control': isHtml ? 'no-cache' : 'public, max-age=3600',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
