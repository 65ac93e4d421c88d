// Row types of the relay's tables. Booleans are stored as 0/1 integers and times as
// UTC millis (bigint on PostgreSQL) so the same queries run on SQLite and PostgreSQL.
import type { ColumnType, Generated } from 'kysely';
import type { Change, MessageKind } from '../../shared/protocol';

export interface EnterpriseRow {
  id: string;
  name: string;
  created_at: number;
  singleton: Generated<number>;
  group_max_members: Generated<number>;
}

export interface UserRow {
  id: string;
  account: string;
  name: string;
  mobile: string | null;
  email: string | null;
  role: 'admin' | 'member';
  /** '' until the member activates. */
  password_hash: string;
  created_at: number;
  alias: string;
  title: string;
  gender: 'male' | 'female' | 'unspecified';
  phone: string | null;
  address: string;
  manager_id: string | null;
  status: 'active' | 'disabled' | 'left';
  hidden: number;
  activated: number;
  /** Toneless pinyin of the name, no spaces ("zhangsan"), and its initials ("zs"). */
  pinyin: string;
  initials: string;
  /** directory_state.version of the write that last touched this row. */
  dir_version: number;
  updated_at: number;
}

/** The root department (parent_id null) is the enterprise itself and has the enterprise's id. */
export interface DepartmentRow {
  id: string;
  parent_id: string | null;
  name: string;
  sort_order: number;
  depth: number;
  hidden: number;
  deleted: number;
  dir_version: number;
  created_at: number;
  updated_at: number;
}

export interface UserDepartmentRow {
  user_id: string;
  department_id: string;
  position: number;
}

export interface DepartmentHeadRow {
  department_id: string;
  user_id: string;
  position: number;
}

export interface AdminGrantRow {
  user_id: string;
  /** JSON array of department ids (subtree roots). */
  department_ids: string;
  /** JSON array of AdminRight. */
  rights: string;
  updated_at: number;
}

export interface VisibilityRuleRow {
  id: string;
  subject_department_ids: string;
  visible_department_ids: string;
  position: number;
}

export interface ActivationCodeRow {
  code_hash: string;
  user_id: string;
  expires_at: number;
  used_at: number | null;
}

export interface DirectoryStateRow {
  singleton: number;
  version: number;
  epoch: number;
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
  /** Highest message revision (recalls, reactions) of this conversation. */
  last_rev: Generated<number>;
  mute_all: Generated<number>;
  managers_only: Generated<number>;
  welcome: Generated<string>;
  dissolved: Generated<number>;
  /** 0 = never had an announcement; the current one is group_announcements at this version. */
  announcement_version: Generated<number>;
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
  /** Group admin (the owner is conversations.owner_id). */
  admin: Generated<number>;
  /** JSON array of this member's own tags for the group. */
  tags: Generated<string>;
}

export interface MessageRow {
  conversation_id: string;
  seq: number;
  id: string;
  sender_id: string;
  kind: MessageKind;
  text: string;
  /** JSON of SystemNotice for kind 'system'. */
  system: string | null;
  created_at: number;
  /** JSON of MessageBody; null for text, system and recalled messages. */
  body: string | null;
  /** JSON of Quote. */
  quote: string | null;
  /** JSON array of user ids. */
  mentions: string;
  mention_all: number;
  forwarded: number;
  recalled_at: number | null;
  /** conversations.last_rev when this message last changed; 0 if never. */
  rev: number;
}

export interface GroupAnnouncementRow {
  conversation_id: string;
  version: number;
  text: string;
  author_id: string;
  created_at: number;
}

export interface MessageReactionRow {
  message_id: string;
  user_id: string;
  emoji: string;
  created_at: number;
}

export interface HiddenMessageRow {
  user_id: string;
  message_id: string;
  conversation_id: string;
  created_at: number;
}

export interface FavoriteRow {
  id: string;
  user_id: string;
  conversation_id: string;
  message_id: string;
  sender_id: string;
  kind: MessageKind;
  text: string;
  body: string | null;
  created_at: number;
  saved_at: number;
}

