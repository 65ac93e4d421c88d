// The whole shell (main.ts) against an in-memory Electron, a real relay and real desktop cores:
// window options, IPC sender checks, app:// serving, notifications, badge, deep links, quit.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callChannel, calls, eventChannel } from '../../shared/contract';
import { newId } from '../../shared/lib/ids';
import { startDesktopCore, type DesktopCore } from '../core/desktop-core';
import * as fake from './testing/fake-electron';

vi.mock('electron', () => import('./testing/fake-electron'));
vi.mock('electron-store', () => import('./testing/fake-electron-store'));

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qixin-shell-'));
const trusted = { senderFrame: { url: 'app://qixin/index.html', parent: null } };
const conversationOpens = () =>
  fake.windows[0]!.webContents.sent.filter(([channel]) => channel === eventChannel('conversation.open'));

let relay: ChildProcess;
let relayUrl: string;
const cores: DesktopCore[] = [];

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function call(name: Parameters<typeof callChannel>[0], args: unknown, event: unknown = trusted) {
  const handler = fake.ipcHandlers.get(callChannel(name));
  if (!handler) throw new Error(`no handler for ${name}`);
  return (await handler(event, args)) as { ok: boolean; value?: never; error?: { code: string } };
}

beforeAll(async () => {
  relay = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: path.join(tmp, 'relay'), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    relay.on('message', (m: { type?: string; port?: number }) => m.type === 'listening' && resolve(m.port!));
    relay.once('exit', (code) => reject(new Error(`relay exited (${code})`)));
  });
  relayUrl = `http://127.0.0.1:${port}`;

  const renderer = path.join(tmp, 'app', 'dist', 'renderer');
  fs.mkdirSync(renderer, { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>企信</title><div id="root"></div>');
  fake.paths.appPath = path.join(tmp, 'app');
  process.env.QIXIN_RELAY_URL = relayUrl;
  process.env.QIXIN_USER_DATA_DIR = path.join(tmp, 'user-data');

  await import('./main');
  await until(() => fake.windows.length === 1 && fake.ipcHandlers.size > 0);
}, 30_000);

