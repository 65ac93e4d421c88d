// 搜索: the contract's search calls. Messages come from the cache's index first and, when the relay
// is reachable, from `msg.search` too (it holds what the cache does not: older history, chats
// never opened here); both match and filter the same way, so their pages merge by time.
// Contacts come from the directory cache, chats from the cached conversations.
import type { CallName, ChatMessage, ContractService, ConversationItem } from '../../../shared/contract';
import { matchesQuery } from '../../../shared/lib/search-text';
import {
  QixinError,
  type Conversation,
  type RequestParams,
  type RequestResult,
  type RequestType,
} from '../../../shared/protocol';
import type { MessageSearchFilters } from '../../../shared/protocol/message-content';
import type { LocalCache } from '../cache/local-cache';
import type { SearchCursor } from '../cache/message-search';
import { createLogger } from '../log';
import { chatMessage } from '../messages/chat-message';

const log = createLogger('core.search');

type SearchCallName = Extract<CallName, `search.${string}`>;

/** How many of each list 全局搜索 shows before the UI asks for more. */
export const GLOBAL_SEARCH_LIMITS = { users: 20, conversations: 20, messages: 20 } as const;
/** People the directory search may return when matching chats by their members. */
const MEMBER_MATCHES = 200;

export type SearchCallDeps = {
  cache: LocalCache;
  /** Whether the relay link is up now (search never waits for a reconnect). */
  online(): boolean;
  requireSession(): { user: { id: string } };
  ask<T extends RequestType>(type: T, params: RequestParams<T>): Promise<RequestResult<T>>;
  /** The conversation list's item of a conversation (unread count, last message). */
  conversationItem(c: Conversation): ConversationItem;
};

export type MessageSearch = MessageSearchFilters & { query: string; before: SearchCursor | null; limit: number };
export type MessageSearchPage = { messages: ChatMessage[]; next: SearchCursor | null; complete: boolean };

const newestFirst = (a: ChatMessage, b: ChatMessage) =>
  b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * A page of matching messages, newest first: the cache's page and (online) the relay's page after
 * the same cursor, merged. Each source gives its own first `limit`, so the first `limit` of the
 * union are the true first `limit` of both; the cache's copy wins a duplicate (it carries what
 * only this device keeps, such as one's own recalled text).
 */
export async function searchMessages(deps: SearchCallDeps, q: MessageSearch): Promise<MessageSearchPage> {
  const local = deps.cache.read.searchMessages(q);
  const held = local.hits.flatMap((h) => {
    const m = deps.cache.read.message(h.id);
    return m ? [chatMessage(m)] : [];
  });
  if (!deps.online()) return { messages: held, next: local.next, complete: false };
  let relay: RequestResult<'msg.search'>;
  try {
    relay = await deps.ask('msg.search', {
      query: q.query,
      before: q.before,
      limit: q.limit,
      conversationId: q.conversationId,
      senderId: q.senderId,
      from: q.from,
      to: q.to,
      kind: q.kind,
    });
  } catch (err) {
    // A relay that cannot answer now (link dropped, timeout) leaves the cache's answer, marked partial.
    if (!(err instanceof QixinError) || err.code !== 'unavailable') throw err;
    log.info({ err: err.message }, 'message search from the cache only');
    return { messages: held, next: local.next, complete: false };
  }
  const byId = new Map(held.map((m) => [m.id, m]));
  for (const m of relay.messages) {
    if (!byId.has(m.id)) byId.set(m.id, chatMessage(deps.cache.read.message(m.id) ?? m));
  }
  const merged = [...byId.values()].sort(newestFirst);
  const page = merged.slice(0, q.limit);
  const more = merged.length > q.limit || local.next !== null || relay.next !== null;
  const last = page[page.length - 1];
  return {
    messages: page,
    next: more && last ? { createdAt: last.createdAt, id: last.id } : null,
    complete: true,
  };
}

/**
 * Chats whose name contains the query (groups), or with a member the directory search finds
 * (by name, pinyin, initials…; for a direct chat, the peer). Named groups matching by name first.
 */
export function matchingConversations(deps: SearchCallDeps, query: string, selfId: string): Conversation[] {
  const people = new Set(deps.cache.read.search(query, MEMBER_MATCHES).users.map((u) => u.id));
  people.delete(selfId);
  const byName: Conversation[] = [];
  const byMember: Conversation[] = [];
  for (const c of deps.cache.read.conversations()) {
    if (!c.active) continue;
    if (c.type === 'group' && c.name && matchesQuery(c.name, query)) byName.push(c);
    else if (c.memberIds.some((id) => people.has(id))) byMember.push(c);
  }
  const recent = (a: Conversation, b: Conversation) => b.lastActivityAt - a.lastActivityAt;
  return [...byName.sort(recent), ...byMember.sort(recent)];
}

export function searchCalls(deps: SearchCallDeps): Pick<ContractService, SearchCallName> {
  return {
    'search.messages': async (args) => {
      deps.requireSession();
      return searchMessages(deps, args);
    },
    'search.global': async ({ query }) => {
      const { user } = deps.requireSession();
      const users = deps.cache.read.search(query, GLOBAL_SEARCH_LIMITS.users).users;
      const conversations = matchingConversations(deps, query, user.id)
        .slice(0, GLOBAL_SEARCH_LIMITS.conversations)
        .map((c) => deps.conversationItem(c));
      const { messages } = await searchMessages(deps, {
        query,
        before: null,
        limit: GLOBAL_SEARCH_LIMITS.messages,
      });
      return { users, conversations, messages };
    },
  };
}
