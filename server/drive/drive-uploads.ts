// Uploads into a drive folder (target {type:'drive', folderId}): 可编辑 on the folder, the drive's
// size limit and quotas; on commit a file node with the client's fileId appears in the folder (a
// name already there gets a free one, "名称 (1).ext") and the upload is in the access history.
import { QixinError, type StoredFile, type UploadDeclaration } from '../../shared/protocol';
import type { DomainContext, Reader, Tx } from '../domain/context';
import * as policy from '../domain/policy';
import { fileConfig, type FileConfig } from '../files/file-config';
import type { UploadTargetHandler } from '../files/upload-targets';
import { accessTo, principalOf } from './drive-access';
import { logAccess } from './drive-log';
import { assertQuota } from './drive-quota';
import { blankNode, freeName, loadNode, notFound, type NodeRow } from './drive-rows';

export class DriveUploadTarget implements UploadTargetHandler {
  private readonly config: FileConfig;

  constructor(ctx: DomainContext, config?: FileConfig) {
    this.config = config ?? ctx.files ?? fileConfig();
  }

  async check(db: Reader, userId: string, declaration: UploadDeclaration): Promise<void> {
    if (await this.alreadyCommitted(db, userId, declaration)) return;
    await this.folderFor(db, userId, declaration);
  }

  async commit(trx: Tx, userId: string, declaration: UploadDeclaration, now: number): Promise<StoredFile> {
    const existing = await this.alreadyCommitted(trx, userId, declaration);
    if (existing) return storedFile(existing);
    const folder = await this.folderFor(trx, userId, declaration);
    const row: NodeRow = {
      ...blankNode(folder.space_id, folder.id, userId, now),
      id: declaration.fileId,
      type: 'file',
      name: await freeName(trx, folder.id, declaration.name, 'file'),
      size: declaration.size,
      mime: declaration.mime,
      sha256: declaration.sha256,
    };
    await trx.insertInto('drive_nodes').values(row).execute();
    await logAccess(trx, { nodeId: row.id, spaceId: row.space_id, userId, action: 'upload', at: now });
    return storedFile(row);
  }

  async committed(db: Reader, userId: string, fileId: string): Promise<StoredFile | null> {
    const node = await loadNode(db, fileId);
    if (!node || node.type !== 'file' || node.created_by !== userId) return null;
    return storedFile(node);
  }

  /** The node this very upload made, if it was committed before (a retried last request answers with it). */
  private async alreadyCommitted(db: Reader, userId: string, declaration: UploadDeclaration): Promise<NodeRow | null> {
    const node = await loadNode(db, declaration.fileId);
    return node?.created_by === userId && node.type === 'file' && node.sha256 === declaration.sha256 ? node : null;
  }

  /** The live folder the declaration targets, if the uploader may put this file there. */
  private async folderFor(db: Reader, userId: string, declaration: UploadDeclaration): Promise<NodeRow> {
    if (declaration.target.type !== 'drive') throw new QixinError('invalid', 'not a drive upload');
    if (declaration.size > this.config.driveFileMaxBytes)
      throw new QixinError(
        'too_large',
        `a drive file can be at most ${this.config.driveFileMaxBytes} bytes`,
        'file_too_large',
      );
    const who = await principalOf(db, userId);
    const at = await accessTo(db, who, declaration.target.folderId);
    if (!at || at.node.trashed_at !== null) throw notFound();
    policy.assertDriveLevel(at.level, policy.DRIVE_NEEDS.write, 'upload here');
    if (at.node.type !== 'folder') throw new QixinError('invalid', 'the target is a file, not a folder');
    // The id is the client's: another item under it means a reused id, never ours to overwrite.
    if (await loadNode(db, declaration.fileId))
      throw new QixinError('conflict', 'this file id is already in use; start a new upload');
    await assertQuota(db, this.config, at.node.space_id, declaration.size);
    return at.node;
  }
}

function storedFile(node: NodeRow): StoredFile {
  return {
    fileId: node.id,
    name: node.name,
    size: node.size,
    mime: node.mime ?? 'application/octet-stream',
    sha256: node.sha256!,
    target: { type: 'drive', folderId: node.parent_id! },
    createdAt: node.created_at,
    expiresAt: null,
  };
}
