// Wall-clock times in an IANA time zone, with Intl only: the form shows an event's start and end
// in the zone it was planned in, and the relay stores UTC millis plus that zone.

export type WallClock = { date: string; time: string };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(at: number, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out;
}

/** How far the zone's wall clock is ahead of UTC at this instant, in millis. */
export function zoneOffset(at: number, timeZone: string): number {
  const p = parts(at, timeZone);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(at / 1000) * 1000;
}

const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** The date (YYYY-MM-DD) and time (HH:mm) a clock in `timeZone` shows at this instant. */
export function toWallClock(at: number, timeZone: string): WallClock {
  const p = parts(at, timeZone);
  return { date: `${p.year}-${pad(p.month!)}-${pad(p.day!)}`, time: `${pad(p.hour!)}:${pad(p.minute!)}` };
}

/**
 * The instant a clock in `timeZone` shows this date and time. A time skipped by a DST jump moves
 * forward (02:30 on a spring-forward night is 03:30); a repeated one takes its first instance.
 */
export function fromWallClock(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const [h, min] = time.split(':').map(Number);
  const guess = Date.UTC(y!, m! - 1, d!, h!, min!);
  // The zone's offsets a day before and after cover any change on that day.
  const before = guess - zoneOffset(guess - DAY, timeZone);
  const after = guess - zoneOffset(guess + DAY, timeZone);
  const shows = (at: number) => {
    const wall = toWallClock(at, timeZone);
    return wall.date === date && wall.time === time;
  };
  const fits = [before, after].filter(shows).sort((a, b) => a - b);
  return fits[0] ?? before;
}

/** The system's zone (the default for new events). */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Zones offered in the form; the system's (and the event's) are added when missing. */
export const COMMON_TIME_ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Asia/Singapore',
  'Asia/Bangkok',
  'Asia/Kolkata',
  'Asia/Dubai',
  'Europe/Moscow',
  'Europe/Berlin',
  'Europe/Paris',
  'Europe/London',
  'UTC',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Australia/Sydney',
] as const;

/** The zone list with `extra` zones first (system, the event's), each once. */
export function zoneChoices(...extra: string[]): string[] {
  return [...new Set([...extra.filter(Boolean), ...COMMON_TIME_ZONES])];
}

/** "UTC+8", "UTC-4:30" for the zone at this instant. */
export function offsetLabel(at: number, timeZone: string): string {
  const minutes = Math.round(zoneOffset(at, timeZone) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${pad(abs % 60)}` : ''}`;
}

/** A local calendar day as YYYY-MM-DD (the browser's zone: what FullCalendar shows). */
export function localDate(at: Date | number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local midnight of a YYYY-MM-DD day. */
export function localMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y!, m! - 1, d!).getTime();
}

/** The YYYY-MM-DD `days` after `date` (calendar arithmetic, no zone). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y!, m! - 1, d! + days));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}
