// The calendar's shared core: recurrence expansion, time zones, rule checks, iCalendar.
export { checkEventTime, checkRecurrence } from './check';
export { dateOf, dayOf, expandOccurrences } from './expand';
export { parseIcs, type ParseIcsOptions } from './ics-read';
export type { IcsError, IcsPerson, ImportedEvent, WriteIcsOptions } from './ics-types';
export { writeIcs } from './ics-write';
export { isTimeZone, offsetAt, utcToZoned, zonedToUtc, type WallTime } from './zones';
