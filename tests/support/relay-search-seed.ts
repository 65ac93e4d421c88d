// Puts a search corpus (tests/support/search-corpus.ts) into a relay store in bulk: its
// conversations, the memberships a test or benchmark chooses, the messages oldest first (so the
// store's append order is time order, as on a live relay), then the search index through the
// relay's own indexMessages. Used by the relay recall test and the relay search benchmark.
import { sql } from 'kysely';
import type { Message } from '../../shared/protocol';
import { indexMessages } from '../../server/domain/search-index';
import type { Store } from '../../server/store/database';
import type { MessageRow } from '../../server/store/schema';
import type { CorpusConversation, CorpusUser } from './search-corpus';

export interface Membership {
  userId: string;
  conversationId: string;
  /** null: an active member; a seq: left at that seq (reads up to it). */
  leftSeq: number | null;
}

export function messageRow(m: Message): MessageRow {
  return {
    conversation_id: m.conversationId,
    seq: m.seq,
    id: m.id,
    sender_id: m.senderId,
    kind: m.kind,
    text: m.text,
    system: m.system ? JSON.stringify(m.system) : null,
    created_at: m.createdAt,
    body: m.body ? JSON.stringify(m.body) : null,
    quote: null,
    mentions: '[]',
    mention_all: 0,
    forwarded: 0,
    recalled_at: m.recalledAt,
    rev: 0,
  };
}

/** Directory rows for corpus people who are not real accounts (the benchmark's searchers); no password. */
export async function seedUsers(store: Store, users: readonly CorpusUser[], at: number): Promise<void> {
  await store.transaction((trx) =>
    trx
      .insertInto('users')
      .values(
        // The directory's own columns keep their defaults.
        users.map((u, i) => ({
          id: u.id,
          account: `corpus${i}`,
          name: u.name,
          mobile: null,
          email: null,
          role: 'member',
          password_hash: '',
          created_at: at,
        })) as never,
      )
      .execute(),
  );
}

/** The corpus's conversations (owned by `ownerId`) and the given memberships. */
export async function seedConversations(
  store: Store,
  conversations: readonly CorpusConversation[],
  memberships: readonly Membership[],
  ownerId: string,
  at: number,
): Promise<void> {
  await store.transaction(async (trx) => {
    await trx
      .insertInto('conversations')
      .values(
        conversations.map((c) => ({
          id: c.id,
          type: c.type,
          name: c.name,
          owner_id: ownerId,
          direct_key: c.type === 'direct' ? [...c.memberIds].sort().join(':') : null,
          created_at: at,
          last_seq: 0,
          last_activity_at: at,
        })),
      )
      .execute();
    if (memberships.length === 0) return;
    await trx
      .insertInto('members')
      .values(
        memberships.map((m, i) => ({
          conversation_id: m.conversationId,
          user_id: m.userId,
          joined_seq: 0,
          join_position: i,
          joined_at: at,
          active: m.leftSeq === null ? 1 : 0,
          left_seq: m.leftSeq,
          left_at: m.leftSeq === null ? null : at,
          read_seq: 0,
          pinned: 0,
          muted: 0,
        })),
      )
      .execute();
  });
}

const INSERT_CHUNK = 400;

/** Stores messages (oldest first) and moves each conversation's last_seq; no indexing. Returns the count. */
export async function insertMessages(store: Store, messages: Iterable<Message>): Promise<number> {
  let count = 0;
  const heads = new Map<string, number>();
  let chunk: MessageRow[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = chunk;
    chunk = [];
    await store.transaction((trx) => trx.insertInto('messages').values(rows).execute());
  };
  for (const m of messages) {
    chunk.push(messageRow(m));
    heads.set(m.conversationId, Math.max(heads.get(m.conversationId) ?? 0, m.seq));
    count++;
    if (chunk.length === INSERT_CHUNK) await flush();
  }
  await flush();
  await store.transaction(async (trx) => {
    for (const [id, lastSeq] of heads) {
      await trx.updateTable('conversations').set({ last_seq: lastSeq }).where('id', '=', id).execute();
    }
  });
  return count;
}

/** Indexes stored messages through the relay's indexMessages, `batch` rows per transaction. */
export async function indexAll(store: Store, messages: Iterable<Message>, batch = 2_000): Promise<void> {
  let rows: MessageRow[] = [];
  for (const m of messages) {
    rows.push(messageRow(m));
    if (rows.length === batch) {
      const chunk = rows;
      rows = [];
      await store.transaction((trx) => indexMessages(trx, store.dialect, chunk));
    }
  }
  if (rows.length > 0) await store.transaction((trx) => indexMessages(trx, store.dialect, rows));
  // What autovacuum would soon do after a bulk load: statistics, so plans fit the data.
  if (store.dialect === 'postgres') await sql`analyze messages, message_search`.execute(store.db);
}
