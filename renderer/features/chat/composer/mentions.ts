import type { User } from '../../../../shared/protocol/entities';
import { userMatches } from '../../contacts/search';

/** The "@query" being typed just before the caret, or null when the caret is not in one. */
export function activeMentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  // An @ right after a letter or digit is part of an address (a@b.com), not a mention.
  if (at > 0 && /[A-Za-z0-9._%+-]/.test(before[at - 1] ?? '')) return null;
  const query = before.slice(at + 1);
  if (query.length > 20 || /\s/.test(query)) return null;
  return { start: at, query };
}

/** Members offered for "@query": by name, alias, account, pinyin and initials; me left out. */
export function mentionCandidates(members: readonly User[], query: string, meId: string, limit = 50): User[] {
  return members.filter((u) => u.id !== meId && u.status === 'active' && userMatches(u, query)).slice(0, limit);
}

/** Whether "@所有人" should be offered for this query (owner and admins only). */
export function offersMentionAll(allLabel: string, query: string, allowed: boolean): boolean {
  if (!allowed) return false;
  const q = query.trim().toLowerCase();
  return (
    !q || allLabel.toLowerCase().includes(q) || 'all'.startsWith(q) || 'suoyouren'.startsWith(q) || 'syr'.startsWith(q)
  );
}

/** Replaces "@query" at `start` with "@name " and says where the caret goes. */
export function insertMention(
  text: string,
  start: number,
  caret: number,
  name: string,
): { text: string; caret: number } {
  const inserted = `@${name} `;
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
}

/**
 * The ids to send as mentions: people picked from the list whose "@name" is still in the text
 * (deleting the name by hand takes the mention back).
 */
export function mentionsInText(text: string, picked: ReadonlyMap<string, string>): string[] {
  const ids: string[] = [];
  for (const [id, name] of picked) if (text.includes(`@${name}`)) ids.push(id);
  return ids;
}
