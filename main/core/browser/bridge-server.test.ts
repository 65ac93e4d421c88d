import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BRIDGE_PATH } from '../../../shared/contract';
import { MAX_IMPORT_BYTES } from '../../../shared/protocol/directory-io';
import { newId } from '../../../shared/lib/ids';
import { openLocalCache } from '../cache/local-cache';
import { startDesktopCore, type DesktopCore } from '../desktop-core';
import { SESSION_KEY } from '../sync/sync';
import { startBridgeServer, type BridgeServer } from './bridge-server';

let dir: string;
let core: DesktopCore;
let bridge: BridgeServer;
let origin: string;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'qixin-bridge-'));
  const staticDir = path.join(dir, 'renderer');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>企信</title>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'secret.txt'), 'do not serve');
  // A stored session whose relay is down: the core keeps retrying, which emits connection events.
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir);
  const cache = openLocalCache({ path: path.join(dataDir, 'cache.db') });
  const user = {
    id: newId(),
    account: 'a',
    name: '张三',
    mobile: null,
    email: null,
    role: 'admin' as const,
    createdAt: 1,
  };
  cache.write.setKv(SESSION_KEY, {
    token: 't',
    deviceId: newId(),
    user,
    enterprise: { id: newId(), name: 'E', createdAt: 1 },
  });
  cache.close();
  core = await startDesktopCore({
    dataDir,
    relayUrl: 'http://127.0.0.1:9',
    deviceName: 'test',
    mode: 'browser',
    reconnect: { baseMs: 20, capMs: 40 },
  });
  bridge = await startBridgeServer({ core, host: '127.0.0.1', port: 0, staticDir });
  origin = `http://127.0.0.1:${bridge.port}`;
});

afterEach(async () => {
  await bridge.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(query: string, headers: Record<string, string> = { origin }): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}${BRIDGE_PATH}${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(String(res.statusCode))));
    ws.once('error', reject);
  });
}

describe('bridge server', () => {
  it('prints a loopback URL carrying the token in the fragment', () => {
    expect(bridge.url).toBe(`${origin}/#token=${bridge.token}`);
    expect(bridge.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the renderer with content types, a strict CSP and an index.html fallback', async () => {
    const page = await fetch(`${origin}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self' ws://127.0.0.1:*");
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('企信');
    const js = await fetch(`${origin}/assets/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await (await fetch(`${origin}/contacts`)).text()).toContain('企信');
    expect((await fetch(`${origin}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${origin}/..%2fsecret.txt`)).status).toBe(403);
  });

  it('refuses sockets without the token or from another origin', async () => {
    await expect(connect('')).rejects.toThrow('401');
    await expect(connect('?token=wrong')).rejects.toThrow('401');
    await expect(connect(`?token=${bridge.token}`, { origin: 'http://evil.example' })).rejects.toThrow('403');
  });

  it('answers calls with envelopes and pushes core events', async () => {
    const ws = await connect(`?token=${bridge.token}`);
    const frames: Array<Record<string, unknown>> = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>));
    ws.send(JSON.stringify({ id: 1, call: 'app.info', args: {} }));
    ws.send(JSON.stringify({ id: 2, call: 'settings.set', args: { language: 'xx' } }));
    ws.send(JSON.stringify({ id: 3, call: 'session.status', args: {} }));
    await expect.poll(() => frames.filter((f) => 'id' in f).length).toBe(3);
    const byId = (id: number) => frames.find((f) => f.id === id)!.result;
    expect(byId(1)).toEqual({ ok: true, value: { version: '0.1.0', mode: 'browser', relayUrl: 'http://127.0.0.1:9' } });
    expect(byId(2)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(byId(3)).toMatchObject({ ok: true, value: { state: 'signed-in', user: { name: '张三' } } });
    await expect.poll(() => frames.some((f) => f.event === 'connection')).toBe(true);
    ws.close();
  });

  it('carries an import file of the largest accepted size to the core', async () => {
    const ws = await connect(`?token=${bridge.token}`);
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
      ws.on('message', (d) => {
        const frame = JSON.parse(String(d)) as Record<string, unknown>;
        if (frame.id === 7) resolve(frame);
      });
      ws.once('close', (code) => reject(new Error(`bridge closed the socket (${code})`)));
    });
    const base64 = Buffer.alloc(MAX_IMPORT_BYTES, 0x41).toString('base64');
    const args = { fileName: '成员.csv', base64, mode: 'add', createDepartments: false };
    ws.send(JSON.stringify({ id: 7, call: 'admin.import.start', args }));
    // The frame reached the core, which tried the (absent) relay: not a socket closed for size.
    expect((await answer).result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    ws.close();
  }, 30_000);
});
