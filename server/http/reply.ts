// JSON answers of the relay's HTTP endpoints, and the status each error code maps to.
import type { ServerResponse } from 'node:http';
import type { ErrorCode } from '../../shared/protocol';

const STATUS: Partial<Record<ErrorCode, number>> = {
  bad_frame: 400,
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
};

export const statusOf = (code: ErrorCode): number => STATUS[code] ?? 500;

/** Sends a JSON body. A response already under way (a streamed download) is cut off instead. */
export function replyJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    // A refused upload body is not read: close rather than leave it in the socket.
    ...(status === 413 ? { connection: 'close' } : {}),
  });
  res.end(JSON.stringify(body));
}
