// Desktop settings (not user data): language, notification choices, downloads folder and upload speed. Browser mode keeps them
// in dataDir/settings.json; the Electron shell hands in its own store (electron-store) through
// the same interface.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFAULT_FILE_SETTINGS,
  DEFAULT_NOTIFICATION_SETTINGS,
  FileSettings as FileChoices,
  Language,
  NotificationSettings,
  type Settings,
} from '../../shared/contract';

export type { Settings } from '../../shared/contract';

/** Reads what is valid from a stored object; anything missing or unknown falls back to defaults. */
export function settingsFrom(raw: unknown): Settings {
  const stored = (raw ?? {}) as { language?: unknown; notifications?: unknown; files?: unknown };
  const language = Language.safeParse(stored.language);
  const notifications = NotificationSettings.safeParse(stored.notifications);
  const files = FileChoices.safeParse(stored.files);
  return {
    language: language.success ? language.data : 'zh-CN',
    notifications: notifications.success ? notifications.data : DEFAULT_NOTIFICATION_SETTINGS,
    files: files.success ? files.data : DEFAULT_FILE_SETTINGS,
  };
}

export interface SettingsStore {
  get(): Promise<Settings>;
  /** Changes the fields given; the others keep their values. Returns the settings now in force. */
  set(change: Partial<Settings>): Promise<Settings>;
}

export class FileSettings implements SettingsStore {
  private readonly path: string;

  constructor(private readonly dir: string) {
    this.path = join(dir, 'settings.json');
  }

  async get(): Promise<Settings> {
    try {
      return settingsFrom(JSON.parse(await readFile(this.path, 'utf8')));
    } catch {
      return settingsFrom(null);
    }
  }

  async set(change: Partial<Settings>): Promise<Settings> {
    const value = settingsFrom({ ...(await this.get()), ...change });
    await mkdir(this.dir, { recursive: true });
    // Write then rename, so a crash never leaves half a file.
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(value, null, 2));
    await rename(tmp, this.path);
    return value;
  }
}
