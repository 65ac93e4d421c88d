// The initial snapshot (`sync.snapshot`) a fresh client builds its cache from. The directory is
// not part of it: it comes through `dir.sync`, filtered by what the caller may see.
import type { Conversation, Enterprise } from '../../shared/protocol';
import type { Reader } from './context';
import { enterpriseView, loadConversationsOf } from './views';

export interface Snapshot {
  cursor: number;
  enterprise: Enterprise | null;
  conversations: Conversation[];
}

/**
 * The enterprise and the caller's conversations. The cursor is read first so that any change
 * committed while the rest is read is replayed by `sync.changes` from it.
 */
export async function readSnapshot(db: Reader, userId: string): Promise<Snapshot> {
  const max = await db
    .selectFrom('changes')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  const cursor = Number(max?.max ?? 0);
  const row = await db.selectFrom('enterprises').selectAll().executeTakeFirst();
  const enterprise = row ? enterpriseView(row) : null;
  const conversations = await loadConversationsOf(db, userId);
  return { cursor, enterprise, conversations };
}
