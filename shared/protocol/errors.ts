import { z } from 'zod';

/** Error codes shared by the wire protocol and the renderer contract. */
export const ErrorCode = z.enum([
  'bad_frame', // not JSON, or not {id?, type, payload}
  'unknown_type',
  'invalid', // payload failed its schema or a domain rule
  'too_large',
  'unauthenticated',
  'protocol_version',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'unavailable', // relay unreachable (client side)
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/**
 * Stable machine keys for the refusals a person meets in the directory, the admin console,
 * sign-in and activation. The code says what kind of failure it is; the reason says which rule
 * refused, so a client can say it in its own language without reading the English message.
 * Keys are never renamed; a new refusal gets a new key.
 */
export const ErrorReason = z.enum([
  // sign-in, sessions, activation
  'enterprise_exists', // setup ran before: the relay already has an enterprise
  'wrong_credentials', // unknown account or wrong password (one answer for both)
  'account_not_activated', // a created member has not redeemed their activation code yet
  'account_disabled', // status disabled: no sign-in, no activation
  'account_left', // status left: no sign-in, no activation
  'session_invalid', // unknown session token
  'session_revoked', // this device was signed out
  'activation_code_invalid', // wrong, expired or already used (one answer, so codes cannot be probed)
  'current_password_wrong', // changing the password: the old one does not match
  // admin rights
  'not_an_admin', // the directory, roles or the audit log need an administrator
  'super_admin_only', // only a super administrator may do this
  'outside_admin_scope', // a department (or member's department) outside the admin's subtrees
  'own_scope_root', // a department admin cannot move or delete the root of their own grant
  'last_super_admin', // the last super administrator cannot be demoted or disabled
  'admin_must_be_active', // only an active member can become an administrator
  // departments
  'department_not_found',
  'department_not_empty', // it still has members
  'department_has_children', // it still has sub-departments
  'department_too_deep', // deeper than MAX_DEPARTMENT_DEPTH levels below the enterprise
  'department_name_taken', // a sibling department has that name
  'department_cycle', // moving a department under itself or one of its sub-departments
  'root_department_immutable', // the root (the enterprise) cannot be moved or deleted
  'root_department_name', // the root carries the enterprise's name; it is not renamed here
  'head_not_member', // a department head must be a member of that department
  // members
  'member_not_found',
  'account_taken', // another member has that account
  'mobile_taken', // another member has that mobile number
  'manager_self', // a member cannot be their own manager
  'manager_invalid', // the manager does not exist
  'disable_self', // an admin cannot disable or retire their own account
  'already_activated', // no activation code for a member who has activated
  // messages
  'not_a_member', // the caller is not (or no longer) in this chat
  'message_not_found', // no such message in this chat (or not readable by the caller)
  'recall_expired', // messages can be recalled for 24 hours
  'recall_not_sender', // only the sender can recall a message
  'already_recalled', // a recalled message cannot be quoted, forwarded, reacted to or recalled again
  'mention_all_forbidden', // only the owner and group admins may @所有人
  'mention_not_member', // an @mentioned person is not in this chat
  'forward_source_unreadable', // forwarding from a chat the caller is not (or no longer) in
  'history_too_large', // a merged forward holds at most 100 messages and 20,000 characters
  'media_not_found', // the media id is unknown, or not the caller's to use
  'media_too_large', // over the limit of its kind (image 20 MB, voice 5 MB, video 50 MB)
  'media_type_mismatch', // the bytes are not of the kind or type declared
  'content_invalid', // text or payload does not fit the message kind
  // groups
  'group_muted', // 全员禁言: only the owner and group admins may send
  'group_full', // the group is at its member limit
  'group_dissolved', // the group was dissolved
  'not_group_owner', // only the owner may do this
  'not_group_manager', // only the owner and group admins may do this
  'not_a_group', // direct chats have no owner actions
  'too_many_admins', // a group has at most 10 admins
  'target_not_member', // the person is not in the group
  'group_limit_invalid', // the enterprise's group limit must lie between the default and 2,000
  // files and the drive
  'file_too_large', // over the relay's limit for a chat file (2 GB) or a drive file (20 GB)
  'file_name_invalid', // empty, too long, `.`/`..`, or with / \ NUL or control characters
  'file_hash_mismatch', // the uploaded bytes do not have the declared sha256: nothing was kept
  'file_size_mismatch', // the upload ended with more or fewer bytes than declared
  'upload_offset_mismatch', // a chunk did not start where the relay's copy ends (out of order)
  'upload_not_found', // no such upload (finished, cancelled, expired, or someone else's)
  'upload_incomplete', // asked for the result of an upload still under way
  'proof_failed', // the 秒传 proof does not match the bytes (or its challenge expired)
  'file_expired', // a chat file past its retention (已过期)
  'file_not_found', // unknown file or drive item, or not the caller's to see
  'quota_exceeded', // the personal or enterprise drive quota would be exceeded
  'drive_forbidden', // the caller's level on this drive item is too low for the action
  'drive_no_forward', // 禁止转发: only managers may download or send this file on
  'drive_name_taken', // the folder already holds an item of that name
  'drive_cycle', // a folder cannot move into itself or one of its sub-folders
  'drive_root_immutable', // a space's root cannot be renamed, moved or trashed
  'not_in_trash', // restore or purge of an item that is not in the trash
  'trash_expired', // trashed more than 30 days ago: gone for good
  // the calendar
  'calendar_not_found', // unknown calendar, or not the caller's to see
  'event_not_found', // unknown event or occurrence, or not the caller's to see
  'calendar_forbidden', // the caller's level on this calendar is too low (view, free/busy)
  'not_organizer', // only the organizer (or an editor of the calendar) may change or cancel it
  'not_attendee', // only an invited person can answer
  'end_before_start', // an event must end after it starts
  'time_zone_unknown', // not an IANA time zone this relay knows
  'rrule_invalid', // the recurrence rule does not parse, or its parts do not fit together
  'rrule_too_many', // a rule without an end yields too many occurrences (or COUNT is over 5,000)
  'room_not_found',
  'room_booked', // the meeting room is taken at that time (no double booking)
  'room_too_small', // more attendees than the room holds
  'primary_calendar', // the primary calendar cannot be deleted
  'ics_invalid', // the iCalendar file does not parse
  'ics_too_large', // an import is at most 10 MB
  'feed_not_found', // unknown or revoked subscription token
]);
export type ErrorReason = z.infer<typeof ErrorReason>;

/** The reason a schema names for a refused value (a refinement's `params.reason`), if any. */
export function schemaReason(error: z.ZodError): ErrorReason | undefined {
  for (const issue of error.issues) {
    const reason = ErrorReason.safeParse((issue as { params?: { reason?: unknown } }).params?.reason);
    if (reason.success) return reason.data;
  }
  return undefined;
}

/** `reason` is optional on the wire; an unknown one (from a newer peer) is dropped, not refused. */
export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  reason: ErrorReason.optional().catch(undefined),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

export function envelope<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: ErrorBody }),
  ]);
}

/** An error that carries a code (and, for known refusals, a reason) across process and network boundaries. */
export class QixinError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly reason?: ErrorReason,
  ) {
    super(message);
    this.name = 'QixinError';
  }

  /** Rebuilds the error a peer reported. */
  static from(body: ErrorBody): QixinError {
    return new QixinError(body.code, body.message, body.reason);
  }

  toBody(): ErrorBody {
    return this.reason
      ? { code: this.code, message: this.message, reason: this.reason }
      : { code: this.code, message: this.message };
  }
}
