// How an occurrence's time reads: "11月25日 周三 09:00–10:00", "11月25日–11月27日 (全天)".
import { addDays } from './zones';
import { utcDate } from './occurrences';

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

/** The occurrence's span in the viewer's zone (all-day: its dates, end inclusive). */
export function formatSpan(start: number, end: number, allDay: boolean, language: string): string {
  const day = new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric', weekday: 'short' });
  if (allDay) {
    const first = utcDate(start);
    const last = addDays(utcDate(end), -1);
    const asDate = (d: string) => day.format(new Date(`${d}T12:00:00`));
    return first >= last ? asDate(first) : `${asDate(first)} – ${asDate(last)}`;
  }
  const time = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hour12: false });
  const a = new Date(start);
  const b = new Date(end);
  return sameDay(a, b)
    ? `${day.format(a)} ${time.format(a)}–${time.format(b)}`
    : `${day.format(a)} ${time.format(a)} – ${day.format(b)} ${time.format(b)}`;
}

/** "09:00–10:00" or null for all-day (今日日程 says 全天 itself). */
export function formatHours(start: number, end: number, language: string): string {
  const time = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hour12: false });
  return `${time.format(start)}–${time.format(end)}`;
}
