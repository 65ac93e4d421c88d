// The transfer engine: a queue of uploads and downloads kept in the cache (transfers table), at
// most MAX_ACTIVE moving at once. Each change of state is written and announced at once
// (`files.transfer`); progress is announced at most PROGRESS_MS apart and written every WRITE_MS,
// so a restart resumes close to where it stopped. Network trouble is retried with backoff; a
// refusal fails the transfer with the relay's reason. Pause aborts (the tus URL and the partial
// file stay); cancel also ends the relay's copy and removes what it left.
import { rm } from 'node:fs/promises';
import type { EventSink, Transfer } from '../../../shared/contract';
import { QixinError, type ErrorBody } from '../../../shared/protocol';
import type { LocalCache } from '../cache/local-cache';
import { createLogger } from '../log';
import { runDownload, type DownloadDeps } from './download-job';
import { isTransient } from './file-relay';
import { toTransfer, UNFINISHED, type TransferRow } from './transfer-row';
import { runUpload, terminateUpload, type JobReport, type UploadDeps } from './upload-job';

const log = createLogger('core.transfers');

export const MAX_ACTIVE = 3;
const PROGRESS_MS = 250;
const WRITE_MS = 1000;
/** Waits between automatic retries; back to the first after any progress. */
const RETRY_MS = [1000, 2000, 4000, 8000, 15_000, 30_000, 30_000, 30_000, 30_000, 30_000];
/** How many finished transfers `files.transfers` lists besides those under way. */
const LIST_LIMIT = 200;

export type TransferHooks = {
  /** An upload's bytes are on the relay (its chat message may go now). */
  onUploadDone(row: TransferRow): void;
  /** An upload failed for good / was cancelled (its chat message shows that / goes away). */
  onUploadFailed(row: TransferRow, error: ErrorBody): void;
  onUploadCancelled(row: TransferRow): void;
  /** A failed upload is tried again. */
  onUploadRetry(row: TransferRow): void;
};

type Active = {
  controller: AbortController;
  done: number;
  lastEmit: number;
  lastWrite: number;
  speed: Speed;
};

export class Transfers {
  private readonly active = new Map<string, Active>();
  private readonly waiting = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly attempts = new Map<string, number>();
  private userId: string | null = null;

  constructor(
    private readonly cache: LocalCache,
    private readonly upload: UploadDeps,
    private readonly download: DownloadDeps,
    private readonly emit: EventSink,
    private readonly hooks: TransferHooks,
  ) {}

  /** A user's session began: their unfinished transfers carry on. */
  start(userId: string): void {
    this.userId = userId;
    for (const row of this.cache.transfers.inStates(userId, UNFINISHED)) {
      if (row.state !== 'queued') this.cache.transfers.update(row.id, { state: 'queued' });
    }
    this.pump();
  }

  /** The session ended or the core closes: everything stops where it is (and resumes on start). */
  stop(): void {
    this.userId = null;
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    for (const [id, job] of this.active) {
      job.controller.abort(new DOMException('stopped', 'AbortError'));
      this.active.delete(id);
    }
  }

  get(id: string): TransferRow {
    const row = this.cache.transfers.get(id);
    if (!row || row.userId !== this.userId) throw new QixinError('not_found', 'no such transfer');
    return row;
  }

  view(row: TransferRow): Transfer {
    return toTransfer(row, this.active.get(row.id)?.speed.value ?? 0);
  }

  list(): Transfer[] {
    return this.cache.transfers
      .recent(LIST_LIMIT)
      .filter((r) => r.userId === this.userId)
      .map((r) => this.view(r));
  }

  /** Queues a new transfer (already inserted by the caller, in state queued). */
  added(row: TransferRow): void {
    this.announce(row);
    this.pump();
  }

  pause(id: string): void {
    const row = this.get(id);
    if (row.state === 'paused') return;
    if (row.state === 'done' || row.state === 'cancelled' || row.state === 'failed') {
      throw new QixinError('conflict', `the transfer is ${row.state}`);
    }
    this.halt(id, 'paused');
    this.setState(id, { state: 'paused' });
    this.pump();
  }

  resume(id: string): void {
    const row = this.get(id);
    if (row.state !== 'paused') return;
    this.setState(id, { state: 'queued' });
    this.pump();
  }

  retry(id: string): void {
    const row = this.get(id);
    if (row.state !== 'failed')
      throw new QixinError('conflict', `only a failed transfer can be retried (${row.state})`);
    this.attempts.delete(id);
    if (row.direction === 'upload' && row.messageId) this.hooks.onUploadRetry(row);
    this.setState(id, { state: 'queued', error: null });
    this.pump();
  }

  async cancel(id: string): Promise<void> {
    const row = this.get(id);
    if (row.state === 'cancelled') return;
    if (row.state === 'done') throw new QixinError('conflict', 'the transfer is done already');
    this.halt(id, 'cancelled');
    const cancelled = this.setState(id, { state: 'cancelled', partialPath: null });
    if (row.direction === 'upload') {
      if (row.messageId) this.hooks.onUploadCancelled(cancelled);
      if (row.uploadUrl) {
        await terminateUpload(this.upload, row.uploadUrl).catch((err: Error) =>
          log.info({ err: err.message, id }, 'the relay kept an unfinished upload (it expires there)'),
        );
      }
    } else if (row.partialPath) {
      await rm(row.partialPath, { force: true });
    }
    this.pump();
  }

