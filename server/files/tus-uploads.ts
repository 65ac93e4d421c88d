// Resumable uploads, tus 1.0 (core, creation, creation-with-upload, termination) at
// FileHttpPaths.uploads, served by @tus/server over HashingFileStore. Around it, the relay's rules:
// every request carries a session (401), an upload is its creator's alone (404 to anyone else, GET
// of the bytes under way to nobody), creation needs a valid declaration whose target admits it
// (400/403/409/413 before a byte is stored), and the last byte verifies the sha256 (460 and
// nothing kept on a mismatch) and commits. See server/files/README.md for the whole exchange.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server, type CancellationContext, type ServerOptions, type Upload } from '@tus/server';
import { FileHttpPaths, QixinError, UploadDeclaration, type StoredFile } from '../../shared/protocol';
import type { Reader, Tx } from '../domain/context';
import { createLogger } from '../log';
import { isUniqueViolation } from '../store/errors';
import type { FileCommits } from './file-commits';
import { asciiJson, callerOf, replyRefusal, STORED_FILE_HEADER, TusRefusal } from './file-http-io';
import type { HashingFileStore } from './hashing-file-store';
import { declarationFromMetadata } from './upload-declaration';

const log = createLogger('relay.uploads');

/** The request as tus hands it to hooks (a web Request over Node's). */
type TusRequest = Parameters<NonNullable<ServerOptions['onUploadCreate']>>[0];

const UPLOAD_PATH = new RegExp(`^${FileHttpPaths.uploads}/([0-9a-f-]{36})$`);

export interface TusUploadDeps {
  db: Reader;
  transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T>;
  sessionOf(token: string): Promise<{ userId: string }>;
  now(): number;
  /** The largest file any target takes: tus refuses a longer Upload-Length on its own. */
  maxBytes: number;
}

/** What an upload under way committed to, or how far it got. */
export type UploadState = { file: StoredFile } | { offset: number };

export class TusUploads {
  private readonly tus: Server;
  /** The checked declaration of a creation request, for the hook that records the new upload. */
  private readonly creations = new WeakMap<IncomingMessage, { userId: string; declaration: UploadDeclaration }>();
  /** Finishes in progress: the last PATCH and a client asking GET committed share one. */
  private readonly finishing = new Map<string, Promise<StoredFile>>();

  constructor(
    private readonly deps: TusUploadDeps,
    readonly store: HashingFileStore,
    private readonly commits: FileCommits,
  ) {
    this.tus = new JsonErrorsTusServer({
      path: FileHttpPaths.uploads,
      datastore: store,
      // Relative: right behind a TLS proxy too; tus clients resolve it against the endpoint.
      relativeLocation: true,
      maxSize: deps.maxBytes,
      namingFunction: () => randomUUID(),
      // Only the desktop core (Node) talks to this endpoint: no browser origin is let in.
      allowedOrigins: [],
      exposedHeaders: [STORED_FILE_HEADER],
      onUploadCreate: (req, upload) => this.record(req, upload),
      onUploadFinish: async (_req, upload) => {
        try {
          return { headers: { [STORED_FILE_HEADER]: asciiJson(await this.finish(upload.id)) } };
        } catch (err) {
          throw err instanceof QixinError ? TusRefusal.of(err) : err;
        }
      },
      onResponseError: (_req, err) => tusErrorAsJson(err),
    });
  }

  handles(req: IncomingMessage): boolean {
    const at = (req.url ?? '').split('?')[0]!;
    return at === FileHttpPaths.uploads || at.startsWith(`${FileHttpPaths.uploads}/`);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('tus-resumable', '1.0.0');
    this.route(req, res).catch((err: unknown) => {
      if (err instanceof QixinError) return replyRefusal(req, res, err);
      log.error({ err, url: req.url }, 'upload request failed');
      replyRefusal(req, res, new QixinError('internal', 'the relay could not process this upload request'));
    });
  }

  /** How far the caller's upload of `fileId` got, finishing it when all bytes are there; null: none under way. */
  async state(userId: string, fileId: string): Promise<UploadState | null> {
    const row = await this.deps.db
      .selectFrom('file_uploads')
      .select(['id', 'size'])
      .where('file_id', '=', fileId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) return null;
    const upload = await this.store.getUpload(row.id).catch(() => null);
    const offset = upload?.offset ?? 0;
    // All bytes arrived but the commit did not happen (the relay stopped in between): do it now.
    if (upload && offset === Number(row.size)) return { file: await this.finish(row.id) };
    return { offset };
  }

  /** Drops an upload: its bytes, its tus record and its row (cancelled, refused or idle). */
  async discard(uploadId: string): Promise<void> {
    await this.store.remove(uploadId).catch(() => this.store.forget(uploadId));
    await this.deps.transaction((trx) => trx.deleteFrom('file_uploads').where('id', '=', uploadId).execute());
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    // Discovery (and a CORS preflight) carries no session; it tells only what tus features exist.
    if (method === 'OPTIONS') return this.tus.handle(req, res);
    const userId = await callerOf(req, this.deps.sessionOf);
    const pathname = new URL(req.url ?? '/', 'http://relay').pathname;
    if (pathname === FileHttpPaths.uploads) {
      if (method !== 'POST') throw new QixinError('invalid', `${method} is not allowed on ${pathname}`);
      this.creations.set(req, { userId, declaration: await this.admit(req, userId) });
      return this.tus.handle(req, res);
    }
    const uploadId = UPLOAD_PATH.exec(pathname)?.[1];
    const notFound = new QixinError('not_found', 'no such upload', 'upload_not_found');
    // GET would serve the bytes under way: they are nobody's to read before the commit.
    if (!uploadId || !['HEAD', 'PATCH', 'DELETE'].includes(method)) throw notFound;
    const own = await this.deps.db
      .selectFrom('file_uploads')
      .select('id')
      .where('id', '=', uploadId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!own) throw notFound;
    await this.tus.handle(req, res);
    if (method === 'DELETE' && res.statusCode === 204) await this.discard(uploadId);
  }

