// Where an upload lands. The transfer code (tus, 秒传, verification) is the same for every target;
// what differs is who may upload there, what the limits are and what becomes visible on commit.
// `chat` is implemented in server/files/chat-target.ts, `drive` in server/drive/drive-uploads.ts.
import type { StoredFile, UploadDeclaration, UploadTarget } from '../../shared/protocol';
import type { Reader, Tx } from '../domain/context';

export interface UploadTargetHandler {
  /**
   * Before any byte is accepted (tus creation, 秒传) and again at commit: throws a QixinError when
   * `userId` may not put this file there (not a member, level too low, over the size limit or quota).
   */
  check(db: Reader, userId: string, declaration: UploadDeclaration): Promise<void>;
  /**
   * In the commit transaction, after the sha256 was verified and the blob is in the store: makes
   * the file visible (a media row for a chat, a node for the drive) and returns it.
   */
  commit(trx: Tx, userId: string, declaration: UploadDeclaration, now: number): Promise<StoredFile>;
  /** The committed file `fileId` if `userId` uploaded it to this target (a restarted client asks). */
  committed(db: Reader, userId: string, fileId: string): Promise<StoredFile | null>;
}

export type UploadTargets = Record<UploadTarget['type'], UploadTargetHandler>;
