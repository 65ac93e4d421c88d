import { describe, expect, it } from 'vitest';
import { highlightPieces, snippetAround } from './highlight';

const hits = (text: string, query: string) =>
  highlightPieces(text, query)
    .filter((p) => p.hit)
    .map((p) => p.text);

describe('highlightPieces', () => {
  it('marks every occurrence, beside Chinese punctuation and quotes', () => {
    expect(highlightPieces('上海，去上海。“上海”', '上海')).toEqual([
      { text: '上海', hit: true },
      { text: '，去', hit: false },
      { text: '上海', hit: true },
      { text: '。“', hit: false },
      { text: '上海', hit: true },
      { text: '”', hit: false },
    ]);
  });

  it('ignores case for Latin text and keeps the original spelling', () => {
    expect(hits('Deploy to SHANGHAI, then shanghai again', 'Shanghai')).toEqual(['SHANGHAI', 'shanghai']);
    expect(hits('Qixin上海Office', 'n上海o')).toEqual(['n上海O']);
  });

  it('marks single characters and leaves texts without a hit whole', () => {
    expect(hits('海上看海', '海')).toEqual(['海', '海']);
    expect(highlightPieces('没有匹配', '上海')).toEqual([{ text: '没有匹配', hit: false }]);
    expect(highlightPieces('文字', '  ')).toEqual([{ text: '文字', hit: false }]);
  });

  it('does not overlap occurrences', () => {
    expect(hits('aaaa', 'aa')).toEqual(['aa', 'aa']);
    expect(hits('aaa', 'aa')).toEqual(['aa']);
  });
});

describe('snippetAround', () => {
  it('shows the hit of a long text with what precedes it', () => {
    const text = `${'前'.repeat(40)}上海${'后'.repeat(100)}`;
    const snippet = snippetAround(text, '上海');
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('上海');
    expect(snippetAround('上海见', '上海')).toBe('上海见');
  });
});
