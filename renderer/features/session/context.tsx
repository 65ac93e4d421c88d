import { createContext, useContext } from 'react';
import type { Language, SessionInfo } from '../../../shared/contract';
import type { User } from '../../../shared/protocol/entities';

export type SessionContextValue = {
  session: SessionInfo;
  setSession: (session: SessionInfo) => void;
  refreshSession: () => Promise<void>;
  language: Language;
  setLanguage: (language: Language) => Promise<void>;
};

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside <SessionContext>');
  return value;
}

/** The signed-in user; only valid below the shell, which renders for signed-in sessions. */
export function useMe(): User {
  const { session } = useSession();
  if (!session.user) throw new Error('useMe without a signed-in user');
  return session.user;
}
