// What a calendar write tells people, gathered while it runs and written at its end in the same
// transaction: a `calendar` change for everyone who sees the events (organizer, the calendar's
// owner and sharers, every attendee, before and after), and chat notices (邀请 / 变更 / 取消) in the
// direct chat between the organizer and each attendee concerned, the chat made if missing.
// After commit, `publish` sends the changes and the notices.
import { eventFrame, type SystemNotice } from '../../shared/protocol';
import type { MessageRow } from '../store/schema';
import type { Appended, ChangeStream } from '../domain/changes';
import type { DomainContext, Tx } from '../domain/context';
import { ConversationChanges } from '../domain/conversation-changes';
import { messageView } from '../domain/views';
import { calendarAudience } from './calendars';

/** Event ids one change names at most. */
const CHANGE_EVENTS_MAX = 500;

export type NoticeAction = Extract<SystemNotice['action'], 'eventInvited' | 'eventChanged' | 'eventCancelled'>;

export interface EventNotice {
  action: NoticeAction;
  organizerId: string;
  attendeeId: string;
  title: string;
  event: { eventId: string; start: number; allDay: boolean };
}

/** Committed effects, to publish after commit. */
export interface Effects {
  appended: Appended[];
  messages: { row: MessageRow; to: string[] }[];
}

export class EffectsBuilder {
  readonly eventIds = new Set<string>();
  readonly people = new Set<string>();
  readonly calendarIds = new Set<string>();
  readonly notices: EventNotice[] = [];
  /** Events whose room booking must be checked (new, moved, another room, more people). */
  readonly bookings = new Set<string>();
  calendarsChanged = false;

  /** An event changed: its id, and the people and calendar that see it. */
  touch(row: { id: string; calendar_id: string; organizer_id: string }, attendeeIds: Iterable<string> = []): void {
    this.eventIds.add(row.id);
    this.calendarIds.add(row.calendar_id);
    this.people.add(row.organizer_id);
    for (const id of attendeeIds) this.people.add(id);
  }

  book(eventId: string, changed: boolean): void {
    if (changed) this.bookings.add(eventId);
  }

  notify(notice: EventNotice): void {
    // The organizer needs no notice from themselves.
    if (notice.attendeeId !== notice.organizerId) this.notices.push(notice);
  }
}

export class CalendarEffects {
  private readonly chats: ConversationChanges;

  constructor(
    private readonly ctx: DomainContext,
    private readonly changes: ChangeStream,
  ) {
    this.chats = new ConversationChanges(ctx, changes);
  }

  /** Writes the notices and appends the changes; call it last in the transaction. */
  async commit(trx: Tx, b: EffectsBuilder): Promise<Effects> {
    const messages: Effects['messages'] = [];
    const chatAppended: Appended[] = [];
    for (const n of dedupeNotices(b.notices)) {
      // The direct chat of the two, made if missing (as conv.create makes it).
      const { conversationId, created } = await this.chats.openDirect(trx, n.organizerId, n.attendeeId);
      if (created) chatAppended.push(...created.appended);
      const row = await this.chats.notice(trx, conversationId, n.organizerId, {
        action: n.action,
        targetIds: [n.attendeeId],
        name: n.title,
        event: n.event,
      });
      messages.push({ row, to: [n.organizerId, n.attendeeId] });
    }
    const people = new Set([...b.people, ...(await calendarAudience(trx, [...b.calendarIds]))]);
    // A big write (an import, a deleted calendar) tells clients to fetch everything again instead.
    const many = b.eventIds.size > CHANGE_EVENTS_MAX;
    const eventIds = many ? [] : [...b.eventIds];
    const calendarsChanged = b.calendarsChanged || many;
    const appended =
      b.eventIds.size > 0 || calendarsChanged
        ? await this.changes.append(
            trx,
            [...people].map((userId) => ({
              userId,
              change: { kind: 'calendar' as const, eventIds, calendarsChanged },
            })),
          )
        : [];
    return { appended: [...chatAppended, ...appended], messages };
  }

  /** After commit. */
  publish(effects: Effects): void {
    this.changes.publish(effects.appended);
    for (const m of effects.messages) {
      this.ctx.fanout.toUsers(m.to, eventFrame('msg.new', { message: messageView(m.row) }));
    }
  }
}

/** One notice per attendee, event and action (a write may name the same twice). */
function dedupeNotices(notices: EventNotice[]): EventNotice[] {
  const seen = new Set<string>();
  return notices.filter((n) => {
    const key = `${n.attendeeId}:${n.event.eventId}:${n.action}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
