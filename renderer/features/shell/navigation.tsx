import { createContext, useContext } from 'react';

export type Section = 'chat' | 'contacts' | 'admin' | 'settings';

export type Navigation = {
  section: Section;
  setSection: (section: Section) => void;
  activeConversationId: string | null;
  /** Shows the chat section with this conversation open. */
  openConversation: (conversationId: string | null) => void;
  /** The department 通讯录 shows (null: the enterprise), kept while other sections are open. */
  contactsDepartmentId: string | null;
  setContactsDepartmentId: (id: string | null) => void;
};

export const NavigationContext = createContext<Navigation | null>(null);

export function useNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (!value) throw new Error('useNavigation outside the shell');
  return value;
}