afterAll(async () => {
  for (const core of cores) await core.close();
  relay?.kill('SIGTERM');
  delete process.env.QIXIN_RELAY_URL;
  delete process.env.QIXIN_USER_DATA_DIR;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('Electron shell', () => {
  it('opens a sandboxed, isolated window on app://qixin/ with the preload', () => {
    const win = fake.windows[0]!;
    expect(win.url).toBe('app://qixin/index.html');
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(String((win.options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
  });

  it('answers contract calls from our page only', async () => {
    const info = await call('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { mode: 'electron', relayUrl } });
    const evil = await call('app.info', {}, { senderFrame: { url: 'https://evil.example/', parent: null } });
    expect(evil).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('serves the renderer on app:// with a CSP, and nothing outside it', async () => {
    const serve = fake.protocolHandlers.get('app')!;
    const page = await serve(new Request('app://qixin/'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="root">');
    expect((await serve(new Request('app://qixin/%2e%2e/%2e%2e/etc/passwd'))).status).toBe(404);
    expect((await serve(new Request('app://elsewhere/index.html'))).status).toBe(404);
  });

  it('cancels navigation and opens only web links outside', () => {
    const contents = fake.windows[0]!.webContents;
    let prevented = false;
    contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
    expect(contents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fake.calls.filter(([what]) => what === 'openExternal')).toEqual([['openExternal', 'https://example.com/']]);
  });

  it('notifies a new message, counts it on the badge, and opens the chat on click', async () => {
    const setup = await call('session.createEnterprise', {
      enterpriseName: '测试科技',
      adminName: '王芳',
      account: 'wangfang',
      password: 'password123',
    });
    expect(setup.ok).toBe(true);
    const admin = (setup.value as unknown as { user: { id: string } }).user;
    expect((await call('directory.addMember', { name: '李雷', account: 'lilei', password: 'password123' })).ok).toBe(
      true,
    );

    const other = await startDesktopCore({
      dataDir: path.join(tmp, 'other-core'),
      relayUrl,
      deviceName: 'test',
      mode: 'browser',
    });
    cores.push(other);
    await other.service['session.signIn']({ login: 'lilei', password: 'password123' });
    const { conversation } = await other.service['conversations.openDirect']({ userId: admin.id });
    await other.service['messages.send'](
      calls['messages.send'].args.parse({ conversationId: conversation.id, text: '报销单已提交，请审批' }),
    );

    await until(() => fake.notifications.length > 0);
    expect(fake.notifications[0]!.options).toEqual({ title: '李雷', body: '报销单已提交，请审批' });
    await until(() => fake.calls.some(([what, n]) => what === 'setBadgeCount' && n === 1));
    expect(fake.trays[0]!.tooltip).toBe('企信 — 1 条未读');
    expect(fake.trays[0]!.menu.map((item) => item.label)).toEqual(['打开企信', undefined, '退出']);

    fake.windows[0]!.webContents.emit('did-finish-load');
    await new Promise((resolve) => setTimeout(resolve, 600));
    fake.notifications[0]!.emit('click');
    expect(conversationOpens().at(-1)).toEqual([
      eventChannel('conversation.open'),
      { conversationId: conversation.id },
    ]);
    expect(fake.windows[0]!.visible).toBe(true);
  }, 30_000);

  it('keeps notification choices in electron-store, and shows nothing while they are off', async () => {
    const off = { enabled: false, showPreview: true, dnd: { enabled: false, start: '22:00', end: '08:00' } };
    expect(await call('settings.set', { notifications: off })).toMatchObject({
      ok: true,
      value: { notifications: off },
    });
    expect(await call('settings.get', {})).toMatchObject({
      ok: true,
      value: { language: 'zh-CN', notifications: off },
    });
    const sentEvents = () => fake.windows[0]!.webContents.sent.filter(([c]) => c === eventChannel('messages.changed'));
    const before = { notifications: fake.notifications.length, changes: sentEvents().length };

    const other = cores[0]!;
    const { conversations } = await other.service['conversations.list']({});
    await other.service['messages.send'](
      calls['messages.send'].args.parse({ conversationId: conversations[0]!.id, text: '明天见' }),
    );
    await until(() => sentEvents().length > before.changes);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.notifications.length).toBe(before.notifications);
    await call('settings.set', { notifications: { ...off, enabled: true } });
  }, 30_000);

  it('shows a calendar reminder with 稍后提醒 and 关闭, and opens the calendar on click', async () => {
    const calendars = await call('calendar.calendars', {});
    const calendarId = (calendars.value as unknown as { calendars: { id: string; primary: boolean }[] }).calendars.find(
      (c) => c.primary,
    )!.id;
    const remind = async (title: string) => {
      // A 1-minute reminder of a meeting a minute and a second away: due in about a second.
      const start = Date.now() + 61_000;
      const created = await call('calendar.create', {
        id: newId(),
        calendarId,
        title,
        location: '5 楼',
        time: { allDay: false, start, end: start + 30 * 60_000, timeZone: 'Asia/Shanghai' },
        reminders: [1],
      });
      expect(created.ok).toBe(true);
      await until(() => fake.notifications.some((n) => n.options.title === title));
      return { note: fake.notifications.find((n) => n.options.title === title)!, start };
    };
    const shown = async () =>
      ((await call('calendar.reminders', {})).value as unknown as { reminders: { title: string }[] }).reminders.map(
        (r) => r.title,
      );

    const review = await remind('方案评审');
    expect(review.note.options).toMatchObject({
      body: expect.stringMatching(/^(今天|明天) \d\d:\d\d–\d\d:\d\d · 5 楼$/),
      actions: [
        { type: 'button', text: '稍后提醒' },
        { type: 'button', text: '关闭' },
      ],
    });
    expect(await shown()).toContain('方案评审');
    // The buttons answer through the core, a moment later.
    const gone = async (title: string) => {
      for (let i = 0; i < 40 && (await shown()).includes(title); i++) await new Promise((r) => setTimeout(r, 25));
      expect(await shown()).not.toContain(title);
    };
    review.note.emit('action', { actionIndex: 0 });
    await gone('方案评审');

    const standup = await remind('站会');
    standup.note.emit('action', { actionIndex: 1 });
    await gone('站会');

    standup.note.emit('click');
    const opens = fake.windows[0]!.webContents.sent.filter(([channel]) => channel === eventChannel('calendar.open'));
    expect(opens.at(-1)?.[1]).toMatchObject({ start: standup.start });
    expect(fake.windows[0]!.visible).toBe(true);
  }, 30_000);

  it('follows the language setting in the tray', async () => {
    await call('settings.set', { language: 'en-US' });
    expect(fake.trays[0]!.menu.map((item) => item.label)).toEqual(['Open Qixin', undefined, 'Quit']);
  });

  it('routes a qixin://chat/<id> link from a second launch to the page', () => {
    const id = '0190a5b2-7c3e-7d41-8a2b-3c4d5e6f7a8b';
    fake.app.emit('second-instance', {}, ['/opt/qixin/qixin', `qixin://chat/${id}`], '/');
    expect(conversationOpens().at(-1)).toEqual([eventChannel('conversation.open'), { conversationId: id }]);
  });

  it('hides on close, and shuts the core down on quit', async () => {
    const win = fake.windows[0]!;
    let prevented = false;
    win.emit('close', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    const exited = new Promise((resolve) => fake.app.once('test-exit', resolve));
    fake.app.quit();
    await expect(exited).resolves.toBe(0);
    expect(fake.calls).toContainEqual(['trayDestroyed']);
  });
});
