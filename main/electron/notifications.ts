// Native notifications: the core's `notification` event (a click brings the window up and asks the
// page to open that chat, the contract event `conversation.open`), and its `calendar.reminder`
// event, with 稍后提醒 (5 minutes) and 关闭 buttons where the platform has them (macOS, Windows);
// a click opens the calendar at the event (`calendar.open`).
import { Notification } from 'electron';
import type { EventPayload, Reminder } from '../../shared/contract';
import { stringsFor } from './i18n';
import { reminderText } from './reminder-text';
import type { DesktopSettings } from './settings';

/** 稍后提醒 in a notification snoozes this long. */
export const SNOOZE_MINUTES = 5;

export interface Notifier {
  show(payload: EventPayload<'notification'>): void;
  reminder(reminder: Reminder): void;
  closeAll(): void;
}

export function createNotifier(options: {
  settings: DesktopSettings;
  onOpenConversation: (conversationId: string) => void;
  onOpenCalendar: (reminder: Reminder) => void;
  onSnooze: (reminderId: string, minutes: number) => void;
  onDismiss: (reminderId: string) => void;
}): Notifier {
  // Held until closed: a notification that is garbage-collected loses its click handler.
  const live = new Set<Notification>();
  const enabled = () => options.settings.get('notifications').enabled && Notification.isSupported();
  const hold = (notification: Notification) => {
    live.add(notification);
    notification.on('close', () => live.delete(notification));
    notification.on('failed', () => live.delete(notification));
  };
  return {
    show({ conversationId, title, body }) {
      if (!enabled()) return;
      const notification = new Notification({ title, body });
      hold(notification);
      notification.on('click', () => options.onOpenConversation(conversationId));
      notification.show();
    },
    reminder(reminder) {
      if (!enabled()) return;
      const language = options.settings.get('language');
      const t = stringsFor(language);
      const notification = new Notification({
        ...reminderText(reminder, t, language, Date.now()),
        // A reminder stays until answered (Linux, Windows); the buttons exist on macOS and Windows.
        timeoutType: 'never',
        actions: [
          { type: 'button', text: t.reminderSnooze },
          { type: 'button', text: t.reminderClose },
        ],
      });
      hold(notification);
      notification.on('click', () => options.onOpenCalendar(reminder));
      notification.on('action', (details) => {
        if (details.actionIndex === 0) options.onSnooze(reminder.id, SNOOZE_MINUTES);
        else options.onDismiss(reminder.id);
      });
      notification.show();
    },
    closeAll() {
      for (const notification of live) notification.close();
      live.clear();
    },
  };
}
