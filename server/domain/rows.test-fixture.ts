// Row builders for the domain's unit tests: valid rows with defaults, overridden per test.
import type { StoredConversation, StoredMember } from './views';

export function groupRow(id: string, extra: Partial<StoredConversation> = {}): StoredConversation {
  return {
    id,
    type: 'group',
    name: 'g',
    owner_id: 'owner',
    direct_key: null,
    created_at: 0,
    last_seq: 0,
    last_activity_at: 0,
    last_rev: 0,
    mute_all: 0,
    managers_only: 0,
    welcome: '',
    dissolved: 0,
    announcement_version: 0,
    ...extra,
  };
}

export function memberRow(conversationId: string, userId: string, extra: Partial<StoredMember> = {}): StoredMember {
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
    admin: 0,
    tags: '[]',
    ...extra,
  };
}
