import { describe, expect, it } from 'vitest';
import { withinBudget } from './budget';

describe('withinBudget', () => {
  it('cuts a page where it would grow past the budget, but never returns nothing', () => {
    expect(withinBudget([4, 4, 4, 4], (n) => n, 10)).toEqual([4, 4]);
    expect(withinBudget([40, 4], (n) => n, 10)).toEqual([40]);
    expect(withinBudget([1, 2, 3], (n) => n, 10)).toEqual([1, 2, 3]);
    expect(withinBudget([], (n: number) => n, 10)).toEqual([]);
  });
});
