import { match } from 'pinyin-pro';
import type { User } from '../../../shared/protocol/entities';

/** Whether `text` contains `query`, or matches it as pinyin (full or initials). */
export function textMatches(text: string, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  if (text.toLowerCase().includes(q)) return true;
  return /^[a-z]+$/.test(q) && match(text, q) !== null;
}

/** Name, account, mobile, or the name's pinyin (full or initials: "zhangsan", "zs"). */
export function userMatches(user: User, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  if (user.name.toLowerCase().includes(q) || user.account.toLowerCase().includes(q)) return true;
  if (user.mobile?.includes(q)) return true;
  if (/^[a-z]+$/.test(q)) return match(user.name, q) !== null;
  return false;
}
