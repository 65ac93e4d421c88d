import { useEffect, useState } from 'react';
import type { Department, User } from '../../../shared/protocol/entities';
import { useQixin } from '../../bridge/context';
import { useDirectory } from './directory';

export type SearchResults = { users: User[]; departments: Department[] };

/** Waits this long after the last keystroke (and IME commit) before asking. */
const DEBOUNCE_MS = 150;

/**
 * `directory.search` for what the user types: name, pinyin (zhangsan), initials (zs), account,
 * mobile, email; departments by name. Answers to older queries are dropped. `results` is null
 * while the first answer for a query is on its way.
 */
export function useDirectorySearch(query: string, limit = 50): { results: SearchResults | null; loading: boolean } {
  const qixin = useQixin();
  const { generation } = useDirectory();
  const [state, setState] = useState<{ query: string; results: SearchResults | null; loading: boolean }>({
    query: '',
    results: null,
    loading: false,
  });
  const trimmed = query.trim().slice(0, 64);

  useEffect(() => {
    if (!trimmed) return;
    let live = true;
    setState((prev) => ({ query: trimmed, results: prev.query === trimmed ? prev.results : null, loading: true }));
    const timer = setTimeout(() => {
      qixin.call('directory.search', { query: trimmed, limit }).then(
        (results) => live && setState({ query: trimmed, results, loading: false }),
        () => live && setState({ query: trimmed, results: { users: [], departments: [] }, loading: false }),
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [qixin, trimmed, limit, generation]);

  if (!trimmed || state.query !== trimmed) return { results: null, loading: Boolean(trimmed) };
  return { results: state.results, loading: state.loading };
}
