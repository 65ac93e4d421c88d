import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { User } from '../../../shared/protocol/entities';
import { coalesce } from '../../bridge/coalesce';
import { useBridgeReopen, useQixin, useQixinEvent } from '../../bridge/context';

export type Directory = {
  /** Sorted by pinyin of the name, as `directory.list` returns them. */
  users: User[];
  byId: Map<string, User>;
  /** Position in pinyin order, for sorting any list of user ids the same way. */
  rank: Map<string, number>;
  loaded: boolean;
};

const DirectoryContext = createContext<Directory>({ users: [], byId: new Map(), rank: new Map(), loaded: false });

export function DirectoryProvider(props: { children: ReactNode }) {
  const qixin = useQixin();
  const [users, setUsers] = useState<User[] | null>(null);
  const job = useRef<ReturnType<typeof coalesce> | null>(null);

  useEffect(() => {
    const next = coalesce(async () => setUsers((await qixin.call('directory.list', {})).users));
    job.current = next;
    next.schedule();
    return next.cancel;
  }, [qixin]);
  useQixinEvent('directory.changed', () => job.current?.schedule());
  useBridgeReopen(() => job.current?.schedule());

  const value = useMemo<Directory>(
    () => ({
      users: users ?? [],
      byId: new Map((users ?? []).map((u) => [u.id, u])),
      rank: new Map((users ?? []).map((u, i) => [u.id, i])),
      loaded: users !== null,
    }),
    [users],
  );
  return <DirectoryContext.Provider value={value}>{props.children}</DirectoryContext.Provider>;
}

/** Sorts user ids in the directory's pinyin order (unknown ids last). */
export function byPinyin(ids: string[], rank: Map<string, number>): string[] {
  return [...ids].sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity));
}

export function useDirectory(): Directory {
  return useContext(DirectoryContext);
}
