// iCalendar export (RFC 5545) of a calendar's events, for .ics downloads, the subscription feed and
// invitations: a VTIMEZONE for every zone used (from the zone's own offset changes), times in
// their zone (DTSTART;TZID=…), exceptions as RECURRENCE-ID components with the series' UID.
// ical.js writes the text: escaping, line folding at 75 octets, CRLF.
import ICAL from 'ical.js';
import type { AttendeeResponse, CalendarEvent, EventTime } from '../protocol/calendar';
import { dayOf } from './expand';
import type { WriteIcsOptions } from './ics-types';
import { offsetAt, utcToZoned, zoneTransitions } from './zones';

const DAY = 86_400_000;
const PRODID = '-//Qixin//Calendar 1.0//ZH';
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export function writeIcs(events: CalendarEvent[], options: WriteIcsOptions): string {
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('prodid', PRODID);
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('calscale', 'GREGORIAN');
  if (options.method) calendar.addPropertyWithValue('method', options.method);
  calendar.addPropertyWithValue('x-wr-calname', options.name);
  if (options.timeZone) calendar.addPropertyWithValue('x-wr-timezone', options.timeZone);

  const byId = new Map(events.map((e) => [e.id, e]));
  // Years each zone must cover: from the first start to a year past the last start (or today).
  const years = new Map<string, { from: number; to: number }>();
  const thisYear = new Date().getUTCFullYear();
  for (const e of events) {
    if (e.time.allDay || e.time.timeZone === 'UTC') continue;
    const y = new Date(e.time.start).getUTCFullYear();
    const span = years.get(e.time.timeZone) ?? { from: y, to: y };
    span.from = Math.min(span.from, y - 1);
    span.to = Math.max(span.to, y + 1, e.rrule ? thisYear + 1 : y + 1);
    years.set(e.time.timeZone, span);
  }
  for (const [zone, span] of [...years].sort(([a], [b]) => a.localeCompare(b))) {
    calendar.addSubcomponent(vtimezone(zone, span.from, span.to));
  }
  // Series before their exceptions, as most readers expect.
  const ordered = [...events].sort((a, b) => Number(a.seriesId !== null) - Number(b.seriesId !== null));
  for (const e of ordered) calendar.addSubcomponent(vevent(e, e.seriesId ? byId.get(e.seriesId) : undefined, options));
  return `${calendar.toString()}\r\n`;
}

/** A property value in the event's terms: a DATE, a UTC time, or a wall time with TZID. */
function timeValue(ms: number, time: EventTime): { value: ICAL.Time; tzid: string | null } {
  if (time.allDay) {
    const d = new Date(Math.floor(ms / DAY) * DAY);
    return {
      value: ICAL.Time.fromData({
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        isDate: true,
      }),
      tzid: null,
    };
  }
  if (time.timeZone === 'UTC') {
    const d = new Date(ms);
    return {
      value: ICAL.Time.fromData(
        {
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
          hour: d.getUTCHours(),
          minute: d.getUTCMinutes(),
          second: d.getUTCSeconds(),
        },
        ICAL.Timezone.utcTimezone,
      ),
      tzid: null,
    };
  }
  const w = utcToZoned(ms, time.timeZone);
  return {
    value: ICAL.Time.fromData({ year: w.y, month: w.m, day: w.d, hour: w.h, minute: w.min, second: w.s }),
    tzid: time.timeZone,
  };
}

function addTime(component: ICAL.Component, name: string, values: number[], time: EventTime) {
  if (values.length === 0) return;
  const prop = new ICAL.Property(name, component);
  const converted = values.map((ms) => timeValue(ms, time));
  if (time.allDay) prop.resetType('date');
  if (converted.length === 1) prop.setValue(converted[0]!.value);
  else prop.setValues(converted.map((c) => c.value));
  if (converted[0]!.tzid) prop.setParameter('tzid', converted[0]!.tzid);
  component.addProperty(prop);
}

