import { useEffect, useRef } from 'react';
import { App, Button, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Reminder } from '../../../shared/contract';
import { useQixin, useQixinEvent } from '../../bridge/context';
import { errorText } from '../session/errors';
import { useNavigation } from '../shell/navigation';
import { formatSpan } from './when';

const SNOOZE_MINUTES = 5;

/**
 * Reminders in the window: each one the core fires (`calendar.reminder`) pops up with 稍后提醒
 * (5 minutes) and 知道了; at start, those still due (missed while the app was off: 已错过).
 * The desktop shell shows its own notification too, also when the window is closed.
 */
export function ReminderPopups() {
  const { t, i18n } = useTranslation();
  const qixin = useQixin();
  const { notification, message } = App.useApp();
  const { openCalendar } = useNavigation();
  const shown = useRef(new Set<string>());

  const show = (reminder: Reminder) => {
    shown.current.add(reminder.id);
    const close = () => {
      shown.current.delete(reminder.id);
      notification.destroy(reminder.id);
    };
    const act = async (call: () => Promise<unknown>) => {
      close();
      try {
        await call();
      } catch (err) {
        message.error(errorText(t, err));
      }
    };
    notification.open({
      key: reminder.id,
      duration: 0,
      placement: 'bottomRight',
      title: (
        <span className="cal-reminder-title">
          {reminder.title}
          {reminder.missed ? <Tag color="orange">{t('calendar.reminders.missed')}</Tag> : null}
        </span>
      ),
      description: (
        <button
          type="button"
          className="cal-reminder-body"
          onClick={() => {
            close();
            openCalendar(reminder.start, reminder.eventId);
          }}
        >
          <div>{formatSpan(reminder.start, reminder.end, reminder.allDay, i18n.language)}</div>
          {reminder.location ? <div>{reminder.location}</div> : null}
        </button>
      ),
      actions: (
        <Space>
          <Button
            size="small"
            onClick={() =>
              void act(() => qixin.call('calendar.snooze', { reminderId: reminder.id, minutes: SNOOZE_MINUTES }))
            }
          >
            {t('calendar.reminders.snooze')}
          </Button>
          <Button
            size="small"
            type="primary"
            onClick={() => void act(() => qixin.call('calendar.dismiss', { reminderId: reminder.id }))}
          >
            {t('calendar.reminders.dismiss')}
          </Button>
        </Space>
      ),
      // Closing with × only hides it: the reminder stays due until 知道了.
      onClose: () => shown.current.delete(reminder.id),
      props: { 'data-testid': 'calendar-reminder' } as Record<string, string>,
    });
  };

  useQixinEvent('calendar.reminder', ({ reminder }) => show(reminder));
  useEffect(() => {
    let live = true;
    qixin.call('calendar.reminders', {}).then(
      ({ reminders }) => {
        if (!live) return;
        for (const r of reminders) if (!shown.current.has(r.id)) show(r);
      },
      () => undefined, // the core answers from its own store; nothing to show if it cannot
    );
    return () => {
      live = false;
    };
    // Once per sign-in: later ones arrive as events.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [qixin]);
  return null;
}
