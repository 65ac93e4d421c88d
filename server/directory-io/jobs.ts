// Import jobs and the export, as the relay's admin API and `npm run admin` use them. A job
// lives in memory on the node that received the upload (so several relay nodes need sticky
// routing for /api/admin/directory/imports/*) and is forgotten an hour after it was created.
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { newId } from '../../shared/lib/ids';
import { IMPORT_ISSUES_SHOWN, QixinError, type ImportJob, type ImportMode } from '../../shared/protocol';
import type { AdminScope } from '../domain/directory/scope';
import { withinSubtrees } from '../domain/directory/scope';
import { currentDirectoryVersion } from '../domain/directory/version';
import { createLogger } from '../log';
import { applyPlan, ImportCancelled, type Activation, type ApplyContext } from './apply';
import { loadDirectory, type DirectoryImage } from './directory';
import { issuesOf, planImport, type ImportPlan } from './plan';
import { readImportFile, type ImportFile } from './read';
import { writeActivations, writeErrorReport, writeExport, writeTemplate } from './write';

const log = createLogger('relay.directory-io');
export const JOB_TTL_MS = 60 * 60 * 1000;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface DirectoryIoContext extends ApplyContext {
  /** Where uploads are kept while their job runs. */
  uploadDir: string;
}

export interface JobOwner {
  /** null from the command line. */
  userId: string | null;
  scope: AdminScope;
}

interface JobEntry {
  job: ImportJob;
  owner: JobOwner;
  file: string;
  plan: ImportPlan | null;
  image: DirectoryImage | null;
  parsed: ImportFile | null;
  activations: Activation[];
  cancelRequested: boolean;
  /** Hashes of session tokens already checked for this job (answers without a store query). */
  sessions: Set<string>;
  /** Settles when the running phase (validation or apply) ends. */
  running: Promise<void>;
  via?: string;
}

export class DirectoryIo {
  private readonly jobs = new Map<string, JobEntry>();

  constructor(private readonly ctx: DirectoryIoContext) {}

  /** A fresh path for an upload under the upload dir. */
  uploadPath(): string {
    fs.mkdirSync(this.ctx.uploadDir, { recursive: true });
    return path.join(this.ctx.uploadDir, `${newId()}.upload`);
  }

  /** Starts validating an uploaded file (the job takes ownership of it). */
  startImport(
    file: string,
    options: { fileName: string; mode: ImportMode; createDepartments: boolean; owner: JobOwner; via?: string },
  ): ImportJob {
    const job: ImportJob = {
      id: newId(),
      fileName: options.fileName,
      mode: options.mode,
      createDepartments: options.createDepartments,
      state: 'validating',
      progress: { done: 0, total: 0 },
      summary: null,
      issues: [],
      result: null,
      error: null,
      createdAt: this.ctx.now(),
    };
    const entry: JobEntry = {
      job,
      owner: options.owner,
      file,
      plan: null,
      image: null,
      parsed: null,
      activations: [],
      cancelRequested: false,
      sessions: new Set(),
      running: Promise.resolve(),
      via: options.via,
    };
    this.jobs.set(job.id, entry);
    setTimeout(() => this.forget(job.id), JOB_TTL_MS).unref();
    entry.running = this.validate(entry);
    return { ...job };
  }

  entry(id: string, userId: string | null): JobEntry {
    const entry = this.jobs.get(id);
    // Someone else's job is as good as missing.
    if (!entry || entry.owner.userId !== userId) {
      throw new QixinError('not_found', '没有这个导入任务（任务只保留一小时，且只在接收上传的服务器节点上）');
    }
    return entry;
  }

  /** True when this session token (hash) was already checked for the job. */
  knownSession(id: string, tokenHash: string): JobEntry | null {
    const entry = this.jobs.get(id);
    return entry?.sessions.has(tokenHash) ? entry : null;
  }

  view(entry: JobEntry): ImportJob {
    return { ...entry.job, progress: { ...entry.job.progress } };
  }

  /** Waits for the running phase (tests and the command line). */
  async settled(entry: JobEntry): Promise<ImportJob> {
    await entry.running;
    return this.view(entry);
  }

  apply(entry: JobEntry): ImportJob {
    if (entry.job.state !== 'ready') {
      throw new QixinError(
        'conflict',
        `导入任务当前状态为 ${entry.job.state}，只有预览完成（ready）的任务可以执行导入`,
      );
    }
    entry.job.state = 'applying';
    entry.job.progress = { done: 0, total: 0 };
    entry.running = this.runApply(entry);
    return this.view(entry);
  }

  cancel(entry: JobEntry): ImportJob {
    const { state } = entry.job;
    if (state === 'ready') {
      this.finish(entry, 'cancelled');
    } else if (state === 'validating' || state === 'applying') {
      // The running phase notices between chunks; an apply's transaction rolls back.
      entry.cancelRequested = true;
    } else if (state !== 'cancelled') {
      throw new QixinError('conflict', `导入任务已结束（${state}），不能再取消`);
    }
    return this.view(entry);
  }

  async errorReport(entry: JobEntry, out: Writable): Promise<void> {
    const plan = entry.plan;
    if (!plan) throw new QixinError('conflict', '导入任务还没有完成校验，暂无错误报告');
    await writeErrorReport(out, plan);
  }

