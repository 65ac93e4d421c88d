import { describe, expect, it } from 'vitest';
import { safeUrl, textRuns } from './text-runs';

describe('textRuns', () => {
  it('makes links clickable and keeps Chinese punctuation outside them', () => {
    expect(textRuns('原型在 https://example.com/a?b=1，请看。', [])).toEqual([
      { type: 'text', text: '原型在 ' },
      { type: 'link', text: 'https://example.com/a?b=1', url: 'https://example.com/a?b=1' },
      { type: 'text', text: '，请看。' },
    ]);
  });

  it('opens bare www. hosts over https and drops a trailing full stop', () => {
    expect(textRuns('see www.qixin.dev.', [])).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', text: 'www.qixin.dev', url: 'https://www.qixin.dev/' },
      { type: 'text', text: '.' },
    ]);
  });

  it('highlights only the names the message mentions, the longest first', () => {
    expect(textRuns('@张三丰 和 @张三 看一下，@李四 不用', ['张三', '张三丰'])).toEqual([
      { type: 'mention', text: '@张三丰' },
      { type: 'text', text: ' 和 ' },
      { type: 'mention', text: '@张三' },
      { type: 'text', text: ' 看一下，@李四 不用' },
    ]);
  });

  it('keeps an email address plain text', () => {
    expect(textRuns('mail a@b.com', ['b'])).toEqual([{ type: 'text', text: 'mail a@b.com' }]);
  });
});

describe('safeUrl', () => {
  it('accepts only http and https', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('file:///etc/passwd')).toBeNull();
    expect(safeUrl('http://intranet.local/x')).toBe('http://intranet.local/x');
  });
});
