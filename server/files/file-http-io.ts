// What the file endpoints share on the wire: the caller's session, bounded JSON bodies, error
// answers in the relay's `{error}` shape (also those tus sends), and the StoredFile header.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { QixinError, type ErrorBody } from '../../shared/protocol';
import { replyJson, statusOf } from '../http/reply';

/** tus's checksum-mismatch status (checksum extension): the bytes are not the declared sha256. */
export const CHECKSUM_MISMATCH = 460;

/** On the answer that commits an upload (last PATCH, or the POST of a zero-byte one): the StoredFile as JSON. */
export const STORED_FILE_HEADER = 'Qixin-Stored-File';

const JSON_BODY_MAX_BYTES = 16 * 1024;

/** The HTTP status of a refusal; a hash mismatch is tus's 460 everywhere. */
export function statusOfRefusal(err: QixinError): number {
  return err.reason === 'file_hash_mismatch' ? CHECKSUM_MISMATCH : statusOf(err.code);
}

/** What tus sends as it is: it reads `status_code` and `body` off whatever a hook or the store throws. */
export class TusRefusal extends Error {
  constructor(
    readonly status_code: number,
    readonly body: string,
  ) {
    super(body);
  }

  static of(err: QixinError): TusRefusal {
    return new TusRefusal(statusOfRefusal(err), JSON.stringify({ error: err.toBody() }));
  }
}

/** The user behind `Authorization: Bearer <session token>`; 401 without one. */
export async function callerOf(
  req: IncomingMessage,
  sessionOf: (token: string) => Promise<{ userId: string }>,
): Promise<string> {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!token) throw new QixinError('unauthenticated', 'send Authorization: Bearer <session token>');
  return (await sessionOf(token)).userId;
}

/** Answers a refusal as `{error, ...extra}`; a body the relay did not read closes the connection. */
export function replyRefusal(
  req: IncomingMessage,
  res: ServerResponse,
  err: QixinError,
  extra: Record<string, unknown> = {},
): void {
  if (!req.complete && !res.headersSent) res.setHeader('connection', 'close');
  const body: { error: ErrorBody } = { error: err.toBody() };
  replyJson(res, statusOfRefusal(err), { ...body, ...extra });
}

/** A small JSON body (at most 16 KiB: 413 beyond, without reading the rest). */
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const tooLarge = () => new QixinError('too_large', `a request body holds at most ${JSON_BODY_MAX_BYTES} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > JSON_BODY_MAX_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= JSON_BODY_MAX_BYTES) return void chunks.push(chunk);
      req.off('data', onData).pause();
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('error', reject);
    req.once('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      } catch {
        reject(new QixinError('invalid', 'the body is not JSON'));
      }
    });
  });
}

/** JSON with every non-ASCII character escaped (\uXXXX): still JSON, and a valid header value. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