  /** The relay is reachable again: transfers that failed only for want of it go on. */
  online(): void {
    if (!this.userId) return;
    for (const row of this.cache.transfers.inStates(this.userId, ['failed'])) {
      if (row.error?.code !== 'unavailable') continue;
      try {
        this.retry(row.id);
      } catch (err) {
        log.info({ id: row.id, err: (err as Error).message }, 'not retried');
      }
    }
  }

  // --- the queue ---

  private pump(): void {
    if (!this.userId) return;
    if (this.active.size >= MAX_ACTIVE) return;
    for (const row of this.cache.transfers.inStates(this.userId, ['queued'])) {
      if (this.active.size >= MAX_ACTIVE) return;
      if (this.active.has(row.id) || this.waiting.has(row.id)) continue;
      this.run(row);
    }
  }

  private run(queued: TransferRow): void {
    const job: Active = {
      controller: new AbortController(),
      done: queued.done,
      lastEmit: 0,
      lastWrite: Date.now(),
      speed: new Speed(queued.done),
    };
    this.active.set(queued.id, job);
    const row = this.setState(queued.id, { state: 'running', error: null });
    const report: JobReport = {
      progress: (done) => this.progress(row.id, job, done),
      update: (change) => {
        // A job that was paused or cancelled meanwhile keeps what it learnt, not its idea of the state.
        const live = this.active.get(row.id) === job;
        const { state, ...rest } = change;
        const updated = this.cache.transfers.update(row.id, live ? change : rest);
        if (live && change.done !== undefined) {
          job.done = change.done;
          job.speed = new Speed(change.done);
        }
        if (live && (state || change.size !== undefined)) this.announce(updated);
        return updated;
      },
    };
    const work =
      row.direction === 'upload'
        ? runUpload(this.upload, row, job.controller.signal, report)
        : runDownload(this.download, row, job.controller.signal, report);
    work.then(
      (finished) => this.finish(row.id, job, finished),
      (err: unknown) => this.failed(row.id, job, err),
    );
  }

  private progress(id: string, job: Active, done: number): void {
    if (this.active.get(id) !== job) return;
    if (done > job.done) this.attempts.delete(id);
    job.done = done;
    job.speed.sample(done);
    const now = Date.now();
    if (now - job.lastWrite >= WRITE_MS) {
      job.lastWrite = now;
      this.cache.transfers.update(id, { done });
    }
    if (now - job.lastEmit >= PROGRESS_MS) {
      job.lastEmit = now;
      const row = this.cache.transfers.get(id);
      if (row) this.emit('files.transfer', { transfer: toTransfer({ ...row, done }, job.speed.value) });
    }
  }

  private finish(id: string, job: Active, finished: Partial<TransferRow>): void {
    if (this.active.get(id) !== job) return;
    this.active.delete(id);
    this.attempts.delete(id);
    const row = this.setState(id, { ...finished, state: 'done', error: null });
    if (row.direction === 'upload') this.hooks.onUploadDone(row);
    this.pump();
  }

  private failed(id: string, job: Active, err: unknown): void {
    const current = this.active.get(id) === job;
    if (current) this.active.delete(id);
    if (job.controller.signal.aborted || !current) {
      this.pump();
      return;
    }
    const error = err instanceof QixinError ? err : new QixinError('internal', String((err as Error)?.message ?? err));
    const attempt = this.attempts.get(id) ?? 0;
    if (isTransient(error) && attempt < RETRY_MS.length && this.userId) {
      // Stays 'running' to the user while it waits for the next attempt, with why it is waiting.
      this.attempts.set(id, attempt + 1);
      log.info({ id, attempt, code: error.code, err: error.message }, 'transfer interrupted; retrying');
      this.setState(id, { state: 'running', done: job.done, error: error.toBody() });
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        if (this.cache.transfers.get(id)?.state === 'running') this.cache.transfers.update(id, { state: 'queued' });
        this.pump();
      }, RETRY_MS[attempt]);
      this.waiting.set(id, timer);
      this.pump();
      return;
    }
    this.attempts.delete(id);
    log.warn({ id, code: error.code, reason: error.reason, err: error.message }, 'transfer failed');
    const row = this.setState(id, { state: 'failed', error: error.toBody() });
    if (row.direction === 'upload' && row.messageId) this.hooks.onUploadFailed(row, error.toBody());
    this.pump();
  }

  /** Stops a running job (its promise settles as aborted) or a waiting retry. */
  private halt(id: string, as: 'paused' | 'cancelled'): void {
    const timer = this.waiting.get(id);
    if (timer) {
      clearTimeout(timer);
      this.waiting.delete(id);
    }
    const job = this.active.get(id);
    if (!job) return;
    this.cache.transfers.update(id, { done: job.done });
    job.controller.abort(new DOMException(as, 'AbortError'));
    this.active.delete(id);
  }

  private setState(id: string, change: Partial<TransferRow>): TransferRow {
    const row = this.cache.transfers.update(id, change);
    this.announce(row);
    return row;
  }

  private announce(row: TransferRow): void {
    this.emit('files.transfer', { transfer: this.view(row) });
  }
}

/** Bytes per second, smoothed over the last few seconds (an exponential moving average). */
class Speed {
  value = 0;
  private at = Date.now();

  constructor(private bytes: number) {}

  sample(bytes: number): void {
    const now = Date.now();
    const elapsed = now - this.at;
    if (elapsed < 250) return;
    const rate = ((bytes - this.bytes) * 1000) / elapsed;
    this.value = this.value === 0 ? rate : this.value * 0.7 + rate * 0.3;
    this.at = now;
    this.bytes = bytes;
  }
}
