import { describe, expect, it } from 'vitest';
import { indexTokens, matchesQuery, queryTokens } from './search-text';

/** Does a phrase of query bigrams occur at consecutive positions of the indexed bigrams? */
function phraseFound(text: string, query: string): boolean {
  const q = queryTokens(query);
  if (!q) return false;
  if (q.kind === 'unigram') return indexTokens(text).unigrams.split(' ').includes(q.token);
  const bi = indexTokens(text).bigrams.split(' ');
  for (let i = 0; i + q.tokens.length <= bi.length; i++) {
    if (q.tokens.every((t, j) => bi[i + j] === t)) return true;
  }
  return false;
}

describe('search tokens', () => {
  it('spells every token in letters only, five per character', () => {
    const { bigrams, unigrams } = indexTokens('上海，Qixin 😀!');
    for (const t of [...bigrams.split(' '), ...unigrams.split(' ')]) expect(t).toMatch(/^[a-z]+$/);
    expect(unigrams.split(' ').every((t) => t.length === 5)).toBe(true);
    expect(bigrams.split(' ').every((t) => t.length === 10)).toBe(true);
  });

  it('a phrase of bigrams is found exactly where the substring is', () => {
    const texts = ['上海是个好地方', '我在上海。', '“上海”', '去上 海边', 'Deploy Qixin到上海', 'qixin', '上'];
    const queries = ['上海', '上', '海', '上海。', '”', 'qixin到', 'QIXIN', 'ixi', '上 海', '好地方', '地方好', 'x'];
    for (const t of texts) for (const q of queries) expect(phraseFound(t, q), `${q} in ${t}`).toBe(matchesQuery(t, q));
  });

  it('has no tokens for an empty query and treats astral characters as one character', () => {
    expect(queryTokens('   ')).toBeNull();
    expect(queryTokens('😀')).toEqual({ kind: 'unigram', token: expect.any(String) });
  });
});
