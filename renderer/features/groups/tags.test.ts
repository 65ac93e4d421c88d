import { describe, expect, it } from 'vitest';
import { allTags, normalizeTags } from './tags';

describe('tags', () => {
  it('collects every tag once, sorted', () => {
    expect(allTags([{ tags: ['项目', 'ops'] }, { tags: ['ops'] }, { tags: [] }], 'en-US')).toEqual(['ops', '项目']);
  });

  it('trims, drops blanks and repeats, and flags what the relay would refuse', () => {
    expect(normalizeTags([' 客户 ', '客户', '', '  '])).toEqual({ tags: ['客户'], tooLong: false, tooMany: false });
    expect(normalizeTags(['长'.repeat(21), '短']).tooLong).toBe(true);
    expect(normalizeTags(Array.from({ length: 11 }, (_, i) => `t${i}`)).tooMany).toBe(true);
  });
});
