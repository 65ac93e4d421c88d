// Accounts, devices, conversations, messages and the change stream.
import type { Kysely } from 'kysely';
import type { Migration } from '../migrator';

export const migration0010: Migration = {
  version: 10,
  name: 'initial',
  async up(db: Kysely<any>, dialect) {
    const millis = dialect === 'postgres' ? 'bigint' : 'integer';
    await db.schema
      .createTable('enterprises')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', millis, (c) => c.notNull())
      // One enterprise per relay: a second setup racing the first fails on this key.
      .addColumn('singleton', 'integer', (c) => c.notNull().defaultTo(1).unique())
      .execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('mobile', 'text', (c) => c.unique())
      .addColumn('email', 'text')
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', millis, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', millis, (c) => c.notNull())
      .addColumn('last_seen_at', millis, (c) => c.notNull())
      .addColumn('revoked_at', millis)
      .execute();
    await db.schema.createIndex('devices_user').on('devices').column('user_id').execute();

    await db.schema
      .createTable('conversations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('direct_key', 'text', (c) => c.unique())
      .addColumn('created_at', millis, (c) => c.notNull())
      .addColumn('last_seq', millis, (c) => c.notNull().defaultTo(0))
      .addColumn('last_activity_at', millis, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('members')
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('joined_seq', millis, (c) => c.notNull())
      .addColumn('join_position', 'integer', (c) => c.notNull())
      .addColumn('joined_at', millis, (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('left_seq', millis)
      .addColumn('left_at', millis)
      .addColumn('read_seq', millis, (c) => c.notNull().defaultTo(0))
      .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('muted', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('members_pk', ['conversation_id', 'user_id'])
      .execute();
    await db.schema.createIndex('members_user').on('members').column('user_id').execute();

    await db.schema
      .createTable('messages')
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('seq', millis, (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('sender_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('system', 'text')
      .addColumn('created_at', millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('messages_pk', ['conversation_id', 'seq'])
      .execute();

    await db.schema
      .createTable('changes')
      .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('user_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', millis, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('changes_user').on('changes').columns(['user_id', 'id']).execute();
  },
};