  async activationReport(entry: JobEntry, out: Writable): Promise<void> {
    if (entry.job.state !== 'done') throw new QixinError('conflict', '导入完成后才能下载激活码');
    await writeActivations(out, entry.activations);
  }

  async template(out: Writable): Promise<void> {
    const root = await this.ctx.db
      .selectFrom('departments')
      .select('name')
      .where('parent_id', 'is', null)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    await writeTemplate(out, root?.name ?? '总部');
  }

  /** Members the scope may administer and the departments inside it, as .xlsx. */
  async export(out: Writable, scope: AdminScope): Promise<void> {
    const image = await loadDirectory(this.ctx.db);
    const parentOf = (id: string) => image.departments.get(id)?.parentId;
    const inScope = (id: string) => scope.superAdmin || withinSubtrees(id, scope.departmentIds, parentOf);
    const members = [...image.members.values()]
      .filter((m) => scope.superAdmin || m.departmentIds.some(inScope))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // Departments in tree order (siblings by their order), the root left out.
    const children = new Map<string, string[]>();
    for (const d of image.departments.values()) {
      if (!d.parentId) continue;
      const list = children.get(d.parentId) ?? [];
      list.push(d.id);
      children.set(d.parentId, list);
    }
    for (const list of children.values()) {
      list.sort((a, b) => image.departments.get(a)!.sortOrder - image.departments.get(b)!.sortOrder);
    }
    const departmentIds: string[] = [];
    const walk = (id: string) => {
      for (const child of children.get(id) ?? []) {
        if (inScope(child)) departmentIds.push(child);
        walk(child);
      }
    };
    walk(image.rootId);
    await writeExport(out, image, members, departmentIds);
  }

  private async validate(entry: JobEntry): Promise<void> {
    const { job } = entry;
    try {
      const parsed = await readImportFile(entry.file, {
        onRows: (n) => (job.progress = { done: n, total: 0 }),
        cancelled: () => entry.cancelRequested,
      });
      if (entry.cancelRequested) return this.finish(entry, 'cancelled');
      job.progress = { done: parsed.rows.length, total: parsed.rows.length };
      if (parsed.rows.length === 0)
        throw new QixinError('invalid', '文件中没有成员数据（第 1 行为表头，从第 2 行起为成员）');
      entry.parsed = parsed;
      await this.plan(entry);
      if (entry.cancelRequested) return this.finish(entry, 'cancelled');
      job.state = 'ready';
    } catch (err) {
      if (entry.cancelRequested) return this.finish(entry, 'cancelled');
      this.fail(entry, err);
    } finally {
      fs.rm(entry.file, { force: true }, () => {});
    }
  }

  private async plan(entry: JobEntry): Promise<void> {
    const { job } = entry;
    entry.image = await loadDirectory(this.ctx.db);
    entry.plan = await planImport(entry.parsed!, entry.image, {
      mode: job.mode,
      createDepartments: job.createDepartments,
      scope: entry.owner.scope,
      actorId: entry.owner.userId,
      pause: yieldToLoop,
    });
    job.summary = entry.plan.summary;
    job.issues = issuesOf(entry.plan, IMPORT_ISSUES_SHOWN);
  }

  private async runApply(entry: JobEntry): Promise<void> {
    const { job } = entry;
    try {
      // The directory moved since the preview: validate again against what is there now.
      const { version } = await currentDirectoryVersion(this.ctx.db);
      if (version !== entry.plan!.version) await this.plan(entry);
      if (entry.cancelRequested) return this.finish(entry, 'cancelled');
      const outcome = await applyPlan(this.ctx, entry.image!, entry.plan!, {
        fileName: job.fileName,
        mode: job.mode,
        actorId: entry.owner.userId,
        via: entry.via,
        cancelled: () => entry.cancelRequested,
        progress: (done, total) => (job.progress = { done, total }),
      });
      entry.activations = outcome.activations;
      job.result = outcome.result;
      this.finish(entry, 'done');
    } catch (err) {
      if (err instanceof ImportCancelled || entry.cancelRequested) return this.finish(entry, 'cancelled');
      this.fail(entry, err);
    }
  }

  private finish(entry: JobEntry, state: 'done' | 'cancelled'): void {
    entry.job.state = state;
    // The error report keeps the rows; the directory image is no longer needed.
    entry.image = null;
    entry.parsed = null;
    // Only the refused rows stay, for the error report.
    if (entry.plan) {
      const refused = entry.plan.rows.filter((r) => r.issues.length > 0);
      entry.plan = { ...entry.plan, rows: refused, creates: [], updates: [], disables: [] };
    }
  }

  private fail(entry: JobEntry, err: unknown): void {
    const known = err instanceof QixinError;
    if (!known) log.error({ err, job: entry.job.id }, 'import failed');
    entry.job.state = 'failed';
    entry.job.error = known
      ? { code: err.code, message: err.message }
      : { code: 'internal', message: `导入失败：${(err as Error).message}` };
    entry.image = null;
    entry.parsed = null;
  }

  private forget(id: string): void {
    const entry = this.jobs.get(id);
    if (!entry) return;
    entry.cancelRequested = true;
    this.jobs.delete(id);
    fs.rm(entry.file, { force: true }, () => {});
  }

  /** Drops every job (relay shutdown). */
  close(): void {
    for (const id of [...this.jobs.keys()]) this.forget(id);
  }
}

export type { JobEntry };
