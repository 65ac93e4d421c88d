import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../shared/contract';
import { useConversations } from '../chat/conversations';
import { conversationTitle, userName } from '../chat/format';
import { useUsers } from '../contacts/directory';
import { useMe } from '../session/context';

/** Names for search results: each hit's chat and sender, loading the people they mention. */
export function useChatNames(messages: readonly ChatMessage[]) {
  const { t } = useTranslation();
  const me = useMe();
  const { byId: conversations } = useConversations();
  const ids = useMemo(() => {
    const set = new Set<string>();
    for (const m of messages) {
      set.add(m.senderId);
      const c = conversations.get(m.conversationId);
      if (c && !c.name) for (const id of c.memberIds.filter((x) => x !== me.id).slice(0, 4)) set.add(id);
    }
    return [...set].sort();
  }, [messages, conversations, me.id]);
  const users = useUsers(ids);
  return {
    chatTitle: (conversationId: string) => {
      const c = conversations.get(conversationId);
      return c ? conversationTitle(c, me.id, users, t) : t('search.unknownChat');
    },
    senderName: (senderId: string) => userName(users, senderId, t),
  };
}
