// The paged initial snapshot (`sync.snapshot`) a fresh client builds its cache from.
import type { Conversation, Enterprise, User } from '../../shared/protocol';
import { RESULT_BUDGET_BYTES, withinBudget } from './budget';
import type { Reader } from './context';
import { loadConversationsOf, userView } from './views';

export interface SnapshotPage {
  cursor: number;
  enterprise: Enterprise | null;
  conversations: Conversation[];
  users: User[];
  nextUserId: string | null;
}

const size = (value: unknown) => JSON.stringify(value).length + 8;

/**
 * Users with id > afterUserId (primary-key range scan on both stores); the enterprise and the
 * caller's conversations ride on the first page. The cursor is read first so that any change
 * committed while the pages are read is replayed by `sync.changes` from it.
 */
export async function readSnapshot(
  db: Reader,
  userId: string,
  afterUserId: string | null,
  limit: number,
): Promise<SnapshotPage> {
  const max = await db
    .selectFrom('changes')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  const cursor = Number(max?.max ?? 0);
  const first = afterUserId === null;
  let enterprise: Enterprise | null = null;
  let conversations: Conversation[] = [];
  if (first) {
    const row = await db.selectFrom('enterprises').selectAll().executeTakeFirst();
    if (row) enterprise = { id: row.id, name: row.name, createdAt: row.created_at };
    conversations = await loadConversationsOf(db, userId);
  }
  let query = db
    .selectFrom('users')
    .selectAll()
    .orderBy('id')
    .limit(limit + 1);
  if (afterUserId !== null) query = query.where('id', '>', afterUserId);
  const rows = (await query.execute()).map(userView);
  // The first page's conversations share the frame budget with its users.
  const budget = Math.max(0, RESULT_BUDGET_BYTES - size(enterprise) - conversations.reduce((n, c) => n + size(c), 0));
  const users = withinBudget(rows.slice(0, limit), size, budget);
  const nextUserId = rows.length > users.length ? users.at(-1)!.id : null;
  return { cursor, enterprise, conversations, users, nextUserId };
}
