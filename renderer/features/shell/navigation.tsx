import { createContext, useContext } from 'react';

export type Section = 'chat' | 'contacts' | 'calendar' | 'drive' | 'favorites' | 'admin' | 'settings';

/** A message to show in its context (a search hit): the chat opens around it and flashes it. */
export type MessageTarget = {
  conversationId: string;
  seq: number;
  /** tells two jumps to one message apart */ at: number;
};

/** A day (and maybe an event) 日程 opens at: a chat notice or 今日日程 asked for it. */
export type CalendarTarget = {
  at: number;
  eventId: string | null;
  /** tells two jumps to one day apart */ nonce: number;
};

export type Navigation = {
  section: Section;
  setSection: (section: Section) => void;
  activeConversationId: string | null;
  /** Shows the chat section with this conversation open. */
  openConversation: (conversationId: string | null) => void;
  /** Shows the chat section with this conversation open at the message with this seq. */
  openMessage: (conversationId: string, seq: number) => void;
  messageTarget: MessageTarget | null;
  /** Back to the newest messages of the open chat. */
  clearMessageTarget: () => void;
  /** The department 通讯录 shows (null: the enterprise), kept while other sections are open. */
  contactsDepartmentId: string | null;
  setContactsDepartmentId: (id: string | null) => void;
  /** Shows 日程 at the day of `at`, with this event's details open if given. */
  openCalendar: (at: number, eventId?: string | null) => void;
  calendarTarget: CalendarTarget | null;
};

export const NavigationContext = createContext<Navigation | null>(null);

export function useNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (!value) throw new Error('useNavigation outside the shell');
  return value;
}
