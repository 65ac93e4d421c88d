// The chat calls of the contract: pages and context around a message from the cache; sends
// through the durable outbox; recall, reactions and 删除 (online, applied locally as soon as the
// relay agrees); 收藏 kept in the cache and changed through the relay.
import type { CallName, ChatMessage, ContractService, EventSink } from '../../../shared/contract';
import {
  QixinError,
  type Message,
  type RequestParams,
  type RequestResult,
  type RequestType,
} from '../../../shared/protocol';
import type { LocalCache } from '../cache/local-cache';
import type { Outbox } from '../outbox/outbox';
import type { Sync } from '../sync/sync';
import { chatMessage, pendingMessage } from './chat-message';

type MessageCallName = Extract<
  CallName,
  `messages.${'page' | 'around' | 'send' | 'discard' | 'recall' | 'react' | 'hide'}` | `favorites.${string}`
>;

export type MessageCallDeps = {
  cache: LocalCache;
  sync: Sync;
  outbox: Outbox;
  emit: EventSink;
  /** Whether the relay link is up now (history around a message is fetched only then). */
  online(): boolean;
  requireSession(): { user: { id: string } };
  /** A relay request; fails with `unavailable` when the relay cannot be reached. */
  ask<T extends RequestType>(type: T, params: RequestParams<T>): Promise<RequestResult<T>>;
};

export function messageCalls(deps: MessageCallDeps): Pick<ContractService, MessageCallName> {
  const { cache } = deps;
  const lookup = (id: string): Message | null => cache.read.message(id);

  const changed = (conversationId: string) => {
    deps.emit('messages.changed', { conversationId });
    deps.emit('conversations.changed', {});
  };

  return {
    'messages.page': async ({ conversationId, beforeSeq, limit }) => {
      const { user } = deps.requireSession();
      const page = cache.read.page(conversationId, beforeSeq ?? null, limit);
      const messages: ChatMessage[] = page.messages.map(chatMessage);
      if (beforeSeq === undefined) {
        for (const row of cache.read.outboxFor(conversationId)) messages.push(pendingMessage(row, user.id, lookup));
      }
      return { messages, hasMore: page.hasMore };
    },
    'messages.around': async ({ conversationId, seq, limit }) => {
      deps.requireSession();
      // A search hit from the relay may lie past what the cache holds: fetch up to it first.
      const head = Math.max(cache.read.conversation(conversationId)?.lastSeq ?? 0, seq);
      if (Math.min(seq + limit, head) > cache.read.syncedSeq(conversationId) && deps.online()) {
        await deps.sync.gapFill(conversationId).catch(() => undefined);
      }
      const around = cache.read.around(conversationId, seq, limit);
      return { ...around, messages: around.messages.map(chatMessage) };
    },
    'messages.send': async (send) => {
      const { user } = deps.requireSession();
      const c = cache.read.conversation(send.conversationId);
      if (!c) throw new QixinError('not_found', 'no such conversation');
      if (!c.active)
        throw new QixinError('forbidden', 'you are no longer a member of this conversation', 'not_a_member');
      if (c.dissolved) throw new QixinError('forbidden', 'the group was dissolved', 'group_dissolved');
      const row = deps.outbox.enqueue(send);
      changed(send.conversationId);
      return { message: pendingMessage(row, user.id, lookup) };
    },
    'messages.discard': async ({ messageId }) => {
      deps.requireSession();
      const row = cache.read.outboxRow(messageId);
      if (!row) throw new QixinError('not_found', 'no such unsent message');
      // A pending send may be on the wire already: only a refused one can be taken back.
      if (row.status !== 'failed') throw new QixinError('conflict', 'the message is still being sent');
      cache.write.deleteOutbox(messageId);
      changed(row.send.conversationId);
      return {};
    },
    'messages.recall': async (args) => {
      deps.requireSession();
      const { message } = await deps.ask('msg.recall', args);
      deps.sync.applyUpdates([message]);
      return {};
    },
    'messages.react': async (args) => {
      deps.requireSession();
      const { message } = await deps.ask('msg.react', args);
      deps.sync.applyUpdates([message]);
      return {};
    },
    'messages.hide': async (args) => {
      deps.requireSession();
      await deps.ask('msg.hide', args);
      // The change stream brings it too; applied now so it is gone from this screen at once.
      if (cache.write.hideMessages(args.conversationId, args.messageIds) > 0) changed(args.conversationId);
      return {};
    },

    'favorites.list': async ({ query }) => {
      deps.requireSession();
      return { favorites: cache.read.favorites(query || undefined) };
    },
    'favorites.add': async (args) => {
      deps.requireSession();
      const { favorites } = await deps.ask('fav.add', args);
      cache.write.upsertFavorites(favorites);
      deps.emit('favorites.changed', {});
      return {};
    },
    'favorites.remove': async (args) => {
      deps.requireSession();
      await deps.ask('fav.remove', args);
      cache.write.removeFavorites(args.ids);
      deps.emit('favorites.changed', {});
      return {};
    },
  };
}
