import { useCallback, useEffect, useState } from 'react';
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from '../../../shared/contract';
import { useQixin, useQixinEvent } from '../../bridge/context';

/** This desktop's notification choices, live: changes from any window arrive as `settings.changed`. */
export function useNotificationSettings() {
  const qixin = useQixin();
  const [settings, setSettings] = useState<NotificationSettings | null>(null);
  useEffect(() => {
    let alive = true;
    qixin
      .call('settings.get', {})
      .then((s) => alive && setSettings(s.notifications))
      .catch(() => alive && setSettings(DEFAULT_NOTIFICATION_SETTINGS));
    return () => {
      alive = false;
    };
  }, [qixin]);
  useQixinEvent('settings.changed', (s) => setSettings(s.notifications));

  /** Saves a change and shows what the core kept. */
  const update = useCallback(
    async (patch: Partial<NotificationSettings>) => {
      const base = settings ?? DEFAULT_NOTIFICATION_SETTINGS;
      const saved = await qixin.call('settings.set', { notifications: { ...base, ...patch } });
      setSettings(saved.notifications);
    },
    [qixin, settings],
  );
  return { settings, update };
}
