import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
    expect(await new FileSettings(d).get()).toEqual({ language: 'zh-CN' });
    await new FileSettings(d).set({ language: 'en-US' });
    expect(await new FileSettings(d).get()).toEqual({ language: 'en-US' });
    expect(JSON.parse(readFileSync(path.join(d, 'settings.json'), 'utf8'))).toEqual({ language: 'en-US' });
  });

  it('falls back to defaults when the file is damaged', async () => {
    const d = dir();
    writeFileSync(path.join(d, 'settings.json'), '{"language": "klingon"');
    expect(await new FileSettings(d).get()).toEqual({ language: 'zh-CN' });
  });
});
