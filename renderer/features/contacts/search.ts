import { match } from 'pinyin-pro';
import type { User } from '../../../shared/protocol/entities';

/** Name, account, mobile, or the name's pinyin (full or initials: "zhangsan", "zs"). */
export function userMatches(user: User, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  if (user.name.toLowerCase().includes(q) || user.account.toLowerCase().includes(q)) return true;
  if (user.mobile?.includes(q)) return true;
  if (/^[a-z]+$/.test(q)) return match(user.name, q) !== null;
  return false;
}