export interface MediaRow {
  id: string;
  sha256: string;
  /** `file`: a chat file (0070), uploaded with tus and kept until `expires_at`. */
  kind: 'image' | 'voice' | 'video' | 'file';
  mime: string;
  size: number;
  uploader_id: string;
  created_at: number;
  /** Chat files: the file's name (0070). */
  name: ColumnType<string | null, string | null | undefined, string | null>;
  /** Chat files: when the bytes may go (0070); null = kept. */
  expires_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** Chat files: the chat it was uploaded for (0070). */
  conversation_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A tus upload under way (0070). `declaration` is JSON of UploadDeclaration. */
export interface FileUploadRow {
  id: string;
  file_id: string;
  user_id: string;
  declaration: string;
  size: number;
  created_at: number;
}

/** A 秒传 challenge (0070): `ranges` is JSON of ByteRange[]. */
export interface UploadChallengeRow {
  nonce: string;
  user_id: string;
  sha256: string;
  ranges: string;
  expires_at: number;
}

export interface DriveSpaceRow {
  id: string;
  kind: 'personal' | 'team';
  name: string;
  owner_id: string | null;
  root_id: string;
  created_by: string;
  created_at: number;
}

export interface DriveNodeRow {
  id: string;
  space_id: string;
  parent_id: string | null;
  type: 'folder' | 'file';
  name: string;
  size: number;
  mime: string | null;
  sha256: string | null;
  no_forward: ColumnType<number, number | undefined, number>;
  created_by: string;
  created_at: number;
  updated_by: string;
  updated_at: number;
  trashed_at: ColumnType<number | null, number | null | undefined, number | null>;
  trashed_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1 on the node the user trashed (the trash lists these); its descendants carry 0. */
  trash_root: ColumnType<number, number | undefined, number>;
}

export interface DriveGrantRow {
  node_id: string;
  principal_type: 'user' | 'department';
  principal_id: string;
  level: 'view' | 'download' | 'edit' | 'manage';
  granted_by: string;
  granted_at: number;
}

export interface DriveStarRow {
  user_id: string;
  node_id: string;
  starred_at: number;
}

export interface DriveAccessRow {
  id: string;
  node_id: string;
  space_id: string;
  user_id: string;
  action: 'preview' | 'download' | 'upload' | 'edit' | 'share' | 'trash' | 'restore';
  at: number;
}

export interface MessageMediaRow {
  media_id: string;
  message_id: string;
  conversation_id: string;
  seq: number;
}

export interface CalendarRow {
  id: string;
  owner_id: string;
  name: string;
  color: string;
  is_primary: ColumnType<number, number | undefined, number>;
  created_at: number;
  deleted_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface CalendarShareRow {
  calendar_id: string;
  user_id: string;
  level: 'freebusy' | 'view' | 'edit';
}

export interface CalendarPrefRow {
  user_id: string;
  calendar_id: string;
  color: string | null;
  hidden: ColumnType<number, number | undefined, number>;
}

export interface EventRow {
  id: string;
  calendar_id: string;
  organizer_id: string;
  uid: string;
  title: string;
  location: ColumnType<string, string | undefined, string>;
  description: ColumnType<string, string | undefined, string>;
  all_day: ColumnType<number, number | undefined, number>;
  start_at: number;
  end_at: number;
  start_date: string | null;
  end_date: string | null;
  time_zone: string | null;
  rrule: string | null;
  /** JSON array of original starts (UTC millis). */
  exdates: ColumnType<string, string | undefined, string>;
  last_end_at: number | null;
  series_id: string | null;
  recurrence_id: number | null;
  room_id: string | null;
  /** JSON array of minutes before the start. */
  reminders: ColumnType<string, string | undefined, string>;
  /** JSON array of EventAttachment (links to drive files), migration 0090. */
  attachments: ColumnType<string, string | undefined, string>;
  cancelled: ColumnType<number, number | undefined, number>;
  sequence: ColumnType<number, number | undefined, number>;
  created_at: number;
  updated_at: number;
}

export interface EventAttendeeRow {
  event_id: string;
  user_id: string;
  response: ColumnType<
    'needs_action' | 'accepted' | 'tentative' | 'declined',
    'needs_action' | 'accepted' | 'tentative' | 'declined' | undefined,
    'needs_action' | 'accepted' | 'tentative' | 'declined'
  >;
  via_department_id: string | null;
  responded_at: number | null;
}

export interface EventResponseRow {
  event_id: string;
  user_id: string;
  recurrence_id: number;
  response: 'accepted' | 'tentative' | 'declined';
  responded_at: number;
}

export interface MeetingRoomRow {
  id: string;
  name: string;
  capacity: number;
  location: ColumnType<string, string | undefined, string>;
  /** JSON array of strings. */
  equipment: ColumnType<string, string | undefined, string>;
  created_at: number;
  deleted_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface CalendarFeedRow {
  token_hash: string;
  user_id: string;
  created_at: number;
  revoked_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ChangeRow {
  id: Generated<number>;
  /** null = enterprise-wide (every user gets it). */
  user_id: string | null;
  kind: Change['kind'];
  /**
   * The change as JSON; for a `conversation` change with a snapshot_id, only the user's own
   * fields ({kind, conversation: OwnConversationView}), the rest being in the snapshot.
   */
  body: string;
  created_at: number;
  /** conversation_snapshots.id (0060); null for other kinds and for rows written before it. */
  snapshot_id: ColumnType<number | null, number | null | undefined, number | null>;
}

/** The part of a conversation's view shared by all members, stored once per change (0060). */
export interface ConversationSnapshotRow {
  id: Generated<number>;
  conversation_id: string;
  /** sha256 of body: an unchanged shared part is referenced again, not stored again. */
  hash: string;
  body: string;
  /** body.length, so a page of changes is sized without reading the bodies. */
  size: number;
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
  | 'conversation.owner_changed'
  | 'conversation.admins_changed'
  | 'conversation.settings_changed'
  | 'conversation.dissolved'
  | 'enterprise.updated'
  | 'department.created'
  | 'department.updated'
  | 'department.moved'
  | 'department.deleted'
  | 'member.updated'
  | 'member.activation_issued'
  | 'member.activated'
  | 'role.changed'
  | 'visibility.changed'
  | 'directory.imported'
  // the drive (微盘): every permission change
  | 'drive.space_created'
  | 'drive.grants_changed'
  | 'drive.no_forward_changed'
  // the calendar: shares (a permission change) and meeting rooms (an admin action)
  | 'calendar.shares_changed'
  | 'calendar.room_saved'
  | 'calendar.room_deleted';

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
  group_announcements: GroupAnnouncementRow;
  message_reactions: MessageReactionRow;
  hidden_messages: HiddenMessageRow;
  favorites: FavoriteRow;
  media: MediaRow;
  message_media: MessageMediaRow;
  file_uploads: FileUploadRow;
  upload_challenges: UploadChallengeRow;
  drive_spaces: DriveSpaceRow;
  drive_nodes: DriveNodeRow;
  drive_grants: DriveGrantRow;
  drive_stars: DriveStarRow;
  drive_access: DriveAccessRow;
  calendars: CalendarRow;
  calendar_shares: CalendarShareRow;
  calendar_prefs: CalendarPrefRow;
  events: EventRow;
  event_attendees: EventAttendeeRow;
  event_responses: EventResponseRow;
  meeting_rooms: MeetingRoomRow;
  calendar_feeds: CalendarFeedRow;
  changes: ChangeRow;
  conversation_snapshots: ConversationSnapshotRow;
  audit_log: AuditRow;
  departments: DepartmentRow;
  user_departments: UserDepartmentRow;
  department_heads: DepartmentHeadRow;
  admin_grants: AdminGrantRow;
  visibility_rules: VisibilityRuleRow;
  activation_codes: ActivationCodeRow;
  directory_state: DirectoryStateRow;
  qixin_migrations: MigrationRow;
}
