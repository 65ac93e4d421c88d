// Row builders for the domain's unit tests: valid rows with defaults, overridden per test.
import type { ConversationRow, MemberRow } from '../store/schema';

export function groupRow(id: string, extra: Partial<ConversationRow> = {}): ConversationRow {
  return {
    id,
    type: 'group',
    name: 'g',
    owner_id: 'owner',
    direct_key: null,
    created_at: 0,
    last_seq: 0,
    last_activity_at: 0,
    ...extra,
  };
}

export function memberRow(conversationId: string, userId: string, extra: Partial<MemberRow> = {}): MemberRow {
  return {
    conversation_id: conversationId,
    user_id: userId,
    joined_seq: 1,
    join_position: 0,
    joined_at: 0,
    active: 1,
    left_seq: null,
    left_at: null,
    read_seq: 0,
    pinned: 0,
    muted: 0,
    ...extra,
  };
}
