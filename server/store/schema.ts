// Row types of the relay's tables. Booleans are stored as 0/1 integers and times as
// UTC millis (bigint on PostgreSQL) so the same queries run on SQLite and PostgreSQL.
import type { Generated } from 'kysely';

export interface EnterpriseRow {
  id: string;
  name: string;
  created_at: number;
  singleton: Generated<number>;
}

export interface UserRow {
  id: string;
  account: string;
  name: string;
  mobile: string | null;
  email: string | null;
  role: 'admin' | 'member';
  password_hash: string;
  created_at: number;
}

export interface DeviceRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: number;
  last_seen_at: number;
  revoked_at: number | null;
}

export interface ConversationRow {
  id: string;
  type: 'direct' | 'group';
  name: string | null;
  owner_id: string;
  /** "userA:userB" (sorted) for direct chats, so one pair has one chat; null for groups. */
  direct_key: string | null;
  created_at: number;
  last_seq: number;
  last_activity_at: number;
}

export interface MemberRow {
  conversation_id: string;
  user_id: string;
  /** Seq of the notice that let this user in, then position in that notice: orders ownership handover. */
  joined_seq: number;
  join_position: number;
  joined_at: number;
  active: number;
  /** Seq of the notice of leaving/removal; former members read up to it. */
  left_seq: number | null;
  left_at: number | null;
  read_seq: number;
  pinned: number;
  muted: number;
}

export interface MessageRow {
  conversation_id: string;
  seq: number;
  id: string;
  sender_id: string;
  kind: 'text' | 'system';
  text: string;
  /** JSON of SystemNotice for kind 'system'. */
  system: string | null;
  created_at: number;
}

export interface ChangeRow {
  id: Generated<number>;
  /** null = enterprise-wide (every user gets it). */
  user_id: string | null;
  kind: 'user' | 'enterprise' | 'conversation';
  body: string;
  created_at: number;
}

export type AuditAction =
  | 'enterprise.created'
  | 'member.added'
  | 'device.revoked'
  | 'password.changed'
  | 'conversation.created'
  | 'conversation.members_added'
  | 'conversation.member_removed'
  | 'conversation.member_left'
  | 'conversation.owner_changed';

export interface AuditRow {
  id: Generated<number>;
  at: number;
  /** Who did it; null for the system itself. */
  actor_id: string | null;
  action: AuditAction;
  target_id: string | null;
  /** JSON with what else an auditor needs (names, member ids…). */
  detail: Generated<string>;
}

export interface MigrationRow {
  version: number;
  name: string;
  applied_at: number;
}

export interface Schema {
  enterprises: EnterpriseRow;
  users: UserRow;
  devices: DeviceRow;
  conversations: ConversationRow;
  members: MemberRow;
  messages: MessageRow;
  changes: ChangeRow;
  audit_log: AuditRow;
  qixin_migrations: MigrationRow;
}
