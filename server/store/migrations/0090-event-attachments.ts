// Event attachments (日程附件): links to drive files, kept on the event as a JSON array of
// {nodeId, name, size, mime} as they were when saved. The file itself stays in the drive: whoever
// opens it does so with their own level there, so an attachment never widens who may read it.
import type { Kysely } from 'kysely';
import type { Migration } from '../migrator';

export const migration0090: Migration = {
  version: 90,
  name: 'event-attachments',
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('events')
      .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
  },
};
