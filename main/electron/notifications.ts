// Native notifications for the core's `notification` event; a click brings the window up
// and asks the page to open that chat (the contract event `conversation.open`).
import { Notification } from 'electron';
import type { EventPayload } from '../../shared/contract';
import type { DesktopSettings } from './settings';

export interface Notifier {
  show(payload: EventPayload<'notification'>): void;
  closeAll(): void;
}

export function createNotifier(options: {
  settings: DesktopSettings;
  onOpenConversation: (conversationId: string) => void;
}): Notifier {
  // Held until closed: a notification that is garbage-collected loses its click handler.
  const live = new Set<Notification>();
  return {
    show({ conversationId, title, body }) {
      if (!options.settings.get('notifications').enabled || !Notification.isSupported()) return;
      const notification = new Notification({ title, body });
      live.add(notification);
      notification.on('click', () => options.onOpenConversation(conversationId));
      notification.on('close', () => live.delete(notification));
      notification.on('failed', () => live.delete(notification));
      notification.show();
    },
    closeAll() {
      for (const notification of live) notification.close();
      live.clear();
    },
  };
}
