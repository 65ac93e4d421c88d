/**
 * Wraps an async refresh so bursts of change events cause one run per frame, and never two
 * at once: a request during a run schedules exactly one more run after it.
 */
export function coalesce(run: () => Promise<unknown> | void): { schedule: () => void; cancel: () => void } {
  let scheduled = false;
  let running = false;
  let again = false;
  let cancelled = false;
  let handle: { kind: 'raf'; id: number } | { kind: 'timeout'; id: ReturnType<typeof setTimeout> } | null = null;

  const fire = async () => {
    handle = null;
    scheduled = false;
    if (cancelled) return;
    running = true;
    try {
      await run();
    } catch {
      // A failed refresh is retried by the next change event.
    } finally {
      running = false;
      if (again && !cancelled) {
        again = false;
        schedule();
      }
    }
  };

  const schedule = () => {
    if (cancelled) return;
    if (running) {
      again = true;
      return;
    }
    if (scheduled) return;
    scheduled = true;
    // Hidden windows get no animation frames; a short timeout still coalesces there.
    if (typeof document !== 'undefined' && document.visibilityState === 'visible') {
      handle = { kind: 'raf', id: requestAnimationFrame(() => void fire()) };
    } else {
      handle = { kind: 'timeout', id: setTimeout(() => void fire(), 50) };
    }
  };

  return {
    schedule,
    cancel: () => {
      cancelled = true;
      if (!handle) return;
      if (handle.kind === 'raf') cancelAnimationFrame(handle.id);
      else clearTimeout(handle.id);
    },
  };
}
