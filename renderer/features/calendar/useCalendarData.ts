import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CalendarEvent, CalendarInfo, Occurrence } from '../../../shared/protocol/calendar';
import { coalesce } from '../../bridge/coalesce';
import { useBridgeReopen, useQixin, useQixinEvent } from '../../bridge/context';
import { expandOccurrences } from '../../../shared/calendar';

/** The user's calendars and those shared with them; fetched again on `calendar.changed`. */
export function useCalendars(): {
  calendars: CalendarInfo[] | null;
  reload: () => void;
  setLocal: (calendar: CalendarInfo) => void;
} {
  const qixin = useQixin();
  const [calendars, setCalendars] = useState<CalendarInfo[] | null>(null);
  const job = useRef<ReturnType<typeof coalesce> | null>(null);
  useEffect(() => {
    const j = coalesce(async () => setCalendars((await qixin.call('calendar.calendars', {})).calendars));
    job.current = j;
    j.schedule();
    return j.cancel;
  }, [qixin]);
  const reload = useCallback(() => job.current?.schedule(), []);
  useQixinEvent('calendar.changed', reload);
  useQixinEvent('connection', (c) => c.state === 'online' && reload());
  useBridgeReopen(reload);
  const setLocal = useCallback(
    (calendar: CalendarInfo) =>
      setCalendars((prev) => {
        if (!prev) return [calendar];
        const at = prev.findIndex((c) => c.id === calendar.id);
        return at < 0 ? [...prev, calendar] : prev.map((c) => (c.id === calendar.id ? calendar : c));
      }),
    [],
  );
  return { calendars, reload, setLocal };
}

export type Range = { from: number; to: number };

/**
 * Events with an occurrence in [from, to), expanded; fetched again when the range changes and on
 * `calendar.changed` (someone moved, answered or cancelled something this user sees).
 */
export function useEventsIn(range: Range | null): {
  events: Map<string, CalendarEvent>;
  occurrences: Occurrence[];
  loaded: boolean;
  reload: () => Promise<void>;
} {
  const qixin = useQixin();
  const from = range?.from ?? null;
  const to = range?.to ?? null;
  const [state, setState] = useState<{ from: number; to: number; events: CalendarEvent[] } | null>(null);
  const fetchNow = useCallback(async () => {
    if (from === null || to === null) return;
    const { events } = await qixin.call('calendar.events', { from, to });
    setState({ from, to, events });
  }, [qixin, from, to]);
  const job = useRef<ReturnType<typeof coalesce> | null>(null);
  useEffect(() => {
    const j = coalesce(fetchNow);
    job.current = j;
    j.schedule();
    return j.cancel;
  }, [fetchNow]);
  const schedule = useCallback(() => job.current?.schedule(), []);
  useQixinEvent('calendar.changed', schedule);
  useQixinEvent('connection', (c) => c.state === 'online' && schedule());
  useBridgeReopen(schedule);

  return useMemo(() => {
    // The last answer stays shown while the next range loads (no flicker when paging weeks).
    const events = state?.events ?? [];
    return {
      events: new Map(events.map((e) => [e.id, e])),
      occurrences: from !== null && to !== null ? expandOccurrences(events, from, to) : [],
      loaded: state !== null && state.from === from && state.to === to,
      reload: fetchNow,
    };
  }, [state, from, to, fetchNow]);
}
