import { useEffect, useState } from 'react';
import type { ChatMessage } from '../../../shared/contract';
import { useQixin } from '../../bridge/context';
import { useNavigation } from '../shell/navigation';

const CONTEXT_SIZE = 30;

type Loaded = { at: number; messages: ChatMessage[] };

/**
 * A search hit opened in its chat: the messages around it (`messages.around`) and the id of the
 * one to scroll to and flash. Null when the chat shows its newest messages as usual.
 */
export function useMessageJump(conversationId: string) {
  const qixin = useQixin();
  const { messageTarget, clearMessageTarget } = useNavigation();
  const target = messageTarget?.conversationId === conversationId ? messageTarget : null;
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    if (!target) return;
    let alive = true;
    qixin
      .call('messages.around', { conversationId, seq: target.seq, limit: CONTEXT_SIZE })
      .then((r) => alive && setLoaded({ at: target.at, messages: r.messages }))
      // Not reachable (e.g. offline, not cached): show the chat as usual rather than nothing.
      .catch(() => alive && clearMessageTarget());
    return () => {
      alive = false;
    };
  }, [qixin, conversationId, target, clearMessageTarget]);

  if (!target || loaded?.at !== target.at) return target ? { loading: true as const } : null;
  const hit = loaded.messages.find((m) => m.seq === target.seq);
  return {
    loading: false as const,
    nonce: target.at,
    messages: loaded.messages,
    /** In the shape of MessageList's jump (scroll to it and highlight it). */
    jumpTarget: hit ? { messageId: hit.id, seq: target.seq, nonce: target.at } : null,
    exit: clearMessageTarget,
  };
}
