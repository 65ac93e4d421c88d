import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ConversationItem } from '../../../shared/contract';
import { coalesce } from '../../bridge/coalesce';
import { useBridgeReopen, useQixin, useQixinEvent } from '../../bridge/context';

export type Conversations = {
  /** Pinned first, then by last activity (the order `conversations.list` returns). */
  list: ConversationItem[];
  byId: Map<string, ConversationItem>;
  loaded: boolean;
  refresh: () => void;
  /** Puts a conversation the UI just got from a call into the list before the next refetch. */
  upsert: (item: ConversationItem) => void;
};

const ConversationsContext = createContext<Conversations | null>(null);

export function ConversationsProvider(props: { children: ReactNode }) {
  const qixin = useQixin();
  const [list, setList] = useState<ConversationItem[] | null>(null);
  const job = useRef<ReturnType<typeof coalesce> | null>(null);

  useEffect(() => {
    const next = coalesce(async () => setList((await qixin.call('conversations.list', {})).conversations));
    job.current = next;
    next.schedule();
    return next.cancel;
  }, [qixin]);
  const refresh = () => job.current?.schedule();
  useQixinEvent('conversations.changed', refresh);
  useQixinEvent('messages.changed', refresh);
  useBridgeReopen(refresh);

  const value = useMemo<Conversations>(() => {
    const items = list ?? [];
    return {
      list: items,
      byId: new Map(items.map((c) => [c.id, c])),
      loaded: list !== null,
      refresh: () => job.current?.schedule(),
      upsert: (item) =>
        setList((prev) => {
          const rest = (prev ?? []).filter((c) => c.id !== item.id);
          const pinned = rest.filter((c) => c.pinned);
          const others = rest.filter((c) => !c.pinned);
          return item.pinned ? [item, ...pinned, ...others] : [...pinned, item, ...others];
        }),
    };
  }, [list]);
  return <ConversationsContext.Provider value={value}>{props.children}</ConversationsContext.Provider>;
}

export function useConversations(): Conversations {
  const value = useContext(ConversationsContext);
  if (!value) throw new Error('useConversations outside <ConversationsProvider>');
  return value;
}
