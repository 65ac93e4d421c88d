import { createContext, useContext } from 'react';
import type { ChatMessage, ConversationItem } from '../../../../shared/contract';
import type { User } from '../../../../shared/protocol/entities';
import type { Quote } from '../../../../shared/protocol/message-content';

/** What a message row can do; ChatPane provides it so rows deep in the virtual list need no prop chains. */
export type ChatActions = {
  meId: string;
  conversation: ConversationItem;
  byId: Map<string, User>;
  /** Ticked message ids while 多选 is on, else null. */
  selected: ReadonlySet<string> | null;
  toggleSelected: (messageId: string) => void;
  startSelecting: (messageId: string) => void;
  quote: (message: ChatMessage) => void;
  forward: (messages: ChatMessage[], merged: boolean) => void;
  favorite: (messages: ChatMessage[]) => void;
  recall: (message: ChatMessage) => void;
  hide: (messages: ChatMessage[]) => void;
  react: (message: ChatMessage, emoji: string) => void;
  reedit: (text: string) => void;
  retry: (message: ChatMessage) => void;
  discard: (message: ChatMessage) => void;
  jumpToQuote: (quote: Quote) => void;
  openImage: (messageId: string) => void;
};

export const ChatActionsContext = createContext<ChatActions | null>(null);

export function useChatActions(): ChatActions {
  const value = useContext(ChatActionsContext);
  if (!value) throw new Error('useChatActions outside <ChatActionsContext>');
  return value;
}
