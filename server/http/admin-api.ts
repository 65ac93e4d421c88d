// The relay's admin HTTP API for bulk directory work: template, export and import jobs. Scripts
// and the admin console call it with `Authorization: Bearer <session token>`; only super admins
// and department admins with the 'directory' right get in (department admins within their
// subtrees). Import bodies are the file itself, streamed to disk, never held in memory.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpPaths, ImportMode, MAX_IMPORT_BYTES, QixinError } from '../../shared/protocol';
import type { Domain } from '../domain';
import type { Reader } from '../domain/context';
import { loadAdminScope, type AdminScope } from '../domain/directory/scope';
import { hashToken } from '../domain/secrets';
import type { DirectoryIo, JobEntry } from '../directory-io/jobs';
import { createLogger } from '../log';
import { replyJson, statusOf } from './reply';

const log = createLogger('relay.admin-http');

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const JOB_PATH = /^\/api\/admin\/directory\/imports\/([^/]+)(?:\/(apply|cancel|errors\.xlsx|activations\.xlsx))?$/;

interface Caller {
  userId: string;
  tokenHash: string;
  scope: AdminScope;
}

export class AdminHttpApi {
  constructor(
    private readonly domain: Domain,
    private readonly io: DirectoryIo,
    private readonly db: Reader,
  ) {}

  /** True for the paths this API answers (/api/admin/…). */
  handles(req: IncomingMessage): boolean {
    return (req.url ?? '').startsWith('/api/admin/');
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((err: unknown) => {
      // A body still arriving is drained so that the client reads the answer.
      if (!req.complete) req.resume();
      if (err instanceof QixinError) return replyJson(res, statusOf(err.code), { error: err.toBody() });
      log.error({ err, url: req.url }, 'admin request failed');
      replyJson(res, 500, { error: { code: 'internal', message: 'the relay could not process this request' } });
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://relay');
    const method = req.method ?? 'GET';
    const at = url.pathname;

    const job = JOB_PATH.exec(at);
    if (job) {
      const [, id, action] = job;
      const entry = await this.jobFor(req, decodeURIComponent(id!));
      if (!action && method === 'GET') return replyJson(res, 200, this.io.view(entry));
      if (action === 'apply' && method === 'POST') return replyJson(res, 200, this.io.apply(entry));
      if (action === 'cancel' && method === 'POST') return replyJson(res, 200, this.io.cancel(entry));
      if (action === 'errors.xlsx' && method === 'GET') {
        if (!entry.plan) throw new QixinError('conflict', '导入任务还没有完成校验，暂无错误报告');
        return sendXlsx(res, `错误报告-${entry.job.fileName}.xlsx`, (out) => this.io.errorReport(entry, out));
      }
      if (action === 'activations.xlsx' && method === 'GET') {
        if (entry.job.state !== 'done') throw new QixinError('conflict', '导入完成后才能下载激活码');
        return sendXlsx(res, `激活码-${entry.job.fileName}.xlsx`, (out) => this.io.activationReport(entry, out));
      }
      throw notAllowed(method, at);
    }
    if (at === HttpPaths.imports) {
      if (method !== 'POST') throw notAllowed(method, at);
      const caller = await this.caller(req);
      return this.upload(req, res, url, caller);
    }
    if (at === HttpPaths.importTemplate) {
      if (method !== 'GET') throw notAllowed(method, at);
      await this.caller(req);
      return sendXlsx(res, '通讯录导入模板.xlsx', (out) => this.io.template(out));
    }
    if (at === HttpPaths.directoryExport) {
      if (method !== 'GET') throw notAllowed(method, at);
      const caller = await this.caller(req);
      return sendXlsx(res, '通讯录.xlsx', (out) => this.io.export(out, caller.scope));
    }
    throw new QixinError('not_found', `no such endpoint: ${at}`);
  }

  /** The bearer's session, and that they may administer the directory. */
  private async caller(req: IncomingMessage): Promise<Caller> {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw new QixinError('unauthenticated', 'send Authorization: Bearer <session token>');
    const { userId } = await this.domain.accounts.sessionOf(token);
    const scope = await loadAdminScope(this.db, userId);
    if (!scope.superAdmin && !scope.rights.includes('directory')) {
      throw new QixinError('forbidden', 'only administrators with the directory right may do this', 'not_an_admin');
    }
    return { userId, tokenHash: hashToken(token), scope };
  }

  /**
   * A job's own session is recognized without asking the store: on SQLite a running apply holds
   * the one connection, and progress polls and cancel must still be answered.
   */
  private async jobFor(req: IncomingMessage, id: string): Promise<JobEntry> {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token) {
      const known = this.io.knownSession(id, hashToken(token));
      if (known) return known;
    }
    const caller = await this.caller(req);
    const entry = this.io.entry(id, caller.userId);
    entry.sessions.add(caller.tokenHash);
    return entry;
  }

  private async upload(req: IncomingMessage, res: ServerResponse, url: URL, caller: Caller): Promise<void> {
    const mode = ImportMode.safeParse(url.searchParams.get('mode'));
    if (!mode.success) throw new QixinError('invalid', 'mode must be add, upsert or sync');
    const createDepartments = ['1', 'true', 'yes'].includes(url.searchParams.get('createDepartments') ?? '0');
    const fileName = (url.searchParams.get('fileName') ?? '').trim().slice(0, 255) || 'import';
    const tooLarge = () =>
      new QixinError('too_large', `文件超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB，请拆分后分批导入`);
    if (Number(req.headers['content-length'] ?? 0) > MAX_IMPORT_BYTES) throw tooLarge();

    const file = this.io.uploadPath();
    let size = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        done(size > MAX_IMPORT_BYTES ? tooLarge() : null, chunk);
      },
    });
    try {
      await pipeline(req, limit, fs.createWriteStream(file));
    } catch (err) {
      await fs.promises.rm(file, { force: true });
      if (err instanceof QixinError) throw err;
      throw new QixinError('invalid', 'the upload was interrupted');
    }
    if (size === 0) {
      await fs.promises.rm(file, { force: true });
      throw new QixinError('invalid', '上传的文件是空的');
    }
    const job = this.io.startImport(file, {
      fileName,
      mode: mode.data,
      createDepartments,
      owner: { userId: caller.userId, scope: caller.scope },
    });
    this.io.entry(job.id, caller.userId).sessions.add(caller.tokenHash);
    replyJson(res, 202, job);
  }
}

function notAllowed(method: string, at: string) {
  return new QixinError('invalid', `${method} is not allowed on ${at}`);
}

async function sendXlsx(res: ServerResponse, fileName: string, write: (out: ServerResponse) => Promise<void>) {
  res.writeHead(200, {
    'content-type': XLSX,
    'cache-control': 'no-store',
    'content-disposition': `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  });
  await write(res);
  if (!res.writableEnded) res.end();
}
