// Rich messages, message revisions, reactions, favorites, delete-for-me, chat media, and
// group management (admins, announcement and its history, mute-all, welcome, dissolve).
import type { Kysely } from 'kysely';
import type { Migration } from '../migrator';

export const migration0040: Migration = {
  version: 40,
  name: 'messaging',
  async up(db: Kysely<any>, dialect) {
    const millis = dialect === 'postgres' ? 'bigint' : 'integer';

    await db.schema
      .alterTable('enterprises')
      .addColumn('group_max_members', 'integer', (c) => c.notNull().defaultTo(500))
      .execute();

    // Messages: kind-specific payload, quote, mentions, and the revision of their last change.
    for (const [name, type, build] of [
      ['body', 'text', (c: any) => c],
      ['quote', 'text', (c: any) => c],
      ['mentions', 'text', (c: any) => c.notNull().defaultTo('[]')],
      ['mention_all', 'integer', (c: any) => c.notNull().defaultTo(0)],
      ['forwarded', 'integer', (c: any) => c.notNull().defaultTo(0)],
      ['recalled_at', millis, (c: any) => c],
      ['rev', millis, (c: any) => c.notNull().defaultTo(0)],
    ] as const) {
      await db.schema
        .alterTable('messages')
        .addColumn(name, type as 'text', build as never)
        .execute();
    }
    // msg.updates reads a conversation's changed messages by revision; most rows have rev 0.
    await db.schema.createIndex('messages_rev').on('messages').columns(['conversation_id', 'rev']).execute();

    // Conversations: revision counter and group settings; the current announcement inline.
    for (const [name, type, build] of [
      ['last_rev', millis, (c: any) => c.notNull().defaultTo(0)],
      ['mute_all', 'integer', (c: any) => c.notNull().defaultTo(0)],
      ['managers_only', 'integer', (c: any) => c.notNull().defaultTo(0)],
      ['welcome', 'text', (c: any) => c.notNull().defaultTo('')],
      ['dissolved', 'integer', (c: any) => c.notNull().defaultTo(0)],
      ['announcement_version', 'integer', (c: any) => c.notNull().defaultTo(0)],
    ] as const) {
      await db.schema
        .alterTable('conversations')
        .addColumn(name, type as 'text', build as never)
        .execute();
    }
    // Members: group admin flag and the member's own tags (JSON array).
    await db.schema
      .alterTable('members')
      .addColumn('admin', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('members')
      .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();

    // Every version of every group announcement ('' = cleared).
    await db.schema
      .createTable('group_announcements')
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('created_at', millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('group_announcements_pk', ['conversation_id', 'version'])
      .execute();

    await db.schema
      .createTable('message_reactions')
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('emoji', 'text', (c) => c.notNull())
      .addColumn('created_at', millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('message_reactions_pk', ['message_id', 'emoji', 'user_id'])
      .execute();

    // 删除 (for me): per user; the message stays for everyone else.
    await db.schema
      .createTable('hidden_messages')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('created_at', millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('hidden_messages_pk', ['user_id', 'message_id'])
      .execute();

    // 收藏: a frozen copy of the message (kind, text, body as JSON).
    await db.schema
      .createTable('favorites')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('sender_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('body', 'text')
      .addColumn('created_at', millis, (c) => c.notNull())
      .addColumn('saved_at', millis, (c) => c.notNull())
      .addUniqueConstraint('favorites_user_message', ['user_id', 'message_id'])
      .execute();
    await db.schema
      .createIndex('favorites_user_saved')
      .on('favorites')
      .columns(['user_id', 'saved_at', 'id'])
      .execute();

    // Chat media: random ids over content-addressed blobs (sha256 names the file on disk).
    await db.schema
      .createTable('media')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('size', millis, (c) => c.notNull())
      .addColumn('uploader_id', 'text', (c) => c.notNull())
      .addColumn('created_at', millis, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('media_sha256').on('media').column('sha256').execute();
    // Which messages reference which media: a download is allowed to whoever can read one of them.
    await db.schema
      .createTable('message_media')
      .addColumn('media_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('seq', millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('message_media_pk', ['media_id', 'message_id'])
      .execute();
  },
};
