import type { ConversationItem } from '../../../shared/contract';
import { MessagingLimits } from '../../../shared/protocol/message-content';

/** Every tag this user gave any chat, in the order of the user's language. */
export function allTags(list: readonly Pick<ConversationItem, 'tags'>[], language: string): string[] {
  const tags = new Set<string>();
  for (const c of list) for (const tag of c.tags) tags.add(tag);
  return [...tags].sort(new Intl.Collator(language).compare);
}

/** Cleans what was typed into a tag list the relay accepts: trimmed, no blanks, no repeats. */
export function normalizeTags(input: readonly string[]): { tags: string[]; tooLong: boolean; tooMany: boolean } {
  const tags: string[] = [];
  let tooLong = false;
  for (const raw of input) {
    const tag = raw.trim();
    if (!tag || tags.includes(tag)) continue;
    if ([...tag].length > MessagingLimits.tagMaxChars) {
      tooLong = true;
      continue;
    }
    tags.push(tag);
  }
  return { tags, tooLong, tooMany: tags.length > MessagingLimits.tagsPerConversation };
}
