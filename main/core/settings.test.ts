import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_FILE_SETTINGS, DEFAULT_NOTIFICATION_SETTINGS } from '../../shared/contract';
import { FileSettings } from './settings';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const dir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'qixin-settings-'));
  dirs.push(d);
  return d;
};

describe('FileSettings', () => {
  it('starts in Simplified Chinese and remembers a switch to English across restarts', async () => {
    const d = dir();
    expect(await new FileSettings(d).get()).toEqual({
      language: 'zh-CN',
      notifications: DEFAULT_NOTIFICATION_SETTINGS,
      files: DEFAULT_FILE_SETTINGS,
    });
    await new FileSettings(d).set({ language: 'en-US' });
    expect((await new FileSettings(d).get()).language).toBe('en-US');
    expect(JSON.parse(readFileSync(path.join(d, 'settings.json'), 'utf8'))).toMatchObject({ language: 'en-US' });
  });

  it('keeps notification choices, and changing one setting leaves the others as they were', async () => {
    const d = dir();
    const notifications = { enabled: true, showPreview: false, dnd: { enabled: true, start: '23:30', end: '07:00' } };
    await new FileSettings(d).set({ language: 'en-US' });
    await new FileSettings(d).set({ notifications });
    expect(await new FileSettings(d).get()).toEqual({ language: 'en-US', notifications, files: DEFAULT_FILE_SETTINGS });
  });

  it('keeps the downloads folder and upload speed limit, and drops a limit below 16 KB/s', async () => {
    const d = dir();
    const files = { downloadDir: path.join(d, '下载'), maxUploadBytesPerSec: 1024 * 1024 };
    await new FileSettings(d).set({ files });
    expect((await new FileSettings(d).get()).files).toEqual(files);
    writeFileSync(
      path.join(d, 'settings.json'),
      JSON.stringify({ files: { downloadDir: null, maxUploadBytesPerSec: 5 } }),
    );
    expect((await new FileSettings(d).get()).files).toEqual(DEFAULT_FILE_SETTINGS);
  });

  it('falls back to defaults when the file is damaged or holds values it does not know', async () => {
    const d = dir();
    writeFileSync(path.join(d, 'settings.json'), '{"language": "klingon"');
    expect(await new FileSettings(d).get()).toEqual({
      language: 'zh-CN',
      notifications: DEFAULT_NOTIFICATION_SETTINGS,
      files: DEFAULT_FILE_SETTINGS,
    });
    writeFileSync(
      path.join(d, 'settings.json'),
      JSON.stringify({ language: 'en-US', notifications: { enabled: true, dnd: { start: '25:00' } } }),
    );
    expect(await new FileSettings(d).get()).toEqual({
      language: 'en-US',
      notifications: DEFAULT_NOTIFICATION_SETTINGS,
      files: DEFAULT_FILE_SETTINGS,
    });
  });
});
