// Makes a verified file visible: its bytes held in the blob store (see BlobStore.hold) while the
// target's rules are checked once more and its row is written, in one transaction. Shared by the
// end of a tus upload and by 秒传; nothing is visible to anyone before this commits.
import { QixinError, type StoredFile, type UploadDeclaration } from '../../shared/protocol';
import type { Reader, Tx } from '../domain/context';
import { createLogger } from '../log';
import type { BlobStore } from '../media/blob-store';
import { isUniqueViolation } from '../store/errors';
import type { UploadTargetHandler, UploadTargets } from './upload-targets';

const log = createLogger('relay.files');

export interface FileCommitDeps {
  db: Reader;
  transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T>;
  blobs: BlobStore;
  targets: UploadTargets;
  now(): number;
}

/**
 * Where the bytes come from: a finished tus upload (its row goes in the same transaction), the
 * store (秒传, `file` null), or a file made here (the empty file).
 */
export type CommitSource = { uploadId: string; file: string } | { uploadId: null; file: string | null };

export class FileCommits {
  constructor(private readonly deps: FileCommitDeps) {}

  target(declaration: UploadDeclaration): UploadTargetHandler {
    return this.deps.targets[declaration.target.type];
  }

  /** Before an upload or a 秒传 starts: the fileId must be new (one upload per file id). */
  async assertFresh(declaration: UploadDeclaration): Promise<void> {
    const { db } = this.deps;
    const id = declaration.fileId;
    const under = await db.selectFrom('file_uploads').select('id').where('file_id', '=', id).executeTakeFirst();
    if (under) throw new QixinError('conflict', 'an upload of this file is under way: resume it');
    const media = await db.selectFrom('media').select('id').where('id', '=', id).executeTakeFirst();
    const node = await db.selectFrom('drive_nodes').select('id').where('id', '=', id).executeTakeFirst();
    if (media || node) throw new QixinError('conflict', 'this file id is taken: make a new one');
  }

  /** The file `fileId` as committed by `userId` to any target, or null. */
  async committedBy(userId: string, fileId: string): Promise<StoredFile | null> {
    for (const handler of Object.values(this.deps.targets)) {
      const file = await handler.committed(this.deps.db, userId, fileId);
      if (file) return file;
    }
    return null;
  }

  /**
   * Commits `declaration` (its sha256 verified by the caller) for `userId`. Throws the target's
   * refusal (no longer a member, over the quota …), or file_not_found when the store lost the bytes.
   */
  async commit(userId: string, declaration: UploadDeclaration, source: CommitSource): Promise<StoredFile> {
    const { blobs, transaction, now } = this.deps;
    const handler = this.target(declaration);
    const hold = await blobs.hold(declaration.sha256, source.file ?? undefined);
    if (!hold) throw new QixinError('not_found', 'the relay no longer holds these bytes', 'file_not_found');
    let stored: StoredFile;
    try {
      stored = await transaction(async (trx) => {
        await handler.check(trx, userId, declaration);
        if (source.uploadId) {
          const gone = await trx.deleteFrom('file_uploads').where('id', '=', source.uploadId).executeTakeFirst();
          if (Number(gone.numDeletedRows) !== 1) throw new QixinError('conflict', 'this upload was committed already');
        }
        return handler.commit(trx, userId, declaration, now());
      });
    } catch (err) {
      await hold.release();
      if (isUniqueViolation(err)) throw new QixinError('conflict', 'this file id is taken: make a new one');
      throw err;
    }
    try {
      await hold.settle();
    } catch (err) {
      log.error({ err, sha256: declaration.sha256 }, 'a committed file could not be put back into the blob store');
    }
    log.debug({ fileId: stored.fileId, target: stored.target.type, size: stored.size }, 'file committed');
    return stored;
  }
}
