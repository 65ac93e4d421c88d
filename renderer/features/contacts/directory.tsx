import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { User } from '../../../shared/protocol/entities';
import { coalesce } from '../../bridge/coalesce';
import { useBridgeReopen, useQixin, useQixinEvent } from '../../bridge/context';
import { buildOrg, EMPTY_ORG, type Org } from './org';

/** `directory.users` takes at most this many ids per call. */
const BATCH = 2000;

export type Directory = {
  /** Every profile this window has asked for so far (an enterprise may have 50,000: never all). */
  byId: Map<string, User>;
  /** Asks for these profiles; ids not known yet are fetched in one batch with everyone else's. */
  need: (ids: readonly string[]) => void;
  /** Puts profiles the UI got from another call (search, member windows) into the cache. */
  remember: (users: readonly User[]) => void;
  /** Grows on every `directory.changed`: views that hold their own directory data refetch. */
  generation: number;
  /** The departments this user may see (a few thousand at most: loaded whole). */
  org: Org;
  orgLoaded: boolean;
};

const DirectoryContext = createContext<Directory>({
  byId: new Map(),
  need: () => undefined,
  remember: () => undefined,
  generation: 0,
  org: EMPTY_ORG,
  orgLoaded: false,
});

/**
 * Profiles by id, batched and cached for the window's lifetime. Chat names, avatars and cards
 * ask for the ids they show; one `directory.users` call per frame answers all of them, and a
 * `directory.changed` refetches every cached id (renamed, moved, hidden people).
 */
export function DirectoryProvider(props: { children: ReactNode }) {
  const qixin = useQixin();
  const [byId, setById] = useState<Map<string, User>>(() => new Map());
  const [generation, setGeneration] = useState(0);
  const known = useRef(new Set<string>());
  const pending = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const live = useRef(true);
  const [org, setOrg] = useState<Org | null>(null);
  const orgJob = useRef<ReturnType<typeof coalesce> | null>(null);

  useEffect(() => {
    const job = coalesce(async () => setOrg(buildOrg((await qixin.call('directory.departments', {})).departments)));
    orgJob.current = job;
    job.schedule();
    return job.cancel;
  }, [qixin]);

  const merge = useCallback((users: readonly User[], asked?: readonly string[]) => {
    if (!live.current) return;
    setById((prev) => {
      const next = new Map(prev);
      // Asked for but not returned: no longer visible to this user.
      if (asked) for (const id of asked) next.delete(id);
      for (const user of users) next.set(user.id, user);
      return next;
    });
  }, []);

  const flush = useCallback(async () => {
    timer.current = null;
    const ids = [...pending.current];
    pending.current.clear();
    for (let i = 0; i < ids.length; i += BATCH) {
      const chunk = ids.slice(i, i + BATCH);
      try {
        const { users } = await qixin.call('directory.users', { ids: chunk });
        merge(users, chunk);
      } catch {
        // Offline or refused: ask again the next time someone needs them.
        for (const id of chunk) known.current.delete(id);
      }
    }
  }, [qixin, merge]);

  const schedule = useCallback(() => {
    if (timer.current === null) timer.current = setTimeout(() => void flush(), 0);
  }, [flush]);

  const need = useCallback(
    (ids: readonly string[]) => {
      let added = false;
      for (const id of ids) {
        if (known.current.has(id)) continue;
        known.current.add(id);
        pending.current.add(id);
        added = true;
      }
      if (added) schedule();
    },
    [schedule],
  );

  const remember = useCallback(
    (users: readonly User[]) => {
      if (users.length === 0) return;
      for (const user of users) known.current.add(user.id);
      merge(users);
    },
    [merge],
  );

  const refetchAll = useCallback(() => {
    for (const id of known.current) pending.current.add(id);
    setGeneration((g) => g + 1);
    orgJob.current?.schedule();
    if (pending.current.size > 0) schedule();
  }, [schedule]);

  useEffect(() => {
    live.current = true;
    // The pending flush is left to run: after a remount (StrictMode) it still answers the ids
    // already marked as asked for; after a real unmount its answer is dropped (`live`).
    return () => {
      live.current = false;
    };
  }, []);
  useQixinEvent('directory.changed', refetchAll);
  useBridgeReopen(refetchAll);

  const value = useMemo<Directory>(
    () => ({ byId, need, remember, generation, org: org ?? EMPTY_ORG, orgLoaded: org !== null }),
    [byId, need, remember, generation, org],
  );
  return <DirectoryContext.Provider value={value}>{props.children}</DirectoryContext.Provider>;
}

export function useDirectory(): Directory {
  return useContext(DirectoryContext);
}

/** The profiles of `ids` as far as they are loaded; asks for the rest. */
export function useUsers(ids: readonly string[]): Map<string, User> {
  const { byId, need } = useDirectory();
  const key = ids.join(',');
  useEffect(() => {
    if (key) need(key.split(','));
  }, [key, need]);
  return byId;
}

/** Pinyin order of the names (张三 before 李四 is wrong: li < zhang), unknown people last. */
export function byPinyin(ids: readonly string[], byId: Map<string, User>): string[] {
  const key = (id: string) => byId.get(id)?.pinyin ?? '\uffff';
  return [...ids].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
}
