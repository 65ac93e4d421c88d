// Proves the layer rule (eslint.config.js + build/lint/layers.mjs) fires, on in-memory snippets.
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: repoRoot });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'qixin/layers').map((m) => m.message);
}

describe('layer rule', () => {
  it('stops shared/ from importing node:*', async () => {
    const errors = await layerErrors(
      'shared/x.ts',
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('shared/ may import shared/ and the packages zod, uuid');
    expect(errors[0]).toContain("'node:fs'");
  });

  it('stops the renderer from reaching into main/ and from importing electron', async () => {
    const errors = await layerErrors(
      'renderer/features/chat/x.ts',
      "import { startDesktopCore } from '../../../main/core/index';\nimport { ipcRenderer } from 'electron';\nexport const x = [startDesktopCore, ipcRenderer];\n",
    );
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('reaches into main/core/');
    expect(errors[1]).toContain("'electron' is not on renderer/'s package list");
  });

  it('lets the preload take only contextBridge, ipcRenderer and webUtils from electron, and only shared/contract', async () => {
    const ok = await layerErrors(
      'preload/index.ts',
      "import { contextBridge, ipcRenderer, webUtils } from 'electron';\nimport { callChannel } from '../shared/contract';\nexport const x = [contextBridge, ipcRenderer, webUtils, callChannel];\n",
    );
    expect(ok).toEqual([]);
    const bad = await layerErrors(
      'preload/index.ts',
      "import { shell } from 'electron';\nimport { newId } from '../shared/lib/ids';\nexport const x = [shell, newId];\n",
    );
    expect(bad).toHaveLength(2);
    expect(bad[0]).toContain("'shell' from 'electron' is not allowed");
    expect(bad[1]).toContain('reaches into shared/');
  });

  it('exempts type-only imports and lets main/electron use main/core', async () => {
    const errors = await layerErrors(
      'main/electron/x.ts',
      "import type { ReactNode } from 'react';\nimport { app } from 'electron';\nimport { startDesktopCore } from '../core/index';\nexport const x: [unknown, ReactNode] = [app, startDesktopCore];\n",
    );
    expect(errors).toEqual([]);
  });

  it('wants the node: prefix for built-ins', async () => {
    const errors = await layerErrors('server/x.ts', "import fs from 'fs';\nexport const x = fs;\n");
    expect(errors[0]).toContain("'node:fs'");
  });

  it('keeps better-sqlite3 inside the cache and store modules', async () => {
    const errors = await layerErrors(
      'main/core/sync/x.ts',
      "import Database from 'better-sqlite3';\nexport const x = Database;\n",
    );
    expect(errors[0]).toContain("'better-sqlite3' belongs to main/core/cache/, server/store/ only");
    expect(
      await layerErrors('main/core/cache/x.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n"),
    ).toEqual([]);
  });

  it('lets tests and build scripts import anything', async () => {
    const errors = await layerErrors(
      'tests/x.ts',
      "import { app } from 'electron';\nimport 'react';\nexport const x = app;\n",
    );
    expect(errors).toEqual([]);
  });
});
