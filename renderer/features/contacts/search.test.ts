import { describe, expect, it } from 'vitest';
import { byPinyin } from './directory';
import { userMatches } from './search';
import { testUser } from '../../../shared/protocol/user.test-fixture';

const zhang = testUser('1', '张三丰', {
  account: 'zhangsan',
  alias: 'Sanfeng',
  mobile: '13800138000',
  email: 'zsf@yunfan.cn',
});

describe('userMatches', () => {
  it('finds people by name, alias, account, mobile, email and pinyin', () => {
    for (const q of ['张三', 'zhangsan', '1380013', 'zsf', 'zhangsanfeng', 'ZSF', 'sanfeng', 'yunfan.cn', ''])
      expect(userMatches(zhang, q)).toBe(true);
    for (const q of ['李四', 'lisi', 'xyz']) expect(userMatches(zhang, q)).toBe(false);
  });
});

describe('byPinyin', () => {
  it('sorts Chinese names by pinyin, unknown people last', () => {
    const byId = new Map(
      [testUser('z', '张伟'), testUser('l', '李娜'), testUser('a', '安琪'), testUser('c', '曾可')].map((u) => [
        u.id,
        u,
      ]),
    );
    // 曾 reads zeng as a surname (zeng < zhang); ids nobody knows go last.
    expect(byPinyin(['z', 'x', 'l', 'c', 'a'], byId)).toEqual(['a', 'l', 'c', 'z', 'x']);
  });
});
