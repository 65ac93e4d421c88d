import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueryGate } from './query-gate';

describe('QueryGate', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('searches once after the typing pauses, with the last text', () => {
    const asked: string[] = [];
    const gate = new QueryGate((q) => asked.push(q), 250);
    gate.input('上');
    vi.advanceTimersByTime(100);
    gate.input('上海 ');
    vi.advanceTimersByTime(249);
    expect(asked).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(asked).toEqual(['上海']);
  });

  it('never searches the letters of an open IME composition, and searches when it ends', () => {
    const asked: string[] = [];
    const gate = new QueryGate((q) => asked.push(q), 250);
    gate.compositionStart();
    for (const typed of ['s', 'sh', 'sha', 'shang', 'shanghai']) {
      gate.input(typed);
      vi.advanceTimersByTime(1000);
    }
    expect(asked).toEqual([]);
    gate.compositionEnd('上海');
    vi.advanceTimersByTime(250);
    expect(asked).toEqual(['上海']);
  });

  it('drops a pending search when a composition starts, and clears at once when emptied', () => {
    const asked: string[] = [];
    const gate = new QueryGate((q) => asked.push(q), 250);
    gate.input('a');
    gate.compositionStart();
    vi.advanceTimersByTime(1000);
    expect(asked).toEqual([]);
    gate.compositionEnd('');
    expect(asked).toEqual(['']);
  });
});
