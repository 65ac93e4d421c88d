import { useEffect, useMemo, useState, type RefObject } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChatMessage, ConversationItem } from '../../../../shared/contract';
import type { User } from '../../../../shared/protocol/entities';
import type { Quote } from '../../../../shared/protocol/message-content';
import { useQixin } from '../../../bridge/context';
import { errorText } from '../../session/errors';
import type { ComposerHandle } from '../Composer';
import { useConversations } from '../conversations';
import { inChatOrder, reactionIsMine, retryFields } from './actions';
import type { ChatActions } from './chat-actions';
import type { ForwardTarget } from './ForwardPicker';

/** A forward waiting for its targets to be picked. */
export type PendingForward = { messages: ChatMessage[]; merged: boolean };

/** Everything a chat's messages can have done to them, and the state it needs (quote, 多选, forward, viewer). */
export function useMessageActions(args: {
  conversation: ConversationItem;
  meId: string;
  byId: Map<string, User>;
  messages: ChatMessage[];
  addLocal: (message: ChatMessage) => void;
  composerRef: RefObject<ComposerHandle | null>;
}) {
  const { conversation, meId, byId, messages, addLocal, composerRef } = args;
  const { t } = useTranslation();
  const qixin = useQixin();
  const { message: toast, modal } = App.useApp();
  const { upsert } = useConversations();
  const [quoting, setQuoting] = useState<ChatMessage | null>(null);
  const [selected, setSelected] = useState<Set<string> | null>(null);
  const [forwarding, setForwarding] = useState<PendingForward | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const [jumpTarget, setJumpTarget] = useState<{ messageId: string; seq: number; nonce: number } | null>(null);

  // A quote, a selection or a forward belongs to the chat it started in.
  useEffect(() => {
    setQuoting(null);
    setSelected(null);
    setForwarding(null);
    setViewing(null);
    setJumpTarget(null);
  }, [conversation.id]);

  const fail = (err: unknown) => void toast.error(errorText(t, err));
  const conversationId = conversation.id;

  const hideNow = async (list: ChatMessage[]) => {
    const unsent = list.filter((m) => m.status !== 'sent');
    const sent = list.filter((m) => m.status === 'sent').map((m) => m.id);
    for (const m of unsent) await qixin.call('messages.discard', { messageId: m.id });
    if (sent.length) await qixin.call('messages.hide', { conversationId, messageIds: sent });
  };

  const actions: ChatActions = {
    meId,
    conversation,
    byId,
    selected,
    toggleSelected: (id) =>
      setSelected((prev) => {
        if (!prev) return prev;
        const next = new Set(prev);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    startSelecting: (id) => setSelected(new Set([id])),
    quote: (m) => {
      setQuoting(m);
      composerRef.current?.focus();
    },
    forward: (list, merged) => setForwarding({ messages: list, merged }),
    favorite: (list) =>
      void qixin
        .call('favorites.add', { conversationId, messageIds: list.map((m) => m.id) })
        .then(() => toast.success(t('chat.menu.favorited')), fail),
    recall: (m) => void qixin.call('messages.recall', { conversationId, messageId: m.id }).catch(fail),
    hide: (list) =>
      modal.confirm({
        title: t('chat.menu.deleteTitle', { count: list.length }),
        content: t('chat.menu.deleteBody'),
        okText: t('chat.menu.delete'),
        okButtonProps: { danger: true },
        onOk: () => hideNow(list).then(() => setSelected(null), fail),
      }),
    react: (m, emoji) =>
      void qixin
        .call('messages.react', { conversationId, messageId: m.id, emoji, on: !reactionIsMine(m, emoji, meId) })
        .catch(fail),
    reedit: (text) => composerRef.current?.setDraft(text),
    retry: (m) => {
      const fields = retryFields(m);
      if (!fields) return;
      void qixin
        .call('messages.send', fields)
        .then(async (result) => {
          addLocal(result.message);
          await qixin.call('messages.discard', { messageId: m.id });
        })
        .catch(fail);
    },
    discard: (m) => void qixin.call('messages.discard', { messageId: m.id }).catch(fail),
    jumpToQuote: (quote: Quote) => setJumpTarget({ messageId: quote.messageId, seq: quote.seq, nonce: Date.now() }),
    openImage: setViewing,
  };

  /** Sends the pending forward to each target: one card (merged) or one message per source, in chat order. */
  const forwardTo = async (targets: ForwardTarget[]) => {
    if (!forwarding) return;
    const ids = inChatOrder(forwarding.messages, new Set(forwarding.messages.map((m) => m.id))).map((m) => m.id);
    try {
      for (const target of targets) {
        let targetId = target.id;
        if (target.type === 'user') {
          const { conversation: opened } = await qixin.call('conversations.openDirect', { userId: target.id });
          upsert(opened);
          targetId = opened.id;
        }
        const batches = forwarding.merged ? [ids] : ids.map((id) => [id]);
        for (const messageIds of batches) {
          const result = await qixin.call('messages.send', {
            conversationId: targetId,
            forward: { conversationId, messageIds, merged: forwarding.merged },
          });
          if (targetId === conversationId) addLocal(result.message);
        }
      }
      toast.success(t('chat.forward.done'));
      setForwarding(null);
      setSelected(null);
    } catch (err) {
      fail(err);
    }
  };

  const selectedMessages = useMemo(() => (selected ? inChatOrder(messages, selected) : []), [messages, selected]);

  return {
    actions,
    quoting,
    setQuoting,
    selected,
    selectedMessages,
    setSelected,
    forwarding,
    setForwarding,
    forwardTo,
    viewing,
    setViewing,
    jumpTarget,
  };
}
