import { describe, expect, it } from 'vitest';
import { testUser } from '../../../../shared/protocol/user.test-fixture';
import { activeMentionQuery, insertMention, mentionCandidates, mentionsInText, offersMentionAll } from './mentions';

const ME = '018f0000-0000-7000-8000-000000000001';
const members = [
  testUser(ME, '王雨桐'),
  testUser('018f0000-0000-7000-8000-000000000002', '李明轩'),
  testUser('018f0000-0000-7000-8000-000000000003', '张三'),
];

describe('activeMentionQuery', () => {
  it('finds the @query before the caret, also right after Chinese text', () => {
    expect(activeMentionQuery('你好@li', 5)).toEqual({ start: 2, query: 'li' });
    expect(activeMentionQuery('@', 1)).toEqual({ start: 0, query: '' });
  });
  it('ends at a space and ignores email addresses', () => {
    expect(activeMentionQuery('@李明轩 好的', 7)).toBeNull();
    expect(activeMentionQuery('mail a@b', 8)).toBeNull();
  });
});

describe('mentionCandidates', () => {
  it('matches by name, full pinyin and initials, never myself', () => {
    expect(mentionCandidates(members, '明', ME).map((u) => u.name)).toEqual(['李明轩']);
    expect(mentionCandidates(members, 'zhang', ME).map((u) => u.name)).toEqual(['张三']);
    expect(mentionCandidates(members, 'lmx', ME).map((u) => u.name)).toEqual(['李明轩']);
    expect(mentionCandidates(members, 'wyt', ME)).toEqual([]);
    expect(mentionCandidates(members, '', ME)).toHaveLength(2);
  });
});

describe('offersMentionAll', () => {
  it('is offered to managers only', () => {
    expect(offersMentionAll('所有人', '', true)).toBe(true);
    expect(offersMentionAll('所有人', 'syr', true)).toBe(true);
    expect(offersMentionAll('所有人', '', false)).toBe(false);
    expect(offersMentionAll('所有人', 'li', true)).toBe(false);
  });
});

describe('insertMention and mentionsInText', () => {
  it('inserts "@name " and keeps only names still in the text', () => {
    const { text, caret } = insertMention('请 @li 看', 2, 5, '李明轩');
    expect(text).toBe('请 @李明轩  看');
    expect(caret).toBe(7);
    const picked = new Map([
      ['id-1', '李明轩'],
      ['id-2', '张三'],
    ]);
    expect(mentionsInText(text, picked)).toEqual(['id-1']);
  });
});
