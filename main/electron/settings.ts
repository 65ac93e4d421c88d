// Desktop settings on electron-store (DESIGN §5): language, window bounds, notification
// choice, the relay to use. User data lives in the core's cache, never here. Values are
// checked on read: the JSON file is the user's to edit.
import Store from 'electron-store';
import { z } from 'zod';
import {
  DEFAULT_FILE_SETTINGS,
  DEFAULT_NOTIFICATION_SETTINGS,
  FileSettings,
  Language,
  NotificationSettings,
} from '../../shared/contract';
import type { SettingsStore } from '../core/settings';

export const WindowBounds = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  maximized: z.boolean(),
});
export type WindowBounds = z.infer<typeof WindowBounds>;

/** Notification choices; the 'all' / 'off' of earlier versions become enabled on / off. */
const StoredNotifications = z.preprocess(
  (v) => (v === 'all' || v === 'off' ? { ...DEFAULT_NOTIFICATION_SETTINGS, enabled: v === 'all' } : v),
  NotificationSettings,
);

const Schema = z.object({
  language: Language.catch('zh-CN'),
  windowBounds: WindowBounds.nullable().catch(null),
  notifications: StoredNotifications.catch(DEFAULT_NOTIFICATION_SETTINGS),
  files: FileSettings.catch(DEFAULT_FILE_SETTINGS),
  /** A relay to connect to instead of the embedded one (`ws://…`); QIXIN_RELAY_URL wins over it. */
  relayUrl: z.url().nullable().catch(null),
  /** Port of the embedded relay; 0 picks a free one at each launch. */
  relayPort: z.number().int().min(0).max(65535).catch(0),
});
type Schema = z.infer<typeof Schema>;

const defaults: Schema = {
  language: 'zh-CN',
  windowBounds: null,
  notifications: DEFAULT_NOTIFICATION_SETTINGS,
  files: DEFAULT_FILE_SETTINGS,
  relayUrl: null,
  relayPort: 0,
};

export interface DesktopSettings {
  get<K extends keyof Schema>(key: K): Schema[K];
  set<K extends keyof Schema>(key: K, value: Schema[K]): void;
  /** Calls back when a key changes (from this process); returns the unsubscribe. */
  onChange<K extends keyof Schema>(key: K, listener: (value: Schema[K]) => void): () => void;
}

export function openSettings(): DesktopSettings {
  const store = new Store<Schema>({ name: 'settings', defaults, clearInvalidConfig: true });
  return {
    get(key) {
      return Schema.shape[key].parse(store.get(key)) as Schema[typeof key];
    },
    set(key, value) {
      store.set(key, Schema.shape[key].parse(value));
    },
    onChange(key, listener) {
      return store.onDidChange(key, (value) => listener(Schema.shape[key].parse(value) as Schema[typeof key]));
    },
  };
}

/** The core's settings (language, notifications, files) kept in electron-store beside the shell's own. */
export function coreSettingsStore(settings: DesktopSettings): SettingsStore {
  const current = () => ({
    language: settings.get('language'),
    notifications: settings.get('notifications'),
    files: settings.get('files'),
  });
  return {
    async get() {
      return current();
    },
    async set(change) {
      if (change.language) settings.set('language', change.language);
      if (change.notifications) settings.set('notifications', change.notifications);
      if (change.files) settings.set('files', change.files);
      return current();
    },
  };
}
