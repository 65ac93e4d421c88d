import { useEffect, useMemo, useState } from 'react';
import { Button } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { localDate } from './zones';

/** The 42 days (6 weeks from a Monday) a month grid shows. */
export function monthGrid(year: number, month: number): Date[] {
  const first = new Date(year, month, 1);
  const back = (first.getDay() + 6) % 7; // days since Monday
  return Array.from({ length: 42 }, (_, i) => new Date(year, month, 1 - back + i));
}

/** A small month in the left column: the days in view are lit; a click goes to that day. */
export function MiniMonth(props: {
  focusDate: number;
  range: { from: number; to: number } | null;
  onPick: (date: Date) => void;
}) {
  const { t, i18n } = useTranslation();
  const focus = new Date(props.focusDate);
  const [shown, setShown] = useState({ year: focus.getFullYear(), month: focus.getMonth() });
  // The big view moved to another month: follow it.
  const focusYear = focus.getFullYear();
  const focusMonth = focus.getMonth();
  useEffect(() => setShown({ year: focusYear, month: focusMonth }), [focusYear, focusMonth]);

  const days = useMemo(() => monthGrid(shown.year, shown.month), [shown]);
  const weekdays = useMemo(() => {
    const f = new Intl.DateTimeFormat(i18n.language, { weekday: 'narrow' });
    return days.slice(0, 7).map((d) => f.format(d));
  }, [days, i18n.language]);
  const title = new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'long' }).format(
    new Date(shown.year, shown.month, 1),
  );
  const today = localDate(Date.now());
  const move = (by: number) =>
    setShown((s) => {
      const d = new Date(s.year, s.month + by, 1);
      return { year: d.getFullYear(), month: d.getMonth() };
    });

  return (
    <div className="mini-month" aria-label={t('calendar.miniMonth')}>
      <div className="mini-month-head">
        <Button
          size="small"
          type="text"
          icon={<LeftOutlined />}
          aria-label={t('calendar.prevMonth')}
          onClick={() => move(-1)}
        />
        <span className="mini-month-title">{title}</span>
        <Button
          size="small"
          type="text"
          icon={<RightOutlined />}
          aria-label={t('calendar.nextMonth')}
          onClick={() => move(1)}
        />
      </div>
      <div className="mini-month-grid">
        {weekdays.map((w, i) => (
          <span key={`w${i}`} className="mini-month-weekday">
            {w}
          </span>
        ))}
        {days.map((d) => {
          const at = d.getTime();
          const inView = props.range !== null && at >= props.range.from && at < props.range.to;
          const classes = ['mini-month-day'];
          if (d.getMonth() !== shown.month) classes.push('is-other');
          if (inView) classes.push('is-in-view');
          if (localDate(d) === today) classes.push('is-today');
          return (
            <button key={at} type="button" className={classes.join(' ')} onClick={() => props.onPick(d)}>
              {d.getDate()}
            </button>
          );
        })}
      </div>
    </div>
  );
}
