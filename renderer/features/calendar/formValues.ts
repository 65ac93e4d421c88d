// The event form's values, from a new range or an event's occurrence, and back to the fields the
// relay takes. Pure, so the round trip is unit-tested.
import type { CalendarEvent, EventAttachment, EventTime } from '../../../shared/protocol/calendar';
import { utcDate } from './occurrences';
import { fromRRule, toRRule, type Frequency, type Repeat, type RepeatKind } from './repeat';
import { addDays, fromWallClock, localDate, toWallClock } from './zones';

export type EndType = 'never' | 'until' | 'count';

export type FormValues = {
  title: string;
  calendarId: string;
  allDay: boolean;
  startDate: string;
  startTime: string;
  /** All-day: the last day (inclusive, as people say it). */
  endDate: string;
  endTime: string;
  timeZone: string;
  repeat: RepeatKind;
  byDay: string[];
  freq: Frequency;
  interval: number;
  endType: EndType;
  untilDate: string;
  count: number;
  location: string;
  roomId: string | null;
  attendeeIds: string[];
  departmentIds: string[];
  /** Minutes before; -1 = 无. */
  reminder: number;
  description: string;
  /** Drive files linked (shown as chips; the relay takes their ids). */
  attachments: EventAttachment[];
};

/** An occurrence opened for editing: which event, and its original start and end. */
export type EditedOccurrence = {
  eventId: string;
  seriesId: string | null;
  recurrenceId: number | null;
  start: number;
  end: number;
};

/** UNTIL for the day a rule ends on: its last moment in the zone (timed) or the date (all-day). */
export function untilValue(date: string, allDay: boolean, timeZone: string): string {
  if (allDay) return date.replaceAll('-', '');
  const at = fromWallClock(addDays(date, 1), '00:00', timeZone) - 1000;
  return new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The day an UNTIL value ends on, in the event's zone. */
export function untilDate(value: string, timeZone: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
  if (!m) return '';
  if (!m[4]) return `${m[1]}-${m[2]}-${m[3]}`;
  const at = m[7]
    ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)
    : fromWallClock(`${m[1]}-${m[2]}-${m[3]}`, `${m[4]}:${m[5]}`, timeZone);
  return toWallClock(at, timeZone).date;
}

const repeatFields = (repeat: Repeat, fallbackUntil: string) => ({
  repeat: repeat.kind,
  byDay: repeat.byDay,
  freq: repeat.freq,
  interval: repeat.interval,
  endType: repeat.end.type,
  untilDate: repeat.end.type === 'until' ? repeat.end.date : fallbackUntil,
  count: repeat.end.type === 'count' ? repeat.end.count : 10,
});

/** A new event over [start, end) (a dragged range, or the next hour). */
export function newValues(
  range: { start: number; end: number; allDay: boolean },
  calendarId: string,
  timeZone: string,
): FormValues {
  const start = toWallClock(range.start, timeZone);
  const end = toWallClock(range.end, timeZone);
  const startDate = range.allDay ? localDate(range.start) : start.date;
  const lastDay = range.allDay ? addDays(localDate(range.end), -1) : end.date;
  return {
    title: '',
    calendarId,
    allDay: range.allDay,
    startDate,
    startTime: range.allDay ? '09:00' : start.time,
    endDate: lastDay < startDate ? startDate : lastDay,
    endTime: range.allDay ? '10:00' : end.time,
    timeZone,
    ...repeatFields(
      fromRRule(null, () => ''),
      addDays(startDate, 30),
    ),
    location: '',
    roomId: null,
    attendeeIds: [],
    departmentIds: [],
    reminder: 15,
    description: '',
    attachments: [],
  };
}

/** An occurrence of an event (and its series' rule) as the form shows it. */
export function editValues(
  event: CalendarEvent,
  series: CalendarEvent | null,
  occurrence: EditedOccurrence,
  systemZone: string,
): FormValues {
  const timeZone = event.time.allDay ? systemZone : event.time.timeZone;
  const allDay = event.time.allDay;
  const start = toWallClock(occurrence.start, timeZone);
  const end = toWallClock(occurrence.end, timeZone);
  const startDate = allDay ? utcDate(occurrence.start) : start.date;
  const rule = fromRRule((series ?? event).rrule, (v) => untilDate(v, timeZone));
  const fromDepartments = new Set(event.attendees.map((a) => a.viaDepartmentId).filter((d): d is string => !!d));
  return {
    title: event.title,
    calendarId: event.calendarId,
    allDay,
    startDate,
    startTime: allDay ? '09:00' : start.time,
    endDate: allDay ? addDays(utcDate(occurrence.end), -1) : end.date,
    endTime: allDay ? '10:00' : end.time,
    timeZone,
    ...repeatFields(rule, addDays(startDate, 30)),
    location: event.location,
    roomId: event.roomId,
    attendeeIds: event.attendees
      .filter((a) => a.viaDepartmentId === null && a.userId !== event.organizerId)
      .map((a) => a.userId),
    departmentIds: [...fromDepartments],
    reminder: event.reminders[0] ?? -1,
    description: event.description,
    attachments: event.attachments ?? [],
  };
}

/** The form's time (all-day ends exclusive again). */
export function timeOf(v: FormValues): EventTime {
  if (v.allDay) return { allDay: true, startDate: v.startDate, endDate: addDays(v.endDate, 1) };
  return {
    allDay: false,
    start: fromWallClock(v.startDate, v.startTime, v.timeZone),
    end: fromWallClock(v.endDate, v.endTime, v.timeZone),
    timeZone: v.timeZone,
  };
}

/** Start and end millis of a time (all-day: local midnights, for the pickers of rooms and people). */
export function spanOf(time: EventTime): { start: number; end: number } {
  if (!time.allDay) return { start: time.start, end: time.end };
  const [sy, sm, sd] = time.startDate.split('-').map(Number);
  const [ey, em, ed] = time.endDate.split('-').map(Number);
  return { start: new Date(sy!, sm! - 1, sd!).getTime(), end: new Date(ey!, em! - 1, ed!).getTime() };
}

/** The RRULE of the form (`raw`: a rule the choices could not say, kept while untouched). */
export function rruleOf(v: FormValues, raw: string | null): string | null {
  const repeat: Repeat = {
    kind: v.repeat,
    freq: v.freq,
    interval: Math.max(1, Math.floor(v.interval || 1)),
    byDay: v.byDay,
    end:
      v.endType === 'until'
        ? { type: 'until', date: v.untilDate }
        : v.endType === 'count'
          ? { type: 'count', count: Math.max(1, Math.floor(v.count || 1)) }
          : { type: 'never' },
    raw,
  };
  return toRRule(repeat, v.startDate, (date) => untilValue(date, v.allDay, v.timeZone));
}

/** The fields `calendar.create` / `calendar.update` take. */
export function fieldsOf(v: FormValues, raw: string | null) {
  return {
    calendarId: v.calendarId,
    title: v.title.trim(),
    location: v.location.trim(),
    description: v.description,
    time: timeOf(v),
    rrule: rruleOf(v, raw),
    attendeeIds: v.attendeeIds,
    departmentIds: v.departmentIds,
    roomId: v.roomId,
    reminders: v.reminder >= 0 ? [v.reminder] : [],
    attachmentIds: (v.attachments ?? []).map((a) => a.nodeId),
  };
}
