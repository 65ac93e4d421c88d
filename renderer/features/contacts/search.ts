import { match } from 'pinyin-pro';
import type { User } from '../../../shared/protocol/entities';

/** Whether `text` contains `query`, or matches it as pinyin (full or initials). */
export function textMatches(text: string, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  if (text.toLowerCase().includes(q)) return true;
  return /^[a-z]+$/.test(q) && match(text, q) !== null;
}

/**
 * Name, alias, account, mobile, email, or the name's pinyin keys from the relay (full or
 * initials: "zhangsan", "zs") — the same fields `directory.search` looks at, for lists
 * already on screen.
 */
export function userMatches(user: User, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const fields = [user.name, user.alias, user.account, user.mobile ?? '', user.email ?? ''];
  if (fields.some((f) => f.toLowerCase().includes(q))) return true;
  if (/^[a-z]+$/.test(q))
    return user.pinyin.startsWith(q) || user.initials.startsWith(q) || match(user.name, q) !== null;
  return false;
}
