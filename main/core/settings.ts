// Desktop settings (not user data). Browser mode keeps them in dataDir/settings.json;
// the Electron shell may hand in its own store (electron-store) through the same interface.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Language } from '../../shared/contract';

export type Settings = { language: Language };

/** Reads what is valid from a stored object; anything missing or unknown falls back to defaults. */
function settingsFrom(raw: unknown): Settings {
  const language = Language.safeParse((raw as { language?: unknown } | null)?.language);
  return { language: language.success ? language.data : 'zh-CN' };
}

export interface SettingsStore {
  get(): Promise<Settings>;
  set(next: Settings): Promise<Settings>;
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

  async set(next: Settings): Promise<Settings> {
    const value = settingsFrom(next);
    await mkdir(this.dir, { recursive: true });
    // Write then rename, so a crash never leaves half a file.
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(value, null, 2));
    await rename(tmp, this.path);
    return value;
  }
}
