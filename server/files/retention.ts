// Retention and garbage collection, at start and then hourly: the drive's trash past its days is
// purged, tus uploads idle for a day are dropped with their rows, used or stale 秒传 challenges go,
// and blobs nobody references are deleted. A blob is referenced while a media row that is not an
// expired chat file, or any drive node (trashed ones included), names its sha256. Expired chat
// files keep their rows, so clients can say 已过期.
//
// Collection races with new references (a commit, a 秒传, a media upload of equal bytes): blobs
// younger than an hour are left alone, and BlobStore.collect re-checks the references after moving
// a blob aside, while a commit holds its bytes with a hard link (BlobStore.hold) and puts them back.
import fs from 'node:fs';
import path from 'node:path';
import type { Reader, Tx } from '../domain/context';
import { createLogger } from '../log';
import type { BlobEntry, BlobStore } from '../media/blob-store';
import { DAY_MS } from './file-config';
import type { TusUploads } from './tus-uploads';

const log = createLogger('relay.retention');

const HOUR_MS = 60 * 60 * 1000;
/** A blob this young may be about to be referenced (its row not yet written). */
const BLOB_GRACE_MS = HOUR_MS;
/** An upload nobody wrote to for this long is abandoned. */
const UPLOAD_IDLE_MS = DAY_MS;
const BATCH = 500;

export interface RetentionDeps {
  db: Reader;
  transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T>;
  blobs: BlobStore;
  uploads: TusUploads;
  now(): number;
  /** The drive's purge of trash past its retention (server/drive), when the drive is wired. */
  purgeExpiredTrash?: (now: number) => Promise<unknown>;
  /** Between runs; default an hour. */
  intervalMs?: number;
}

export interface RetentionReport {
  blobsDeleted: number;
  uploadsDropped: number;
  challengesDropped: number;
}

export class FileRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionReport> | undefined;

  constructor(private readonly deps: RetentionDeps) {}

  /** Runs now and then every interval until `stop()`. */
  start(): void {
    const run = () => void this.run().catch((err: unknown) => log.error({ err }, 'retention run failed'));
    run();
    this.timer = setInterval(run, this.deps.intervalMs ?? HOUR_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass (a run under way is joined, not doubled). */
  run(): Promise<RetentionReport> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<RetentionReport> {
    const now = this.deps.now();
    // First the trash: what it purges may free blobs collected below.
    await this.deps.purgeExpiredTrash?.(now);
    const uploadsDropped = await this.dropIdleUploads(now);
    const challengesDropped = await this.deps.transaction(async (trx) =>
      Number(
        (await trx.deleteFrom('upload_challenges').where('expires_at', '<', now).executeTakeFirst()).numDeletedRows,
      ),
    );
    const blobsDeleted = await this.collectBlobs(now);
    const report = { blobsDeleted, uploadsDropped, challengesDropped };
    if (blobsDeleted + uploadsDropped > 0) log.info(report, 'retention run');
    return report;
  }

  private async dropIdleUploads(now: number): Promise<number> {
    const { db, uploads } = this.deps;
    const dir = uploads.store.directory;
    const rows = await db.selectFrom('file_uploads').select(['id', 'created_at']).execute();
    const known = new Set(rows.map((r) => r.id));
    let dropped = 0;
    for (const row of rows) {
      // Writes stamp the file with the relay's clock (HashingFileStore), as created_at is.
      const info = await fs.promises.stat(uploads.store.pathOf(row.id)).catch(() => null);
      const lastWrite = Math.max(Number(row.created_at), info?.mtimeMs ?? 0);
      if (now - lastWrite <= UPLOAD_IDLE_MS) continue;
      await uploads.discard(row.id);
      dropped++;
    }
    // Files without a row (a crash between the two): left a day, then removed.
    for (const name of await fs.promises.readdir(dir).catch(() => [] as string[])) {
      const id = name.replace(/\.json$/, '');
      if (known.has(id)) continue;
      const file = path.join(dir, name);
      const info = await fs.promises.stat(file).catch(() => null);
      if (info?.isFile() && now - info.mtimeMs > UPLOAD_IDLE_MS) await fs.promises.rm(file, { force: true });
    }
    return dropped;
  }

  private async collectBlobs(now: number): Promise<number> {
    let deleted = 0;
    let batch: BlobEntry[] = [];
    const sweep = async () => {
      const live = await this.referenced(
        batch.map((b) => b.sha256),
        now,
      );
      for (const blob of batch.filter((b) => !live.has(b.sha256))) {
        const gone = await this.deps.blobs.collect(blob.sha256, async () =>
          (await this.referenced([blob.sha256], this.deps.now())).has(blob.sha256),
        );
        if (gone) deleted++;
      }
      batch = [];
    };
    for await (const blob of this.deps.blobs.list()) {
      if (now - blob.changedAt <= BLOB_GRACE_MS) continue;
      batch.push(blob);
      if (batch.length >= BATCH) await sweep();
    }
    if (batch.length > 0) await sweep();
    return deleted;
  }

  /** Those of `hashes` a live media row or a drive node references. */
  private async referenced(hashes: string[], now: number): Promise<Set<string>> {
    const { db } = this.deps;
    const media = await db
      .selectFrom('media')
      .select('sha256')
      .distinct()
      .where('sha256', 'in', hashes)
      .where((eb) => eb.or([eb('kind', '!=', 'file'), eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute();
    const nodes = await db
      .selectFrom('drive_nodes')
      .select('sha256')
      .distinct()
      .where('sha256', 'in', hashes)
      .execute();
    return new Set([...media, ...nodes].map((r) => r.sha256).filter((s): s is string => s !== null));
  }
}