  /** A creation request's declaration, refused before any byte is stored when a rule says no. */
  private async admit(req: IncomingMessage, userId: string): Promise<UploadDeclaration> {
    if (req.headers['upload-defer-length'] !== undefined || req.headers['upload-concat'] !== undefined)
      throw new QixinError('invalid', 'declare the whole upload with Upload-Length');
    const declaration = declarationFromMetadata(req.headers['upload-metadata']?.toString());
    if (req.headers['upload-length'] !== String(declaration.size))
      throw new QixinError('invalid', 'Upload-Length must be the declared size', 'file_size_mismatch');
    await this.commits.target(declaration).check(this.deps.db, userId, declaration);
    await this.commits.assertFresh(declaration);
    return declaration;
  }

  /** onUploadCreate: the new upload is recorded as the caller's before tus makes its file. */
  private async record(req: TusRequest, upload: Upload): Promise<{ metadata?: Upload['metadata'] }> {
    const creation = req.runtime?.node && this.creations.get(req.runtime.node.req as IncomingMessage);
    if (!creation) throw new TusRefusal(500, JSON.stringify({ error: { code: 'internal', message: 'lost track' } }));
    const { userId, declaration } = creation;
    try {
      await this.deps.transaction((trx) =>
        trx
          .insertInto('file_uploads')
          .values({
            id: upload.id,
            file_id: declaration.fileId,
            user_id: userId,
            declaration: JSON.stringify(declaration),
            size: declaration.size,
            created_at: this.deps.now(),
          })
          .execute(),
      );
    } catch (err) {
      if (isUniqueViolation(err))
        throw TusRefusal.of(new QixinError('conflict', 'an upload of this file is under way: resume it'));
      throw err;
    }
    return {};
  }

  private finish(uploadId: string): Promise<StoredFile> {
    let pending = this.finishing.get(uploadId);
    if (!pending) {
      pending = this.verifyAndCommit(uploadId).finally(() => this.finishing.delete(uploadId));
      this.finishing.set(uploadId, pending);
    }
    return pending;
  }

  /** The last byte arrived: the sha256 must match, then the file is committed and the upload goes. */
  private async verifyAndCommit(uploadId: string): Promise<StoredFile> {
    const row = await this.deps.db.selectFrom('file_uploads').selectAll().where('id', '=', uploadId).executeTakeFirst();
    if (!row) throw new QixinError('not_found', 'no such upload', 'upload_not_found');
    const declaration = UploadDeclaration.parse(JSON.parse(row.declaration));
    const sha256 = await this.store.digest(uploadId, declaration.size);
    if (sha256 !== declaration.sha256) {
      await this.discard(uploadId);
      log.info({ uploadId, declared: declaration.sha256, got: sha256 }, 'upload refused: sha256 mismatch');
      throw new QixinError(
        'invalid',
        'the bytes do not have the declared sha256: nothing was kept',
        'file_hash_mismatch',
      );
    }
    let stored: StoredFile;
    try {
      stored = await this.commits.commit(row.user_id, declaration, { uploadId, file: this.store.pathOf(uploadId) });
    } catch (err) {
      // A rule said no at the last moment (left the chat, quota): the bytes cannot go anywhere else.
      // Anything else (the store was unreachable) leaves the upload finished, to commit on the next ask.
      if (err instanceof QixinError) await this.discard(uploadId);
      throw err;
    }
    // The bytes are in the blob store now (a hard link): the upload's own file and record go.
    await this.store.remove(uploadId).catch((err: unknown) => log.warn({ err, uploadId }, 'upload files left behind'));
    return stored;
  }
}

/** tus with the relay's error bodies: `{error}` JSON, said so in Content-Type. */
class JsonErrorsTusServer extends Server {
  override write(context: CancellationContext, headers: Headers, status: number, body?: string) {
    if (body?.startsWith('{')) headers.set('Content-Type', 'application/json; charset=utf-8');
    return super.write(context, headers, status, body);
  }
}

/** tus's own refusals in the relay's words (reasons a client can act on); ours pass as they are. */
function tusErrorAsJson(err: Error | { status_code: number; body: string }): { status_code: number; body: string } {
  const { status_code: status = 500, body = '' } = err as { status_code?: number; body?: string };
  if (body.startsWith('{')) return { status_code: status, body };
  const refusal = (error: QixinError) => ({ status_code: status, body: JSON.stringify({ error: error.toBody() }) });
  if (status === 409)
    return refusal(new QixinError('conflict', body.trim() || 'Upload-Offset conflict', 'upload_offset_mismatch'));
  if (status === 404 || status === 410)
    return refusal(new QixinError('not_found', 'no such upload', 'upload_not_found'));
  if (status === 413 && body.startsWith('Maximum'))
    return refusal(new QixinError('too_large', 'the file is larger than this relay takes', 'file_too_large'));
  if (status === 413)
    return refusal(new QixinError('too_large', 'more bytes than the declared size', 'file_size_mismatch'));
  if (status >= 500) {
    log.error({ err }, 'upload failed');
    return refusal(new QixinError('internal', 'the relay could not store this upload'));
  }
  return refusal(new QixinError('invalid', body.trim() || 'not a valid tus request'));
}
