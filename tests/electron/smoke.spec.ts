// The desktop shell starts, shows our app:// page, and the page has no Node: only the bridge.
import { _electron as electron, expect, test } from '@playwright/test';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { BRIDGE_GLOBAL } from '../../shared/contract';

const root = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

function findElectronBinary(): string | null {
  try {
    const binary = require('electron') as unknown; // the package's main is the binary's path
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** The Electron-ABI better-sqlite3 that `npm start` builds into out/native/. */
function findSqliteForElectron(): string | null {
  const dir = path.join(root, 'out', 'native');
  const file = fs.existsSync(dir)
    ? fs.readdirSync(dir).find((f) => f.startsWith('better_sqlite3-electron-'))
    : undefined;
  return file ? path.join(dir, file) : null;
}

const electronBinary = findElectronBinary();
const sqliteBinding = findSqliteForElectron();
const hasElectronBinary = electronBinary !== null;

test.describe('Electron shell', () => {
  test.skip(
    !hasElectronBinary,
    'No Electron binary: node_modules/electron was installed without its download (no access to github.com). ' +
      'Run `node node_modules/electron/install.js` where it can be downloaded.',
  );
  test.skip(
    hasElectronBinary && !sqliteBinding,
    'No better-sqlite3 built for Electron in out/native/: run `npm start` once (it builds it; needs electronjs.org headers).',
  );

  test('opens the app:// window with the bridge and without Node', async () => {
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'qixin-electron-'));
    const args = [root];
    if (process.platform === 'linux' && process.getuid?.() === 0) args.push('--no-sandbox');
    const app = await electron.launch({
      executablePath: electronBinary!,
      args,
      cwd: root,
      env: {
        ...process.env,
        QIXIN_USER_DATA_DIR: userData,
        QIXIN_SQLITE_BINDING: sqliteBinding!,
        LOG_LEVEL: 'warn',
      },
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(page.url()).toMatch(/^app:\/\/qixin\//);
      await expect(page).toHaveTitle('企信');
      expect(await page.evaluate(() => typeof (globalThis as Record<string, unknown>).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as Record<string, unknown>).process)).toBe('undefined');
      const bridgeKeys = await page.evaluate(
        (name) => Object.keys((globalThis as unknown as Record<string, object>)[name] ?? {}).sort(),
        BRIDGE_GLOBAL,
      );
      expect(bridgeKeys).toEqual(['invoke', 'subscribe']);
      const info = await page.evaluate(
        (name) =>
          ((globalThis as Record<string, unknown>)[name] as { invoke(n: string, a: unknown): Promise<unknown> }).invoke(
            'app.info',
            {},
          ),
        BRIDGE_GLOBAL,
      );
      expect(info).toMatchObject({ ok: true, value: { mode: 'electron' } });
    } finally {
      await app.close();
      fs.rmSync(userData, { recursive: true, force: true });
    }
  });
});
