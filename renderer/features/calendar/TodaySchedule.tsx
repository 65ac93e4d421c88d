import { useEffect, useMemo, useState } from 'react';
import { Button } from 'antd';
import { CalendarOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMe } from '../session/context';
import { useNavigation } from '../shell/navigation';
import { responseFor, utcDate } from './occurrences';
import { useCalendars, useEventsIn } from './useCalendarData';
import { formatHours } from './when';
import { addDays, localDate, localMidnight } from './zones';
import './calendar.css';

/** Today's [start, end) in local time, moving on at midnight. */
function useToday(): { day: string; from: number; to: number } {
  const [day, setDay] = useState(() => localDate(Date.now()));
  useEffect(() => {
    const next = localMidnight(addDays(day, 1));
    const timer = setTimeout(() => setDay(localDate(Date.now())), Math.max(1000, next - Date.now() + 1000));
    return () => clearTimeout(timer);
  }, [day]);
  return useMemo(() => ({ day, from: localMidnight(day), to: localMidnight(addDays(day, 1)) }), [day]);
}

/** 今日日程 on the chat page: today's occurrences (time + title); a click opens 日程 there. */
export function TodaySchedule() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { openCalendar } = useNavigation();
  const today = useToday();
  const { calendars } = useCalendars();
  const { events, occurrences, loaded } = useEventsIn(today);
  const hidden = useMemo(() => new Set((calendars ?? []).filter((c) => c.hidden).map((c) => c.id)), [calendars]);
  const byCalendar = useMemo(() => new Map((calendars ?? []).map((c) => [c.id, c])), [calendars]);

  const items = useMemo(
    () =>
      occurrences
        .filter((o) => {
          const e = events.get(o.eventId);
          if (!e || hidden.has(e.calendarId)) return false;
          // All-day occurrences come for every zone's dates: keep those of today here.
          if (o.allDay && !(utcDate(o.start) <= today.day && utcDate(o.end) > today.day)) return false;
          // Declined invitations are not on the day's plan.
          return responseFor(e, me.id, o.recurrenceId) !== 'declined';
        })
        .sort((a, b) => Number(b.allDay) - Number(a.allDay) || a.start - b.start),
    [occurrences, events, hidden, me.id, today.day],
  );

  return (
    <section className="today-schedule" aria-label={t('calendar.today.title')} data-testid="today-schedule">
      <header className="today-schedule-head">
        <span>
          <CalendarOutlined /> {t('calendar.today.title')}
        </span>
        <Button
          size="small"
          type="text"
          aria-label={t('calendar.today.open')}
          icon={<RightOutlined />}
          onClick={() => openCalendar(Date.now())}
        />
      </header>
      {loaded && items.length === 0 ? <div className="today-schedule-empty">{t('calendar.today.none')}</div> : null}
      <ul className="today-schedule-list">
        {items.map((o) => {
          const e = events.get(o.eventId)!;
          const color = byCalendar.get(e.calendarId)?.color ?? 'var(--accent)';
          return (
            <li key={`${o.eventId}/${o.start}`}>
              <button
                type="button"
                className={`today-schedule-item${e.cancelled ? ' is-cancelled' : ''}`}
                data-testid="today-item"
                onClick={() => openCalendar(o.start, o.eventId)}
                title={e.busyOnly ? undefined : e.title}
              >
                <span className="today-schedule-dot" style={{ background: color }} />
                <span className="today-schedule-time">
                  {o.allDay ? t('calendar.allDay') : formatHours(o.start, o.end, i18n.language)}
                </span>
                <span className="today-schedule-title">{e.busyOnly ? t('calendar.busy') : e.title}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
