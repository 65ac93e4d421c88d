// Import jobs as the admin console drives them: the spreadsheet goes to the relay's import API,
// and while the relay validates or applies it the job is polled and every change is emitted as
// an `admin.import` event, so the wizard shows progress without polling on its own.
import type { CallResult, EventSink } from '../../../shared/contract';
import { HttpPaths, QixinError } from '../../../shared/protocol';
import { ImportJob, MAX_IMPORT_BYTES, type ImportMode } from '../../../shared/protocol/directory-io';
import type { AdminHttp, Download } from '../relay/admin-http';
import { createLogger } from '../log';

const log = createLogger('core.imports');

const POLL_MS = 300;
/** Consecutive failed polls (relay away) before the watch gives up; the wizard can ask again. */
const MAX_POLL_FAILURES = 100;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const CONTENT_TYPES: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  csv: 'text/csv',
};

type FileData = CallResult<'admin.import.errorReport'>;

const settled = (job: ImportJob) => job.state !== 'validating' && job.state !== 'applying';

function parseJob(json: unknown): ImportJob {
  // The API answers with the job itself; `{job}` is accepted as well.
  const body = (json as { job?: unknown } | null)?.job ?? json;
  const parsed = ImportJob.safeParse(body);
  if (!parsed.success) throw new QixinError('internal', 'unexpected import job from the relay');
  return parsed.data;
}

export class ImportJobs {
  private readonly watches = new Map<string, { timer: NodeJS.Timeout | null; last: string; failures: number }>();
  private stopped = false;

  constructor(
    private readonly http: AdminHttp,
    private readonly emit: EventSink,
  ) {}

  stop(): void {
    this.stopped = true;
    this.forget();
  }

  /** Stops watching every job (signed out: the session that could ask is gone). */
  forget(): void {
    for (const w of this.watches.values()) if (w.timer) clearTimeout(w.timer);
    this.watches.clear();
  }

  async start(args: {
    fileName: string;
    base64: string;
    mode: ImportMode;
    createDepartments: boolean;
  }): Promise<{ job: ImportJob }> {
    if (!BASE64.test(args.base64)) throw new QixinError('invalid', 'the file is not valid base64');
    const bytes = Buffer.from(args.base64, 'base64');
    if (bytes.length === 0) throw new QixinError('invalid', 'the file is empty');
    if (bytes.length > MAX_IMPORT_BYTES) {
      throw new QixinError('too_large', `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
    }
    const extension = /\.([A-Za-z0-9]+)$/.exec(args.fileName)?.[1]?.toLowerCase() ?? '';
    const json = await this.http.upload(
      HttpPaths.imports,
      { mode: args.mode, createDepartments: args.createDepartments ? '1' : '0', fileName: args.fileName },
      bytes,
      CONTENT_TYPES[extension] ?? 'application/octet-stream',
    );
    return { job: this.track(parseJob(json)) };
  }

  async status(jobId: string): Promise<{ job: ImportJob }> {
    return { job: this.track(parseJob(await this.http.getJson(HttpPaths.importJob(jobId)))) };
  }

  async apply(jobId: string): Promise<{ job: ImportJob }> {
    return { job: this.track(parseJob(await this.http.postJson(`${HttpPaths.importJob(jobId)}/apply`))) };
  }

  async cancel(jobId: string): Promise<{ job: ImportJob }> {
    return { job: this.track(parseJob(await this.http.postJson(`${HttpPaths.importJob(jobId)}/cancel`))) };
  }

  async errorReport(jobId: string): Promise<FileData> {
    const file = await this.http.download(`${HttpPaths.importJob(jobId)}/errors.xlsx`);
    return fileData(file, `错误报告-${jobId}.xlsx`);
  }

  async activations(jobId: string): Promise<FileData> {
    const file = await this.http.download(`${HttpPaths.importJob(jobId)}/activations.xlsx`);
    return fileData(file, `激活码-${jobId}.xlsx`);
  }

  /** Emits the job if it changed, and keeps polling it while the relay works on it. */
  private track(job: ImportJob): ImportJob {
    if (this.stopped) return job;
    const text = JSON.stringify(job);
    let watch = this.watches.get(job.id);
    if (!watch) {
      watch = { timer: null, last: '', failures: 0 };
      this.watches.set(job.id, watch);
    }
    if (text !== watch.last) {
      watch.last = text;
      this.emit('admin.import', { job });
    }
    if (settled(job)) {
      if (watch.timer) clearTimeout(watch.timer);
      this.watches.delete(job.id);
    } else if (!watch.timer) {
      this.schedule(job.id, POLL_MS);
    }
    return job;
  }

  private schedule(jobId: string, delay: number): void {
    const watch = this.watches.get(jobId);
    if (!watch || this.stopped) return;
    watch.timer = setTimeout(async () => {
      watch.timer = null;
      try {
        const job = parseJob(await this.http.getJson(HttpPaths.importJob(jobId)));
        watch.failures = 0;
        this.track(job);
      } catch (err) {
        watch.failures += 1;
        if (watch.failures >= MAX_POLL_FAILURES || (err instanceof QixinError && err.code === 'not_found')) {
          log.warn({ jobId, err: (err as Error).message }, 'stopped watching an import job');
          this.watches.delete(jobId);
          return;
        }
        this.schedule(jobId, Math.min(5_000, POLL_MS * 2 ** watch.failures));
      }
    }, delay);
    watch.timer.unref();
  }
}

export function fileData(file: Download, fallbackName: string): FileData {
  return { fileName: file.fileName ?? fallbackName, base64: file.bytes.toString('base64') };
}
