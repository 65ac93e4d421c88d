// A reminder's notification text: the event's title, and its day, time and place in the app's
// language (今天 14:00–15:00 · 3 楼会议室). Times show in this computer's zone; all-day events by
// their date, which the protocol writes as midnight UTC.
import type { Language, Reminder } from '../../shared/contract';
import type { MainStrings } from './i18n';

const DAY = 24 * 60 * 60 * 1000;

export function reminderText(
  reminder: Reminder,
  t: MainStrings,
  language: Language,
  now: number,
): { title: string; body: string } {
  const parts = [reminder.allDay ? allDayText(reminder, t, language, now) : timedText(reminder, t, language, now)];
  if (reminder.location) parts.push(reminder.location);
  const body = parts.join(' · ');
  return { title: reminder.title, body: reminder.missed ? `[${t.reminderMissed}] ${body}` : body };
}

function timedText(r: Reminder, t: MainStrings, language: Language, now: number): string {
  const time = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const sameDay = localDay(r.start) === localDay(r.end - 1);
  const end = sameDay ? time.format(r.end) : `${dayText(r.end, t, language, now, localDay)} ${time.format(r.end)}`;
  return `${dayText(r.start, t, language, now, localDay)} ${time.format(r.start)}–${end}`;
}

function allDayText(r: Reminder, t: MainStrings, language: Language, now: number): string {
  const first = dayText(r.start, t, language, now, utcDay, 'UTC');
  // The end is exclusive: a one-day event shows one date.
  const lastStart = r.end - DAY;
  const days = lastStart > r.start ? `${first}–${dayText(lastStart, t, language, now, utcDay, 'UTC')}` : first;
  return `${days} ${t.allDay}`;
}

/** 今天 / 明天, else the date with its weekday (11月26日周四, Thu, Nov 26). */
function dayText(
  at: number,
  t: MainStrings,
  language: Language,
  now: number,
  day: (ms: number) => number,
  timeZone?: string,
): string {
  const offset = day(at) - localDay(now);
  if (offset === 0) return t.today;
  if (offset === 1) return t.tomorrow;
  return new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric', weekday: 'short', timeZone }).format(at);
}

/** Days since the epoch of a moment, in this computer's zone. */
function localDay(ms: number): number {
  const d = new Date(ms);
  return Math.round(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / DAY);
}

function utcDay(ms: number): number {
  return Math.floor(ms / DAY);
}