function vevent(e: CalendarEvent, series: CalendarEvent | undefined, options: WriteIcsOptions): ICAL.Component {
  const v = new ICAL.Component('vevent');
  v.addPropertyWithValue('uid', e.seriesId ?? e.id);
  v.addPropertyWithValue('dtstamp', utcTime(e.updatedAt));
  v.addPropertyWithValue('last-modified', utcTime(e.updatedAt));
  v.addPropertyWithValue('sequence', e.sequence);
  const t = e.time;
  if (t.allDay) {
    addTime(v, 'dtstart', [dayOf(t.startDate) * DAY], t);
    addTime(v, 'dtend', [dayOf(t.endDate) * DAY], t);
  } else {
    addTime(v, 'dtstart', [t.start], t);
    addTime(v, 'dtend', [t.end], t);
  }
  if (e.seriesId !== null && e.recurrenceId !== null) {
    // RECURRENCE-ID is in the series' terms (its zone, or a date for an all-day series).
    addTime(v, 'recurrence-id', [e.recurrenceId], series?.time ?? t);
  }
  if (e.rrule) v.addPropertyWithValue('rrule', ICAL.Recur.fromString(e.rrule));
  addTime(
    v,
    'exdate',
    [...e.exdates].sort((a, b) => a - b),
    t,
  );
  v.addPropertyWithValue('summary', e.title);
  const roomName = e.roomId ? options.roomName?.(e.roomId) : undefined;
  const location = e.location || roomName || '';
  if (location) v.addPropertyWithValue('location', location);
  if (e.description) v.addPropertyWithValue('description', e.description);
  v.addPropertyWithValue('status', e.cancelled ? 'CANCELLED' : 'CONFIRMED');
  v.addPropertyWithValue('transp', 'OPAQUE');
  if (e.busyOnly) v.addPropertyWithValue('class', 'PRIVATE');
  if (!e.busyOnly) {
    const organizer = personProperty('organizer', e.organizerId, options);
    v.addProperty(organizer);
    for (const a of e.attendees) {
      const attendee = personProperty('attendee', a.userId, options);
      attendee.setParameter('role', 'REQ-PARTICIPANT');
      attendee.setParameter('partstat', PARTSTAT[a.response]);
      v.addProperty(attendee);
    }
  }
  for (const minutes of e.reminders) {
    const alarm = new ICAL.Component('valarm');
    alarm.addPropertyWithValue('action', 'DISPLAY');
    alarm.addPropertyWithValue('description', e.title || 'Reminder');
    alarm.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-minutes * 60));
    v.addSubcomponent(alarm);
  }
  return v;
}

const PARTSTAT: Record<AttendeeResponse, string> = {
  needs_action: 'NEEDS-ACTION',
  accepted: 'ACCEPTED',
  tentative: 'TENTATIVE',
  declined: 'DECLINED',
};

function personProperty(name: string, userId: string, options: WriteIcsOptions): ICAL.Property {
  const who = options.person?.(userId);
  const prop = new ICAL.Property(name);
  prop.setValue(who?.email ? `mailto:${who.email}` : `urn:uuid:${userId}`);
  if (who?.name) prop.setParameter('cn', who.name);
  return prop;
}

function utcTime(ms: number): ICAL.Time {
  const d = new Date(ms);
  return ICAL.Time.fromData(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    },
    ICAL.Timezone.utcTimezone,
  );
}

interface Change {
  /** Wall time of the change in the offset before it. */
  wall: Date;
  before: number;
  after: number;
  daylight: boolean;
}

/**
 * A VTIMEZONE for [fromYear, toYear] from the zone's offset changes. Changes that follow one yearly
 * rule (2nd Sunday of March at 02:00…) become one observance with an RRULE; the rest each get
 * their own; a zone without changes gets one STANDARD observance.
 */
