import { describe, expect, it } from 'vitest';
import type { User } from '../../../shared/protocol/entities';
import { userMatches } from './search';

const zhang: User = {
  id: '1',
  account: 'zhangsan',
  name: '张三丰',
  mobile: '13800138000',
  email: null,
  role: 'member',
  createdAt: 0,
};

describe('userMatches', () => {
  it('finds people by name, account, mobile and pinyin', () => {
    for (const q of ['张三', 'zhangsan', '1380013', 'zsf', 'zhangsanfeng', 'ZSF', ''])
      expect(userMatches(zhang, q)).toBe(true);
    for (const q of ['李四', 'lisi', 'xyz']) expect(userMatches(zhang, q)).toBe(false);
  });
});
