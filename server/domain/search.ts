// `msg.search`: messages holding a query in the chats the caller can read, newest first.
// The index (search-index.ts) proposes candidates already narrowed by the filters and by
// membership in SQL; every candidate is then checked against its text with the oracle
// (matchesQuery), and the scan goes on until a page is full or the index is exhausted.
// Results carry no reactions (search shows text; opening the chat loads them).
import { sql, type RawBuilder } from 'kysely';
import { matchesQuery, queryTokens, searchableText, type QueryTokens } from '../../shared/lib/search-text';
import {
  MessagingLimits,
  QixinError,
  type Message,
  type MessageBody,
  type MessageSearchFilters,
} from '../../shared/protocol';
import type { MessageRow } from '../store/schema';
import type { DomainContext } from './context';
import { conversationTag, LINK_TAG, OVERFLOW_TOKEN, senderTag } from './search-index';
import { messageView } from './views';

export interface SearchCursor {
  createdAt: number;
  id: string;
}

export interface SearchParams extends MessageSearchFilters {
  query: string;
  before?: SearchCursor | null;
  limit?: number;
}

export interface SearchPage {
  messages: Message[];
  next: SearchCursor | null;
}

/** A candidate row as the index query returns it (SQLite adds the rowid it pages by). */
type Candidate = MessageRow & { rid?: number };

/** What both dialects' candidate queries need. */
interface Plan {
  userId: string;
  tokens: QueryTokens;
  filters: MessageSearchFilters;
}

// A date filter bounds the SQLite scan by rowid (rows are appended in time order); the slack
// covers writers whose clock reading preceded another's insert (the send batch's queue wait).
const ROWID_TIME_SLACK_MS = 60_000;

export class MessageSearch {
  constructor(private readonly ctx: DomainContext) {}

  async messages(userId: string, params: SearchParams): Promise<SearchPage> {
    const tokens = queryTokens(params.query);
    if (!tokens) throw new QixinError('invalid', 'type something to search for');
    const limit = Math.min(Math.max(1, params.limit ?? MessagingLimits.searchPageSize), MessagingLimits.searchPageSize);
    const filters: MessageSearchFilters = {
      conversationId: params.conversationId,
      senderId: params.senderId,
      from: params.from,
      to: params.to,
      kind: params.kind,
    };
    if (filters.conversationId) await this.assertReadable(userId, filters.conversationId);
    const plan: Plan = { userId, tokens, filters };
    const found: Candidate[] = [];
    // One extra hit tells whether a next page exists.
    const want = limit + 1;
    const scan =
      this.ctx.dialect === 'sqlite'
        ? await this.sqliteScan(plan, params.before ?? null)
        : await this.pgScan(plan, params.before ?? null);
    for (;;) {
      const batch = await scan.next(want - found.length);
      for (const row of batch.rows) {
        const text = searchableText({
          kind: row.kind,
          text: row.text,
          body: row.body ? (JSON.parse(row.body) as MessageBody) : null,
        });
        // A recalled message leaves the index in its recall's transaction; checked again all the same.
        if (row.recalled_at == null && matchesQuery(text, params.query)) found.push(row);
      }
      if (found.length >= want || batch.exhausted) break;
    }
    const page = found.slice(0, limit);
    const last = page.at(-1);
    return {
      messages: page.map((row) => messageView(row)),
      next: found.length > limit && last ? { createdAt: Number(last.created_at), id: last.id } : null,
    };
  }

