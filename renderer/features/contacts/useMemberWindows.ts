import { useCallback, useEffect, useRef, useState } from 'react';
import type { User } from '../../../shared/protocol/entities';
import { useQixin } from '../../bridge/context';
import { useDirectory } from './directory';

/** Members fetched per `directory.members` call. */
export const MEMBER_WINDOW = 200;

type State = { departmentId: string | null; total: number | null; windows: Map<number, User[]> };

export type MemberWindows = {
  /** Direct members of the department; null until the first window answered. */
  total: number | null;
  /** The member at a position in pinyin order, if its window is loaded. */
  userAt: (index: number) => User | undefined;
  /** Loads the window holding `index` unless it is loaded or on its way. */
  ensure: (index: number) => void;
};

/**
 * A department's direct members as a virtualized list needs them: windows of MEMBER_WINDOW
 * fetched with offset/limit as rows come into view (50,000 members never load at once).
 * After `directory.changed` the loaded windows are fetched again; the old rows stay on screen
 * until the new ones arrive.
 */
export function useMemberWindows(departmentId: string | null): MemberWindows {
  const qixin = useQixin();
  const { generation } = useDirectory();
  const [state, setState] = useState<State>({ departmentId: null, total: null, windows: new Map() });
  const inflight = useRef(new Set<number>());
  const current = useRef<{ departmentId: string | null; epoch: number }>({ departmentId: null, epoch: 0 });
  const loaded = useRef(new Set<number>());

  const load = useCallback(
    async (window: number) => {
      const { departmentId: dept, epoch } = current.current;
      if (!dept) return;
      inflight.current.add(window);
      try {
        const { users, total } = await qixin.call('directory.members', {
          departmentId: dept,
          offset: window * MEMBER_WINDOW,
          limit: MEMBER_WINDOW,
        });
        if (current.current.epoch !== epoch) return;
        loaded.current.add(window);
        setState((prev) => {
          const windows = new Map(prev.windows);
          windows.set(window, users);
          return { departmentId: dept, total, windows };
        });
      } catch {
        // Offline: the row asks again when it is rendered next.
      } finally {
        if (current.current.epoch === epoch) inflight.current.delete(window);
      }
    },
    [qixin],
  );

  useEffect(() => {
    current.current = { departmentId, epoch: current.current.epoch + 1 };
    inflight.current = new Set();
    loaded.current = new Set();
    setState({ departmentId, total: null, windows: new Map() });
    if (departmentId) void load(0);
  }, [departmentId, load]);

  const firstGeneration = useRef(generation);
  useEffect(() => {
    if (generation === firstGeneration.current) return;
    const windows = loaded.current.size > 0 ? [...loaded.current] : [0];
    for (const w of windows) void load(w);
  }, [generation, load]);

  const fresh = state.departmentId === departmentId;
  const userAt = useCallback(
    (index: number) =>
      fresh ? state.windows.get(Math.floor(index / MEMBER_WINDOW))?.[index % MEMBER_WINDOW] : undefined,
    [fresh, state.windows],
  );
  const ensure = useCallback(
    (index: number) => {
      const window = Math.floor(index / MEMBER_WINDOW);
      if (!fresh || state.windows.has(window) || inflight.current.has(window)) return;
      void load(window);
    },
    [fresh, state.windows, load],
  );
  return { total: fresh ? state.total : null, userAt, ensure };
}

/** For a row of such a list: asks for its window while the row shows a placeholder. */
export function useLoadWhenMissing(user: User | undefined, index: number, ensure: (index: number) => void): void {
  useEffect(() => {
    if (!user) ensure(index);
  }, [user, index, ensure]);
}
