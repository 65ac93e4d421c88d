// Files: chat files as media of kind `file` (with a name and an expiry), tus uploads under way,
// 秒传 challenges, and the drive (微盘): spaces, a tree of folders and files over the same
// content-addressed blobs, grants, stars and the access history.
import { sql, type Kysely } from 'kysely';
import type { Migration } from '../migrator';

export const migration0070: Migration = {
  version: 70,
  name: 'files',
  async up(db: Kysely<any>, dialect) {
    const postgres = dialect === 'postgres';
    const millis = postgres ? 'bigint' : 'integer';

    // Chat files are media rows (kind `file`): the same access rule (readers of a referencing
    // message) and the same download path. `expires_at` ends a chat file's life (30 days).
    await db.schema.alterTable('media').addColumn('name', 'text').execute();
    await db.schema.alterTable('media').addColumn('expires_at', millis).execute();
    // The chat a file was uploaded for (a restarted client asks what it committed, target included).
    await db.schema.alterTable('media').addColumn('conversation_id', 'text').execute();
    await db.schema.createIndex('media_expires').on('media').column('expires_at').execute();

    // A tus upload under way: who owns it and what it declared. The bytes sit in the tus store
    // until the sha256 is verified and they move into the blobs.
    await db.schema
      .createTable('file_uploads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('file_id', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('declaration', 'text', (c) => c.notNull())
      .addColumn('size', millis, (c) => c.notNull())
      .addColumn('created_at', millis, (c) => c.notNull())
      .execute();

    // 秒传: a challenge (random ranges of the file) that only the holder of the bytes can answer.
    await db.schema
      .createTable('upload_challenges')
      .addColumn('nonce', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('ranges', 'text', (c) => c.notNull())
      .addColumn('expires_at', millis, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('drive_spaces')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      // Personal spaces: one per person.
      .addColumn('owner_id', 'text', (c) => c.unique())
      .addColumn('root_id', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', millis, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('drive_nodes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('space_id', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'text')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('size', millis, (c) => c.notNull().defaultTo(0))
      .addColumn('mime', 'text')
      .addColumn('sha256', 'text')
      .addColumn('no_forward', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', millis, (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', millis, (c) => c.notNull())
      // Set on every node of a trashed subtree; `trash_root` marks the one the user trashed.
      .addColumn('trashed_at', millis)
      .addColumn('trashed_by', 'text')
      .addColumn('trash_root', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // Names are unique among a folder's live children (trashed ones do not count).
    await sql`create unique index drive_nodes_live_name on drive_nodes (parent_id, name) where trashed_at is null`.execute(
      db,
    );
    await db.schema.createIndex('drive_nodes_space').on('drive_nodes').columns(['space_id', 'type']).execute();
    await db.schema.createIndex('drive_nodes_sha256').on('drive_nodes').column('sha256').execute();
    await db.schema.createIndex('drive_nodes_trash').on('drive_nodes').columns(['trashed_by', 'trash_root']).execute();

    await db.schema
      .createTable('drive_grants')
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('principal_type', 'text', (c) => c.notNull())
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('granted_by', 'text', (c) => c.notNull())
      .addColumn('granted_at', millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('drive_grants_pk', ['node_id', 'principal_type', 'principal_id'])
      .execute();
    await db.schema
      .createIndex('drive_grants_principal')
      .on('drive_grants')
      .columns(['principal_type', 'principal_id'])
      .execute();

    await db.schema
      .createTable('drive_stars')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('starred_at', millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('drive_stars_pk', ['user_id', 'node_id'])
      .execute();

    await db.schema
      .createTable('drive_access')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('space_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('at', millis, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('drive_access_node').on('drive_access').columns(['node_id', 'at']).execute();
    await db.schema.createIndex('drive_access_user').on('drive_access').columns(['user_id', 'at']).execute();
  },
};