export function vtimezone(zone: string, fromYear: number, toYear: number): ICAL.Component {
  const tz = new ICAL.Component('vtimezone');
  tz.addPropertyWithValue('tzid', zone);
  tz.addPropertyWithValue('x-lic-location', zone);
  const changes: Change[] = zoneTransitions(zone, Date.UTC(fromYear, 0, 1), Date.UTC(toYear + 1, 0, 1)).map((t) => ({
    wall: new Date(t.at + t.before),
    before: t.before,
    after: t.after,
    daylight: t.after > t.before,
  }));
  if (changes.length === 0) {
    const offset = offsetAt(Date.UTC(fromYear, 0, 1), zone);
    tz.addSubcomponent(observance('standard', new Date(Date.UTC(1970, 0, 1)), offset, offset, null));
    return tz;
  }
  for (const daylight of [false, true]) {
    const own = changes.filter((c) => c.daylight === daylight);
    let run: Change[] = [];
    const flush = (open: boolean) => {
      if (run.length === 0) return;
      const first = run[0]!;
      const rule = run.length > 1 ? yearlyRule(run) : null;
      if (rule) {
        const last = run.at(-1)!;
        const until = open ? '' : `;UNTIL=${icalUtc(last.wall.getTime() - last.before)}`;
        tz.addSubcomponent(
          observance(daylight ? 'daylight' : 'standard', first.wall, first.before, first.after, rule + until),
        );
      } else {
        for (const c of run)
          tz.addSubcomponent(observance(daylight ? 'daylight' : 'standard', c.wall, c.before, c.after, null));
      }
      run = [];
    };
    for (const c of own) {
      const previous = run.at(-1);
      const fits =
        previous &&
        c.wall.getUTCFullYear() === previous.wall.getUTCFullYear() + 1 &&
        c.before === previous.before &&
        c.after === previous.after &&
        yearlyRule([...run, c]) !== null;
      if (!fits) flush(false);
      run.push(c);
    }
    // The last run goes on (no UNTIL) when it reaches the end of the range.
    const last = run.at(-1);
    flush(!last || last.wall.getUTCFullYear() >= toYear - 1);
  }
  return tz;
}

/** FREQ=YEARLY;BYMONTH=m;BYDAY=nWD when every change falls on the same weekday rule and time. */
function yearlyRule(changes: Change[]): string | null {
  const first = changes[0]!;
  const month = first.wall.getUTCMonth();
  const weekday = (first.wall.getUTCDay() + 6) % 7;
  const tod = first.wall.getTime() % DAY;
  let nth: number | null = Math.ceil(first.wall.getUTCDate() / 7);
  let last = true;
  for (const c of changes) {
    if (c.wall.getUTCMonth() !== month || (c.wall.getUTCDay() + 6) % 7 !== weekday || c.wall.getTime() % DAY !== tod) {
      return null;
    }
    if (Math.ceil(c.wall.getUTCDate() / 7) !== nth) nth = null;
    const dim = new Date(Date.UTC(c.wall.getUTCFullYear(), month + 1, 0)).getUTCDate();
    if (c.wall.getUTCDate() + 7 <= dim) last = false;
  }
  const ordinal = last ? -1 : nth;
  if (ordinal === null) return null;
  return `FREQ=YEARLY;BYMONTH=${month + 1};BYDAY=${ordinal}${WEEKDAYS[weekday]}`;
}

function observance(kind: string, wall: Date, before: number, after: number, rrule: string | null): ICAL.Component {
  const o = new ICAL.Component(kind);
  o.addPropertyWithValue(
    'dtstart',
    ICAL.Time.fromData({
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
    }),
  );
  o.addPropertyWithValue('tzoffsetfrom', ICAL.UtcOffset.fromSeconds(Math.round(before / 1000)));
  o.addPropertyWithValue('tzoffsetto', ICAL.UtcOffset.fromSeconds(Math.round(after / 1000)));
  if (rrule) o.addPropertyWithValue('rrule', ICAL.Recur.fromString(rrule));
  return o;
}

function icalUtc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}