  /** Naming a chat one never was in is refused; a former member searches what they could read. */
  private async assertReadable(userId: string, conversationId: string): Promise<void> {
    const member = await this.ctx.db
      .selectFrom('members')
      .select('user_id')
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!member) throw new QixinError('forbidden', 'you are not a member of this conversation', 'not_a_member');
  }

  /**
   * SQLite: the FTS5 index walked by rowid downwards (newest first), joined to the message and
   * to the caller's membership row; tags narrow by chat, sender and link inside the index.
   */
  private async sqliteScan(plan: Plan, before: SearchCursor | null) {
    const db = this.ctx.db;
    const { filters, userId } = plan;
    const match = [
      plan.tokens.kind === 'unigram' ? `uni : ${plan.tokens.token}` : `bi : "${plan.tokens.tokens.join(' ')}"`,
      ...(filters.conversationId ? [`tags : ${conversationTag(filters.conversationId)}`] : []),
      ...(filters.senderId ? [`tags : ${senderTag(filters.senderId)}`] : []),
      ...(filters.kind === 'link' ? [`tags : ${LINK_TAG}`] : []),
    ].join(' AND ');

    let upper = Number.MAX_SAFE_INTEGER;
    let exactBefore: SearchCursor | null = null;
    if (before) {
      const cursorRow = await db
        .selectFrom('messages')
        .select(sql<number>`rowid`.as('rid'))
        .where('id', '=', before.id)
        .executeTakeFirst();
      if (cursorRow) upper = Number(cursorRow.rid);
      else {
        // A cursor from elsewhere (not a relay message): bound by time, then compare exactly.
        upper = await this.sqliteRowidBound(before.createdAt + ROWID_TIME_SLACK_MS, 'upper');
        exactBefore = before;
      }
    }
    if (filters.to !== undefined)
      upper = Math.min(upper, await this.sqliteRowidBound(filters.to + ROWID_TIME_SLACK_MS, 'upper'));
    const lower =
      filters.from !== undefined ? await this.sqliteRowidBound(filters.from - ROWID_TIME_SLACK_MS, 'lower') : 0;

    const conditions: RawBuilder<unknown>[] = [
      sql`message_search match ${match}`,
      sql`s.rowid >= ${lower}`,
      sql`m.recalled_at is null`,
      sql`not exists (select 1 from hidden_messages h where h.user_id = ${userId} and h.message_id = m.id)`,
    ];
    if (filters.from !== undefined) conditions.push(sql`m.created_at >= ${filters.from}`);
    if (filters.to !== undefined) conditions.push(sql`m.created_at <= ${filters.to}`);
    if (filters.kind === 'image' || filters.kind === 'file') conditions.push(sql`m.kind = ${filters.kind}`);
    if (exactBefore)
      conditions.push(
        sql`(m.created_at < ${exactBefore.createdAt} or (m.created_at = ${exactBefore.createdAt} and m.id < ${exactBefore.id}))`,
      );
    const where = sql.join(conditions, sql` and `);
    let below = upper;
    let exhausted = false;
    return {
      next: async (want: number): Promise<{ rows: Candidate[]; exhausted: boolean }> => {
        if (exhausted) return { rows: [], exhausted };
        // CROSS JOIN keeps the index as the outer loop, so ORDER BY rowid DESC LIMIT stops early.
        const { rows } = await sql<Candidate>`select s.rowid as rid, m.* from message_search s
          cross join messages m on m.rowid = s.rowid
          cross join members mb on mb.conversation_id = m.conversation_id and mb.user_id = ${userId}
            and (mb.active = 1 or m.seq <= mb.left_seq)
          where ${where} and s.rowid < ${below}
          order by s.rowid desc limit ${want}`.execute(db);
        const last = rows.at(-1);
        if (last) below = Number(last.rid);
        exhausted = rows.length < want;
        return { rows, exhausted };
      },
    };
  }

  /**
   * The rowid bound of a time on SQLite, by binary search over rowids (they follow time):
   * 'upper' = one past the last rowid at or before `at`; 'lower' = the first rowid at or after it.
   */
  private async sqliteRowidBound(at: number, side: 'upper' | 'lower'): Promise<number> {
    const db = this.ctx.db;
    const max = await sql<{ top: number | null }>`select max(rowid) as top from messages`.execute(db);
    let lo = 1;
    let hi = Number(max.rows[0]?.top ?? 0) + 1;
    // Smallest rowid whose created_at is > at (upper) or >= at (lower); rowids may have gaps.
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const { rows } = await sql<{ rid: number; created_at: number }>`select rowid as rid, created_at from messages
        where rowid >= ${mid} order by rowid limit 1`.execute(db);
      const row = rows[0];
      const past = !row || (side === 'upper' ? row.created_at > at : row.created_at >= at);
      if (past) hi = mid;
      else lo = Number(row.rid) + 1;
    }
    return lo;
  }

  /** The chats a user can search: active ones whole, left ones up to the seq of leaving. */
  private async readableChats(userId: string, conversationId: string | undefined) {
    let query = this.ctx.db
      .selectFrom('members')
      .select(['conversation_id', 'active', 'left_seq'])
      .where('user_id', '=', userId);
    if (conversationId) query = query.where('conversation_id', '=', conversationId);
    const rows = await query.execute();
    const active = rows.filter((r) => r.active).map((r) => r.conversation_id);
    const former = rows.filter((r) => !r.active);
    return {
      active,
      formerIds: former.map((r) => r.conversation_id),
      formerCaps: former.map((r) => Number(r.left_seq ?? 0)),
    };
  }

  /**
   * PostgreSQL: the side table alone narrowed by tsquery and the filter columns, the readable
   * chats passed as arrays, ordered exactly by (created_at, id) newest first; the planner walks
   * the time index for a common term and starts from GIN for a rare one. Messages are read for
   * the page's ids only.
   */
  private async pgScan(plan: Plan, before: SearchCursor | null) {
    const db = this.ctx.db;
    const { filters, userId, tokens } = plan;
    const chats = await this.readableChats(userId, filters.conversationId);
    const conditions: RawBuilder<unknown>[] = [];
    if (tokens.kind === 'unigram') conditions.push(sql`s.uni @@ to_tsquery('simple', ${tokens.token})`);
    else {
      // Texts whose bigrams outgrow PostgreSQL's position lists carry OVERFLOW_TOKEN: for them,
      // all bigrams present is the candidate test (the text check decides).
      const phrase = tokens.tokens.join(' <-> ');
      const all = tokens.tokens.join(' & ');
      conditions.push(sql`s.bi @@ to_tsquery('simple', ${`(${phrase}) | (${all} & ${OVERFLOW_TOKEN})`})`);
    }
    conditions.push(sql`(s.conversation_id = any(${chats.active}::text[])
      or exists (select 1 from unnest(${chats.formerIds}::text[], ${chats.formerCaps}::bigint[]) as f(id, cap)
        where f.id = s.conversation_id and s.seq <= f.cap))`);
    if (filters.senderId) conditions.push(sql`s.sender_id = ${filters.senderId}`);
    if (filters.kind === 'link') conditions.push(sql`s.link`);
    else if (filters.kind) conditions.push(sql`s.kind = ${filters.kind}`);
    if (filters.from !== undefined) conditions.push(sql`s.created_at >= ${filters.from}::bigint`);
    if (filters.to !== undefined) conditions.push(sql`s.created_at <= ${filters.to}::bigint`);
    conditions.push(
      sql`not exists (select 1 from hidden_messages h where h.user_id = ${userId} and h.message_id = s.message_id)`,
    );
    const where = sql.join(conditions, sql` and `);
    let cursor = before;
    let exhausted = chats.active.length + chats.formerIds.length === 0;
    return {
      next: async (want: number): Promise<{ rows: Candidate[]; exhausted: boolean }> => {
        if (exhausted) return { rows: [], exhausted };
        const after = cursor
          ? sql`and (s.created_at, s.message_id) < (${cursor.createdAt}::bigint, ${cursor.id})`
          : sql``;
        const { rows } = await sql<Candidate>`select m.* from (
            select s.message_id, s.created_at from message_search s
            where ${where} ${after}
            order by s.created_at desc, s.message_id desc limit ${want}
          ) as hit join messages m on m.id = hit.message_id
          order by hit.created_at desc, hit.message_id desc`.execute(db);
        const last = rows.at(-1);
        if (last) cursor = { createdAt: Number(last.created_at), id: last.id };
        exhausted = rows.length < want;
        return { rows, exhausted };
      },
    };
  }
}
