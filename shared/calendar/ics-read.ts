// iCalendar import (RFC 5545): VEVENTs in the protocol's terms. The file is cut into its
// components by lines first, so one broken VEVENT is reported with its line and the others are
// still read; each component is then parsed by ical.js.
import ICAL from 'ical.js';
import { CalendarLimits, RRuleText, type AttendeeResponse, type EventTime } from '../protocol/calendar';
import { QixinError, type ErrorReason } from '../protocol/errors';
import { checkRecurrence } from './check';
import { dateOf, dayOf } from './expand';
import type { IcsError, IcsPerson, ImportedEvent } from './ics-types';
import { formatRule } from './rule';
import { WELL_KNOWN_ZONES, windowsZone } from './windows-zones';
import { isTimeZone, offsetAt, zonedToUtc } from './zones';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface ParseIcsOptions {
  /** Zone for floating times when the file names none (X-WR-TIMEZONE); UTC by default. */
  timeZone?: string;
}

/** A component as found in the text: its lines (still folded) and where it begins. */
interface Block {
  name: string;
  line: number;
  text: string;
  complete: boolean;
}

class EventError extends Error {
  constructor(
    readonly reason: ErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads an .ics file. Throws ics_invalid when it is no iCalendar at all; otherwise returns the
 * events it could read and, for each refused component, why.
 */
export function parseIcs(text: string, options: ParseIcsOptions = {}): { events: ImportedEvent[]; errors: IcsError[] } {
  const { blocks, calendarProps, ended } = splitComponents(text);
  const errors: IcsError[] = [];
  if (!ended) {
    errors.push({
      uid: null,
      line: text.split(/\r\n|\n|\r/).length,
      reason: 'ics_invalid',
      message: 'the file ends without END:VCALENDAR (cut off?)',
    });
  }
  const zones = new FileZones(options.timeZone && isTimeZone(options.timeZone) ? options.timeZone : 'UTC');
  const calendarZone = /^X-WR-TIMEZONE[;:](?:.*:)?(.+)$/im.exec(calendarProps)?.[1]?.trim();
  if (calendarZone && zones.resolve(calendarZone)) zones.floating = zones.resolve(calendarZone)!.name;
  for (const block of blocks) {
    if (block.name !== 'VTIMEZONE' || !block.complete) continue;
    try {
      zones.add(new ICAL.Component(ICAL.parse(block.text) as unknown[]));
    } catch {
      // An unreadable VTIMEZONE: events that use it are refused with time_zone_unknown.
    }
  }
  const read: ImportedEvent[] = [];
  const rdates = new Map<ImportedEvent, number[]>();
  for (const block of blocks) {
    if (block.name !== 'VEVENT') continue;
    const uid = /^UID(?:;[^:\r\n]*)?:(.*)$/im.exec(block.text)?.[1]?.trim() || null;
    if (!block.complete) {
      errors.push({ uid, line: block.line, reason: 'ics_invalid', message: 'the event has no END:VEVENT (cut off?)' });
      continue;
    }
    try {
      const component = new ICAL.Component(
        ICAL.parse(`BEGIN:VCALENDAR\r\n${block.text}\r\nEND:VCALENDAR`) as unknown[],
      );
      const vevent = component.getFirstSubcomponent('vevent');
      if (!vevent) throw new EventError('ics_invalid', 'not a VEVENT');
      const { event, rdates: dates } = readEvent(vevent, block.line, zones);
      read.push(event);
      if (dates.length) rdates.set(event, dates);
    } catch (e) {
      const reason = e instanceof EventError ? e.reason : e instanceof QixinError ? e.reason : undefined;
      errors.push({
        uid,
        line: block.line,
        reason: reason ?? 'ics_invalid',
        message: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return { events: [...read, ...rdateExceptions(read, rdates)], errors };
}

/** Cuts the file into its top-level components (VEVENT, VTIMEZONE, …) by BEGIN/END lines. */
function splitComponents(text: string): { blocks: Block[]; calendarProps: string; ended: boolean } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0 || !/^BEGIN:VCALENDAR\s*$/i.test(lines[first]!)) {
    throw new QixinError('invalid', 'not an iCalendar file: it does not begin with BEGIN:VCALENDAR', 'ics_invalid');
  }
  const blocks: Block[] = [];
  const calendarProps: string[] = [];
  let ended = false;
  let current: { name: string; line: number; lines: string[]; depth: number } | null = null;
  for (let i = first + 1; i < lines.length && !ended; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const folded = line.startsWith(' ') || line.startsWith('\t');
    const begin = folded ? null : /^BEGIN:([A-Za-z0-9-]+)\s*$/i.exec(line);
    const end = folded ? null : /^END:([A-Za-z0-9-]+)\s*$/i.exec(line);
    if (current) {
      if (begin) {
        // A new top-level component while one is open: the open one was cut off.
        if (current.depth === 0 && ['VEVENT', 'VTIMEZONE', 'VTODO', 'VJOURNAL'].includes(begin[1]!.toUpperCase())) {
          blocks.push({ name: current.name, line: current.line, text: current.lines.join('\r\n'), complete: false });
          current = { name: begin[1]!.toUpperCase(), line: i + 1, lines: [line], depth: 0 };
          continue;
        }
        current.depth++;
      }
      if (end && current.depth === 0) {
        const complete = end[1]!.toUpperCase() === current.name;
        if (complete) current.lines.push(line);
        blocks.push({ name: current.name, line: current.line, text: current.lines.join('\r\n'), complete });
        if (!complete && end[1]!.toUpperCase() === 'VCALENDAR') ended = true;
        current = null;
        continue;
      }
      if (end) current.depth--;
      current.lines.push(line);
    } else if (begin) {
      current = { name: begin[1]!.toUpperCase(), line: i + 1, lines: [line], depth: 0 };
    } else if (end && end[1]!.toUpperCase() === 'VCALENDAR') {
      ended = true;
    } else {
      calendarProps.push(line);
    }
  }
  if (current)
    blocks.push({ name: current.name, line: current.line, text: current.lines.join('\r\n'), complete: false });
  return { blocks, calendarProps: calendarProps.join('\n'), ended };
}

/** A zone of the file: an IANA name, or a VTIMEZONE ical.js computes with (and its closest IANA zone). */
interface FileZone {
  name: string;
  vtimezone: ICAL.Timezone | null;
}

class FileZones {
  private readonly defined = new Map<string, ICAL.Timezone>();
  private readonly resolved = new Map<string, FileZone | null>();

  constructor(public floating: string) {}

  add(vtimezone: ICAL.Component) {
    const tzid = vtimezone.getFirstPropertyValue('tzid');
    if (typeof tzid !== 'string') return;
    const location = vtimezone.getFirstPropertyValue('x-lic-location');
    this.defined.set(tzid, new ICAL.Timezone({ component: vtimezone, tzid }));
    if (typeof location === 'string' && isTimeZone(location))
      this.resolved.set(tzid, { name: location, vtimezone: null });
  }

  /** IANA name (also "/Asia/Shanghai"), a Windows name, or a VTIMEZONE of the file. */
  resolve(tzid: string): FileZone | null {
    if (this.resolved.has(tzid)) return this.resolved.get(tzid)!;
    const bare = tzid.replace(/^\//, '').trim();
    let zone: FileZone | null = null;
    if (isTimeZone(bare) && !/^[+-]|^GMT[+-]|^Etc\/Unknown$/i.test(bare)) zone = { name: bare, vtimezone: null };
    else {
      const windows = windowsZone(bare, isTimeZone);
      if (windows) zone = { name: windows, vtimezone: null };
      else {
        const vtimezone = this.defined.get(tzid);
        if (vtimezone) zone = { name: closestZone(vtimezone), vtimezone };
      }
    }
    this.resolved.set(tzid, zone);
    return zone;
  }
}

/** The IANA zone whose offsets match a VTIMEZONE over the next two years (else a fixed Etc/GMT zone). */
function closestZone(vtimezone: ICAL.Timezone): string {
  const now = Date.now();
  const samples = Array.from({ length: 105 }, (_, i) => now + i * 7 * DAY);
  const offsetOf = (ms: number) => {
    const t = ICAL.Time.fromData({ year: 1970, month: 1, day: 1 }, ICAL.Timezone.utcTimezone);
    t.fromUnixTime(ms / 1000);
    return vtimezone.utcOffset(t) * 1000;
  };
  const wanted = samples.map(offsetOf);
  const first = wanted[0]!;
  const half = wanted[26]!;
  for (const candidate of [...WELL_KNOWN_ZONES.filter(isTimeZone), ...Intl.supportedValuesOf('timeZone')]) {
    if (offsetAt(samples[0]!, candidate) !== first || offsetAt(samples[26]!, candidate) !== half) continue;
    if (samples.every((ms, i) => offsetAt(ms, candidate) === wanted[i])) return candidate;
  }
  const hours = first / 3_600_000;
  if (Number.isInteger(hours) && Math.abs(hours) <= 14)
    return hours === 0 ? 'UTC' : `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
  return 'UTC';
}

interface ReadTime {
  /** UTC millis (all-day: midnight UTC of the date). */
  ms: number;
  allDay: boolean;
  zone: FileZone | null;
  /** Wall-clock millis in its zone. */
  wall: number;
}

/** A DATE or DATE-TIME value with its TZID, read in UTC. */
function readTime(t: ICAL.Time, tzid: string | null, zones: FileZones, what: string): ReadTime {
  const wall = Date.UTC(
    t.year,
    t.month - 1,
    t.day,
    t.isDate ? 0 : t.hour,
    t.isDate ? 0 : t.minute,
    t.isDate ? 0 : t.second,
  );
  const inDay = t.isDate || (t.hour <= 23 && t.minute <= 59 && t.second <= 60);
  if (!Number.isFinite(wall) || t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 || !inDay) {
    throw new EventError('ics_invalid', `${what} is not a valid date`);
  }
  if (t.isDate) return { ms: wall, allDay: true, zone: null, wall };
  if (t.zone === ICAL.Timezone.utcTimezone)
    return { ms: wall, allDay: false, zone: { name: 'UTC', vtimezone: null }, wall };
  if (!tzid) {
    const zone = { name: zones.floating, vtimezone: null };
    return { ms: zonedToUtc(wallTime(wall), zone.name), allDay: false, zone, wall };
  }
  const zone = zones.resolve(tzid);
  if (!zone) {
    throw new EventError(
      'time_zone_unknown',
      `${what}: TZID "${tzid}" is neither an IANA or Windows time zone nor defined by a VTIMEZONE in the file`,
    );
  }
  if (zone.vtimezone) {
    const local = ICAL.Time.fromData(
      { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second },
      zone.vtimezone,
    );
    return { ms: local.toUnixTime() * 1000, allDay: false, zone, wall };
  }
  return { ms: zonedToUtc(wallTime(wall), zone.name), allDay: false, zone, wall };
}

function wallTime(wall: number) {
  const d = new Date(wall);
  return {
    y: d.getUTCFullYear(),
    m: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    min: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
  };
}

/** ical.js rolls impossible dates over (month 13 → next year): the text is checked first. */
function checkDateText(prop: ICAL.Property, name: string) {
  const text = prop.toICALString();
  for (const value of text.slice(text.lastIndexOf(':') + 1).split(',')) {
    if (value.includes('/')) continue; // a PERIOD
    const m = /^(\d{4})(\d\d)(\d\d)(?:T(\d\d)(\d\d)(\d\d)Z?)?$/.exec(value.trim());
    const ok =
      m !== null &&
      +m[2]! >= 1 &&
      +m[2]! <= 12 &&
      +m[3]! >= 1 &&
      +m[3]! <= new Date(Date.UTC(+m[1]!, +m[2]!, 0)).getUTCDate() &&
      (m[4] === undefined || (+m[4] <= 23 && +m[5]! <= 59 && +m[6]! <= 60));
    if (!ok) throw new EventError('ics_invalid', `${name.toUpperCase()} "${value}" is not a valid date or time`);
  }
}

function propertyTime(vevent: ICAL.Component, name: string, zones: FileZones): ReadTime | null {
  const prop = vevent.getFirstProperty(name);
  if (!prop) return null;
  checkDateText(prop, name);
  const value = prop.getFirstValue();
  if (!(value instanceof ICAL.Time)) throw new EventError('ics_invalid', `${name.toUpperCase()} is not a date or time`);
  return readTime(value, tzidOf(prop), zones, name.toUpperCase());
}

function tzidOf(prop: ICAL.Property): string | null {
  const tzid = prop.getParameter('tzid');
  return typeof tzid === 'string' && tzid !== '' ? tzid : null;
}

/** Times of every EXDATE or RDATE property; PERIOD values are left out (and said). */
function propertyTimes(vevent: ICAL.Component, name: string, zones: FileZones): ReadTime[] {
  const times: ReadTime[] = [];
  for (const prop of vevent.getAllProperties(name)) {
    checkDateText(prop, name);
    for (const value of prop.getValues()) {
      if (value instanceof ICAL.Time) times.push(readTime(value, tzidOf(prop), zones, name.toUpperCase()));
      else if (value instanceof ICAL.Period) {
        throw new EventError('ics_invalid', `${name.toUpperCase()};VALUE=PERIOD is not supported`);
      }
    }
  }
  return times;
}

function text(vevent: ICAL.Component, name: string, max: number): string {
  const value = vevent.getFirstPropertyValue(name);
  return typeof value === 'string' ? value.slice(0, max) : '';
}

function readEvent(vevent: ICAL.Component, line: number, zones: FileZones): { event: ImportedEvent; rdates: number[] } {
  const uid = text(vevent, 'uid', 500) || syntheticUid(vevent, line);
  const start = propertyTime(vevent, 'dtstart', zones);
  if (!start) throw new EventError('ics_invalid', 'the event has no DTSTART');
  const end = propertyTime(vevent, 'dtend', zones);
  const durationValue = vevent.getFirstPropertyValue('duration');
  const duration = durationValue instanceof ICAL.Duration ? durationValue.toSeconds() * 1000 : null;

  let time: EventTime;
  if (start.allDay) {
    const startDay = start.ms / DAY;
    let endDay = startDay + 1;
    if (end) endDay = Math.floor((end.allDay ? end.ms : end.wall) / DAY);
    else if (duration !== null) endDay = startDay + Math.max(1, Math.ceil(duration / DAY));
    if (endDay < startDay) throw new EventError('end_before_start', 'DTEND is before DTSTART');
    time = { allDay: true, startDate: dateOf(startDay), endDate: dateOf(Math.max(endDay, startDay + 1)) };
  } else {
    const endMs = end ? end.ms : duration !== null ? start.ms + duration : start.ms;
    if (endMs < start.ms) throw new EventError('end_before_start', 'the event ends before it starts');
    // A single event given in UTC (…Z, as Google writes them) is shown in the calendar's zone.
    const utc = start.zone!.name === 'UTC' && !start.zone!.vtimezone && !vevent.hasProperty('rrule');
    time = { allDay: false, start: start.ms, end: endMs, timeZone: utc ? zones.floating : start.zone!.name };
  }

  const recurrenceIdTime = propertyTime(vevent, 'recurrence-id', zones);
  const recurrenceId = recurrenceIdTime ? occurrenceStart(recurrenceIdTime, start) : null;
  const exdates = propertyTimes(vevent, 'exdate', zones).map((t) => occurrenceStart(t, start));
  const rdates =
    recurrenceId === null ? propertyTimes(vevent, 'rdate', zones).map((t) => occurrenceStart(t, start)) : [];

  let rrule: string | null = null;
  const recur = vevent.getFirstPropertyValue('rrule');
  if (recur instanceof ICAL.Recur && recurrenceId === null) {
    rrule = normalizeRule(recur, time, start);
    checkRecurrence(rrule, time);
  }

  const status = vevent.getFirstPropertyValue('status');
  const sequence = Number(vevent.getFirstPropertyValue('sequence'));
  const organizerProp = vevent.getFirstProperty('organizer');
  return {
    event: {
      uid,
      line,
      recurrenceId,
      title: text(vevent, 'summary', CalendarLimits.titleMaxChars).trim(),
      location: text(vevent, 'location', CalendarLimits.locationMaxChars).trim(),
      description: text(vevent, 'description', CalendarLimits.descriptionMaxChars),
      time,
      rrule,
      exdates: [...new Set(exdates)].sort((a, b) => a - b),
      cancelled: typeof status === 'string' && status.toUpperCase() === 'CANCELLED',
      reminders: readReminders(vevent, time, zones),
      sequence: Number.isInteger(sequence) && sequence >= 0 ? sequence : 0,
      organizer: organizerProp ? person(organizerProp) : null,
      attendees: vevent.getAllProperties('attendee').map((p) => ({ ...person(p), response: response(p) })),
    },
    rdates: [...new Set(rdates)],
  };
}

/**
 * The original start an EXDATE, RDATE or RECURRENCE-ID names, in the series' terms: all-day →
 * midnight UTC of the date; a date given for a timed series → that day at the series' time.
 */
function occurrenceStart(t: ReadTime, start: ReadTime): number {
  if (start.allDay) return Math.floor((t.allDay ? t.ms : t.wall) / DAY) * DAY;
  if (!t.allDay) return t.ms;
  const wall = t.ms + (start.wall - Math.floor(start.wall / DAY) * DAY);
  if (start.zone?.vtimezone) {
    const d = new Date(wall);
    return (
      ICAL.Time.fromData(
        {
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
          hour: d.getUTCHours(),
          minute: d.getUTCMinutes(),
          second: d.getUTCSeconds(),
        },
        start.zone.vtimezone,
      ).toUnixTime() * 1000
    );
  }
  return zonedToUtc(wallTime(wall), start.zone!.name);
}

/** FREQ first; UNTIL in UTC for timed events (a date or local UNTIL is read in the event's zone), a date for all-day ones. */
function normalizeRule(recur: ICAL.Recur, time: EventTime, start: ReadTime): string {
  const rule = recur.clone();
  const until = rule.until;
  if (until) {
    if (time.allDay) {
      rule.until = ICAL.Time.fromData({ year: until.year, month: until.month, day: until.day, isDate: true });
    } else if (until.isDate || until.zone !== ICAL.Timezone.utcTimezone) {
      const wall = until.isDate
        ? { y: until.year, m: until.month, d: until.day, h: 23, min: 59, s: 59 }
        : { y: until.year, m: until.month, d: until.day, h: until.hour, min: until.minute, s: until.second };
      let ms: number;
      if (start.zone?.vtimezone) {
        ms =
          ICAL.Time.fromData(
            { year: wall.y, month: wall.m, day: wall.d, hour: wall.h, minute: wall.min, second: wall.s },
            start.zone.vtimezone,
          ).toUnixTime() * 1000;
      } else ms = zonedToUtc(wall, time.timeZone);
      const utc = new Date(ms);
      rule.until = ICAL.Time.fromData(
        {
          year: utc.getUTCFullYear(),
          month: utc.getUTCMonth() + 1,
          day: utc.getUTCDate(),
          hour: utc.getUTCHours(),
          minute: utc.getUTCMinutes(),
          second: utc.getUTCSeconds(),
        },
        ICAL.Timezone.utcTimezone,
      );
    }
  }
  const text = formatRule(rule);
  if (!RRuleText.safeParse(text).success) throw new EventError('rrule_invalid', `RRULE ${text} is not supported`);
  return text;
}

/** VALARM TRIGGERs before the start (relative to the start or the end, or at a time) as minutes. */
function readReminders(vevent: ICAL.Component, time: EventTime, zones: FileZones): number[] {
  const start = time.allDay ? dayOf(time.startDate) * DAY : time.start;
  const end = time.allDay ? dayOf(time.endDate) * DAY : time.end;
  const minutes = new Set<number>();
  for (const alarm of vevent.getAllSubcomponents('valarm')) {
    const trigger = alarm.getFirstProperty('trigger');
    const value = trigger?.getFirstValue();
    let before: number | null = null;
    if (value instanceof ICAL.Duration) {
      const related = String(trigger!.getParameter('related') ?? 'START').toUpperCase();
      const at = (related === 'END' ? end : start) + value.toSeconds() * 1000;
      before = (start - at) / MINUTE;
    } else if (value instanceof ICAL.Time) {
      before = (start - readTime(value, tzidOf(trigger!), zones, 'TRIGGER').ms) / MINUTE;
    }
    if (before !== null && before >= 0 && before <= CalendarLimits.reminderMaxMinutes) minutes.add(Math.round(before));
  }
  return [...minutes].sort((a, b) => a - b).slice(0, CalendarLimits.remindersMax);
}

function person(prop: ICAL.Property): IcsPerson {
  const value = String(prop.getFirstValue() ?? '').trim();
  const cn = prop.getParameter('cn');
  const name = typeof cn === 'string' && cn.trim() !== '' ? cn.trim() : null;
  const mailto = /^mailto:(.+)$/i.exec(value);
  const uuid = /^urn:uuid:([0-9a-f-]{36})$/i.exec(value);
  return {
    email: mailto ? mailto[1]!.trim().toLowerCase() : null,
    userId: uuid ? uuid[1]!.toLowerCase() : null,
    name,
  };
}

function response(prop: ICAL.Property): AttendeeResponse {
  switch (String(prop.getParameter('partstat') ?? '').toUpperCase()) {
    case 'ACCEPTED':
      return 'accepted';
    case 'TENTATIVE':
      return 'tentative';
    case 'DECLINED':
      return 'declined';
    default:
      return 'needs_action';
  }
}

/** A file without UID (against the standard) still imports, under an id derived from the event. */
function syntheticUid(vevent: ICAL.Component, line: number): string {
  const seed = `${vevent.getFirstPropertyValue('dtstart')?.toString()}|${vevent.getFirstPropertyValue('summary') ?? ''}|${line}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  return `import-${hash.toString(16)}`;
}

/** Each RDATE becomes an exception of its series at that date (unless a RECURRENCE-ID already is). */
function rdateExceptions(events: ImportedEvent[], rdates: Map<ImportedEvent, number[]>): ImportedEvent[] {
  const out: ImportedEvent[] = [];
  for (const [master, dates] of rdates) {
    const taken = new Set(
      events.filter((e) => e.uid === master.uid && e.recurrenceId !== null).map((e) => e.recurrenceId!),
    );
    const first = master.time.allDay ? dayOf(master.time.startDate) * DAY : master.time.start;
    for (const at of dates) {
      if (at === first || taken.has(at) || master.exdates.includes(at)) continue;
      const time: EventTime = master.time.allDay
        ? {
            allDay: true,
            startDate: dateOf(at / DAY),
            endDate: dateOf(at / DAY + dayOf(master.time.endDate) - dayOf(master.time.startDate)),
          }
        : { ...master.time, start: at, end: at + master.time.end - master.time.start };
      out.push({ ...master, recurrenceId: at, time, rrule: null, exdates: [] });
    }
  }
  return out;
}
