import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChatMessage } from '../../../shared/contract';
import type { ReadState } from '../../../shared/protocol/entities';
import { coalesce } from '../../bridge/coalesce';
import { useBridgeReopen, useQixin, useQixinEvent } from '../../bridge/context';

const PAGE_SIZE = 50;

type MessagesState = { conversationId: string; messages: ChatMessage[]; hasMore: boolean; loaded: boolean };

/** Puts a fresh newest page over what is loaded, keeping older pages the user scrolled to. */
export function mergeNewest(loaded: ChatMessage[], page: ChatMessage[]): ChatMessage[] {
  const firstSeq = page.find((m) => m.seq !== null)?.seq ?? null;
  if (firstSeq === null) {
    // No acknowledged message in the page: keep acknowledged history, take the queue as given.
    return [...loaded.filter((m) => m.seq !== null), ...page];
  }
  const pageIds = new Set(page.map((m) => m.id));
  const older = loaded.filter((m) => m.seq !== null && m.seq < firstSeq && !pageIds.has(m.id));
  const lastOlder = older.at(-1)?.seq ?? null;
  // A gap between what we had and the new page: drop the stale part rather than show a hole.
  if (lastOlder !== null && lastOlder < firstSeq - 1) return page;
  return [...older, ...page];
}

/** The loaded messages of one conversation: the newest page, refreshed live, plus older pages on demand. */
export function useMessages(conversationId: string) {
  const qixin = useQixin();
  const [state, setState] = useState<MessagesState>({ conversationId, messages: [], hasMore: false, loaded: false });
  const [loadingOlder, setLoadingOlder] = useState(false);
  const loadingOlderRef = useRef(false);
  const stateRef = useRef(state);
  const job = useRef<ReturnType<typeof coalesce> | null>(null);

  useEffect(() => {
    stateRef.current = state;
  });

  useEffect(() => {
    let alive = true;
    const next = coalesce(async () => {
      const page = await qixin.call('messages.page', { conversationId, limit: PAGE_SIZE });
      if (!alive) return;
      setState((prev) => {
        if (prev.conversationId !== conversationId || !prev.loaded) {
          return { conversationId, messages: page.messages, hasMore: page.hasMore, loaded: true };
        }
        const messages = mergeNewest(prev.messages, page.messages);
        const keptOlder = messages.length > page.messages.length;
        return { conversationId, messages, hasMore: keptOlder ? prev.hasMore : page.hasMore, loaded: true };
      });
    });
    job.current = next;
    next.schedule();
    return () => {
      alive = false;
      next.cancel();
    };
  }, [qixin, conversationId]);

  useQixinEvent('messages.changed', (payload) => {
    if (payload.conversationId === conversationId) job.current?.schedule();
  });
  useBridgeReopen(() => job.current?.schedule());

  const loadOlder = useCallback(async () => {
    const current = stateRef.current;
    // Scroll events fire faster than React re-renders: the ref keeps it to one request.
    if (loadingOlderRef.current || !current.hasMore || current.conversationId !== conversationId) return;
    const beforeSeq = current.messages.find((m) => m.seq !== null)?.seq;
    if (!beforeSeq) return;
    loadingOlderRef.current = true;
    setLoadingOlder(true);
    try {
      const page = await qixin.call('messages.page', { conversationId, beforeSeq, limit: PAGE_SIZE });
      setState((prev) => {
        if (prev.conversationId !== conversationId) return prev;
        const have = new Set(prev.messages.map((m) => m.id));
        const older = page.messages.filter((m) => !have.has(m.id));
        return { ...prev, messages: [...older, ...prev.messages], hasMore: page.hasMore };
      });
    } finally {
      loadingOlderRef.current = false;
      setLoadingOlder(false);
    }
  }, [qixin, conversationId]);

  /** Shows a message `messages.send` just returned, before the change event arrives. */
  const addLocal = useCallback(
    (message: ChatMessage) =>
      setState((prev) =>
        prev.conversationId !== message.conversationId || prev.messages.some((m) => m.id === message.id)
          ? prev
          : { ...prev, messages: [...prev.messages, message] },
      ),
    [],
  );

  const current =
    state.conversationId === conversationId ? state : { conversationId, messages: [], hasMore: false, loaded: false };
  return { ...current, loadingOlder, loadOlder, addLocal };
}

/** Every member's read position in one conversation, refreshed on `readStates.changed`. */
export function useReadStates(conversationId: string): Map<string, number> | null {
  const qixin = useQixin();
  const [states, setStates] = useState<{ conversationId: string; states: ReadState[] } | null>(null);
  const job = useRef<ReturnType<typeof coalesce> | null>(null);

  useEffect(() => {
    const next = coalesce(async () => {
      const result = await qixin.call('messages.readStates', { conversationId });
      setStates({ conversationId, states: result.states });
    });
    job.current = next;
    next.schedule();
    return next.cancel;
  }, [qixin, conversationId]);

  const onChange = (payload: { conversationId: string }) => {
    if (payload.conversationId === conversationId) job.current?.schedule();
  };
  useQixinEvent('readStates.changed', onChange);
  useQixinEvent('messages.changed', onChange);
  useBridgeReopen(() => job.current?.schedule());

  return useMemo(
    () =>
      states && states.conversationId === conversationId
        ? new Map(states.states.map((s) => [s.userId, s.readSeq]))
        : null,
    [states, conversationId],
  );
}
