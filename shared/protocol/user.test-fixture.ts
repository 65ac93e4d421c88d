import type { User } from './entities';
import { pinyinKeys } from '../lib/pinyin';

/** A member as the relay sends one, for unit tests: pinyin keys filled as the relay fills them. */
export function testUser(id: string, name: string, fields: Partial<User> = {}): User {
  return {
    id,
    account: id,
    name,
    ...pinyinKeys(name),
    alias: '',
    title: '',
    departmentIds: [],
    gender: 'unspecified',
    mobile: null,
    phone: null,
    email: null,
    address: '',
    managerId: null,
    status: 'active',
    hidden: false,
    activated: true,
    role: 'member',
    createdAt: 0,
    ...fields,
  };
}
