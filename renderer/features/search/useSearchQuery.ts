import { useCallback, useEffect, useRef, useState, type ChangeEvent } from 'react';

const DEBOUNCE_MS = 250;

/**
 * A search field's text and the query it asks for. The query follows the text after a short
 * pause, and never while an IME composition is open: typing "shanghai" to get 上海 must not
 * search for "s", "sh", "sha"… (the composition's end counts as the last keystroke).
 */
export function useSearchQuery(initial = '') {
  const [draft, setDraft] = useState(initial);
  const [query, setQuery] = useState(initial.trim());
  const composing = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const schedule = useCallback((text: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setQuery(text.trim()), DEBOUNCE_MS);
  }, []);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const clear = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    setDraft('');
    setQuery('');
  }, []);

  const inputProps = {
    value: draft,
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      setDraft(e.target.value);
      if (!e.target.value) clear();
      else if (!composing.current) schedule(e.target.value);
    },
    onCompositionStart: () => {
      composing.current = true;
    },
    onCompositionEnd: (e: { currentTarget: HTMLInputElement }) => {
      composing.current = false;
      schedule(e.currentTarget.value);
    },
  };
  return { draft, query, inputProps, clear };
}
