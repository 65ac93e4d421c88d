// Uploads into a chat: the uploader must be able to send there (an active member, the group not
// dissolved, not muted), the file within the chat limit. On commit it becomes a media row of kind
// `file` (id = the declared fileId) kept `chatRetentionDays`; a `file` message then references it.
import type { Selectable } from 'kysely';
import { QixinError, type StoredFile, type UploadDeclaration } from '../../shared/protocol';
import type { Reader, Tx } from '../domain/context';
import * as policy from '../domain/policy';
import type { MediaRow } from '../store/schema';
import { DAY_MS, type FileConfig } from './file-config';
import type { UploadTargetHandler } from './upload-targets';

export class ChatUploadTarget implements UploadTargetHandler {
  constructor(private readonly config: FileConfig) {}

  async check(db: Reader, userId: string, declaration: UploadDeclaration): Promise<void> {
    const target = declaration.target;
    if (target.type !== 'chat') throw new QixinError('invalid', 'not a chat upload');
    if (declaration.size > this.config.chatFileMaxBytes)
      throw new QixinError(
        'too_large',
        `a chat file holds at most ${this.config.chatFileMaxBytes} bytes`,
        'file_too_large',
      );
    const conversation = await db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', target.conversationId)
      .executeTakeFirst();
    const member = await db
      .selectFrom('members')
      .selectAll()
      .where('conversation_id', '=', target.conversationId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    policy.assertCanSend(conversation, member);
  }

  async commit(trx: Tx, userId: string, declaration: UploadDeclaration, now: number): Promise<StoredFile> {
    if (declaration.target.type !== 'chat') throw new QixinError('invalid', 'not a chat upload');
    const row = {
      id: declaration.fileId,
      sha256: declaration.sha256,
      kind: 'file' as const,
      mime: declaration.mime,
      size: declaration.size,
      uploader_id: userId,
      created_at: now,
      name: declaration.name,
      expires_at: now + this.config.chatRetentionDays * DAY_MS,
      conversation_id: declaration.target.conversationId,
    };
    await trx.insertInto('media').values(row).execute();
    return storedChatFile(row);
  }

  async committed(db: Reader, userId: string, fileId: string): Promise<StoredFile | null> {
    const row = await db
      .selectFrom('media')
      .selectAll()
      .where('id', '=', fileId)
      .where('uploader_id', '=', userId)
      .where('kind', '=', 'file')
      .executeTakeFirst();
    return row ? storedChatFile(row) : null;
  }
}

function storedChatFile(row: Selectable<MediaRow>): StoredFile {
  return {
    fileId: row.id,
    name: row.name ?? '',
    size: Number(row.size),
    mime: row.mime,
    sha256: row.sha256,
    target: { type: 'chat', conversationId: row.conversation_id ?? '' },
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  };
}
