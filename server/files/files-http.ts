// The file endpoints under /api/files: tus uploads (TusUploads), 秒传 (POST instant), what an
// upload committed to (GET committed/<fileId>) and this relay's limits (GET limits). Every request
// carries `Authorization: Bearer <session token>`; errors are `{error: {code, message, reason}}`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FileHttpPaths, InstantRequest, QixinError, type FileLimitsView } from '../../shared/protocol';
import { replyJson } from '../http/reply';
import { createLogger } from '../log';
import type { FileCommits } from './file-commits';
import type { FileConfig } from './file-config';
import { callerOf, readJsonBody, replyRefusal } from './file-http-io';
import type { InstantUploads } from './instant-uploads';
import type { TusUploads } from './tus-uploads';
import { checked } from './upload-declaration';

const log = createLogger('relay.files');

const COMMITTED_PATH = /^\/api\/files\/committed\/([^/]+)$/;

export interface FileHttpDeps {
  sessionOf(token: string): Promise<{ userId: string }>;
  config: FileConfig;
  uploads: TusUploads;
  instant: InstantUploads;
  commits: FileCommits;
}

export class FileHttpApi {
  constructor(private readonly deps: FileHttpDeps) {}

  handles(req: IncomingMessage): boolean {
    const at = (req.url ?? '').split('?')[0]!;
    return at.startsWith('/api/files/');
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.deps.uploads.handles(req)) return this.deps.uploads.handle(req, res);
    this.route(req, res).catch((err: unknown) => {
      if (err instanceof QixinError) return replyRefusal(req, res, err);
      log.error({ err, url: req.url }, 'file request failed');
      replyRefusal(req, res, new QixinError('internal', 'the relay could not process this request'));
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://relay').pathname;
    const method = req.method ?? 'GET';
    const committed = COMMITTED_PATH.exec(pathname);
    if (pathname !== FileHttpPaths.instant && pathname !== FileHttpPaths.limits && !committed)
      throw new QixinError('not_found', `no such endpoint: ${pathname}`);
    const wanted = pathname === FileHttpPaths.instant ? 'POST' : 'GET';
    if (method !== wanted) throw new QixinError('invalid', `${method} is not allowed on ${pathname}`);
    const userId = await callerOf(req, this.deps.sessionOf);

    if (pathname === FileHttpPaths.instant) {
      const request = checked(InstantRequest, await readJsonBody(req), ['declaration']);
      return replyJson(res, 200, await this.deps.instant.answer(userId, request));
    }
    if (pathname === FileHttpPaths.limits) {
      const { chatFileMaxBytes, driveFileMaxBytes, chatRetentionDays } = this.deps.config;
      const limits: FileLimitsView = { chatFileMaxBytes, driveFileMaxBytes, chatRetentionDays };
      return replyJson(res, 200, limits);
    }
    const fileId = decodeURIComponentOr(committed![1]!, '');
    const under = await this.deps.uploads.state(userId, fileId);
    if (under && 'file' in under) return replyJson(res, 200, under.file);
    if (under)
      return replyRefusal(req, res, new QixinError('conflict', 'this upload is still under way', 'upload_incomplete'), {
        offset: under.offset,
      });
    const file = await this.deps.commits.committedBy(userId, fileId);
    if (!file) throw new QixinError('not_found', 'no such upload', 'upload_not_found');
    replyJson(res, 200, file);
  }
}

function decodeURIComponentOr(text: string, fallback: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fallback;
  }
}
