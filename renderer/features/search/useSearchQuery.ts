import { useCallback, useEffect, useRef, useState, type ChangeEvent } from 'react';
import { QueryGate } from './query-gate';

/** A search field's text and the query it asks for (see QueryGate: debounced, IME-aware). */
export function useSearchQuery(initial = '') {
  const [draft, setDraft] = useState(initial);
  const [query, setQuery] = useState(initial.trim());
  const gate = useRef<QueryGate | null>(null);
  gate.current ??= new QueryGate(setQuery);
  useEffect(() => () => gate.current?.cancel(), []);

  const clear = useCallback(() => {
    gate.current?.cancel();
    setDraft('');
    setQuery('');
  }, []);

  const inputProps = {
    value: draft,
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      setDraft(e.target.value);
      gate.current?.input(e.target.value);
    },
    onCompositionStart: () => gate.current?.compositionStart(),
    onCompositionEnd: (e: { currentTarget: HTMLInputElement }) => gate.current?.compositionEnd(e.currentTarget.value),
  };
  return { draft, query, inputProps, clear };
}
