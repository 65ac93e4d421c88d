import { useEffect, useState } from 'react';
import { Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQixin } from '../../bridge/context';
import { useUsers } from '../contacts/directory';
import { useMe } from '../session/context';

type Busy = { start: number; end: number; tentative: boolean };
const HOUR = 3_600_000;

/** The hours the strip spans: 08–20, widened to take in the chosen time. */
export function stripWindow(dayStart: number, start: number, end: number): { from: number; to: number } {
  const clamp = (h: number) => Math.min(24, Math.max(0, h));
  const fromHour = clamp(Math.min(8, Math.floor((start - dayStart) / HOUR)));
  const toHour = clamp(Math.max(20, Math.ceil((end - dayStart) / HOUR)));
  return { from: dayStart + fromHour * HOUR, to: dayStart + toHour * HOUR };
}

/**
 * 忙闲: the busy times of the organizer and each invited member over the chosen day
 * (`calendar.freeBusy`: times only, never titles), one row per person, the chosen time marked.
 */
export function AvailabilityStrip(props: { userIds: string[]; dayStart: number; start: number; end: number }) {
  const { t, i18n } = useTranslation();
  const qixin = useQixin();
  const me = useMe();
  const ids = [me.id, ...props.userIds.filter((id) => id !== me.id)].slice(0, 100);
  const key = ids.join(',');
  const byId = useUsers(ids);
  const [busy, setBusy] = useState<Record<string, Busy[]> | null>(null);
  const { dayStart } = props;

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      qixin.call('calendar.freeBusy', { userIds: key.split(','), from: dayStart, to: dayStart + 24 * HOUR }).then(
        (answer) => live && setBusy(answer.busy),
        () => live && setBusy({}),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [qixin, key, dayStart]);

  const { from, to } = stripWindow(dayStart, props.start, props.end);
  const pct = (at: number) => `${((Math.min(Math.max(at, from), to) - from) / (to - from)) * 100}%`;
  const width = (a: number, b: number) => `${((Math.min(b, to) - Math.max(a, from)) / (to - from)) * 100}%`;
  const hours: number[] = [];
  for (let at = from; at <= to; at += 2 * HOUR) hours.push(at);
  const time = new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit', hour12: false });

  return (
    <div className="cal-availability" data-testid="availability">
      <div className="cal-availability-row cal-availability-hours">
        <span className="cal-availability-name" />
        <div className="cal-availability-track">
          {hours.map((at) => (
            <span key={at} className="cal-availability-hour" style={{ left: pct(at) }}>
              {new Date(at).getHours()}
            </span>
          ))}
        </div>
      </div>
      {ids.map((id) => (
        <div key={id} className="cal-availability-row" data-testid="availability-row">
          <span className="cal-availability-name" title={byId.get(id)?.name}>
            {id === me.id ? t('chat.system.you') : (byId.get(id)?.name ?? t('common.unknownUser'))}
          </span>
          <div className="cal-availability-track">
            {props.end > props.start ? (
              <span
                className="cal-availability-chosen"
                style={{ left: pct(props.start), width: width(props.start, props.end) }}
              />
            ) : null}
            {(busy?.[id] ?? [])
              .filter((b) => b.end > from && b.start < to)
              .map((b) => (
                <Tooltip key={`${b.start}-${b.end}`} title={`${time.format(b.start)}–${time.format(b.end)}`}>
                  <span
                    className={`cal-availability-busy${b.tentative ? ' is-tentative' : ''}`}
                    data-testid="busy-block"
                    style={{ left: pct(b.start), width: width(b.start, b.end) }}
                  />
                </Tooltip>
              ))}
          </div>
        </div>
      ))}
    </div>
  );
}
