// A group change reaches every member's change stream. The part of the conversation's view that
// all of them share (member ids, admins, announcement) is stored once per change in
// conversation_snapshots; each member's `changes` row refers to it and holds only that member's
// own fields. Rows written before this migration keep their whole view and read as before.
import type { Kysely } from 'kysely';
import type { Migration } from '../migrator';

export const migration0060: Migration = {
  version: 60,
  name: 'conversation-snapshots',
  async up(db: Kysely<any>, dialect) {
    const postgres = dialect === 'postgres';
    await db.schema
      .createTable('conversation_snapshots')
      .addColumn('id', postgres ? 'bigserial' : 'integer', (c) =>
        postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('created_at', postgres ? 'bigint' : 'integer', (c) => c.notNull())
      .execute();
    // The conversation's latest snapshot: an unchanged shared part is referenced again.
    await db.schema
      .createIndex('conversation_snapshots_latest')
      .on('conversation_snapshots')
      .columns(['conversation_id', 'id'])
      .execute();
    await db.schema
      .alterTable('changes')
      .addColumn('snapshot_id', postgres ? 'bigint' : 'integer', (c) => c.references('conversation_snapshots.id'))
      .execute();
  },
};
