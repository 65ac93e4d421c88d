/** Keeps a result frame far below what clients accept (they take up to 8 MiB); at least one item always fits. */
export const RESULT_BUDGET_BYTES = 1024 * 1024;

/** The longest prefix of items whose estimated sizes add up to at most the budget. */
export function withinBudget<T>(items: T[], size: (item: T) => number, budget = RESULT_BUDGET_BYTES): T[] {
  let total = 0;
  for (let i = 0; i < items.length; i++) {
    total += size(items[i]!);
    if (total > budget && i > 0) return items.slice(0, i);
  }
  return items;
}
